// enterprise — one enterprise: its profile and indicators over the years (GET
// /api/v1/enterprises/{uscc}, chart and table), memberships, projects, events, supply links and
// appeals (the tables' lists filtered by the enterprise), its awards with the explanation of
// each (GET /api/v1/awards/{id}, loaded when opened), and what it could still get in an award
// year (GET /api/v1/enterprises/{uscc}/matches). An enterprise account sees its own only: any
// other USCC answers 403 or 404, and the page then says "not allowed" and nothing else.
import { ALL } from '../roles.js';
import { field, select } from './forms.js';
import { failed, label, refuse, withQuery, x, years } from './parts.js';

const MONEY = ['output_value', 'revenue', 'value_added', 'tax_paid', 'rd_expense', 'new_fixed_asset_investment'];

function indicatorNames(ctx) {
  const say = x(ctx);
  return {
    output_value: say('产值', '產值', 'Output'), revenue: say('主营业务收入', '主營業務收入', 'Revenue'),
    value_added: say('工业增加值', '工業增加值', 'Value added'), tax_paid: say('纳税额', '納稅額', 'Tax paid'),
    rd_expense: say('研发投入', '研發投入', 'R&D'), new_fixed_asset_investment: say('新增固定资产投资', '新增固定資產投資', 'New fixed assets'),
    employees: say('从业人员', '從業人員', 'Employees'), above_scale: say('规上', '規上', 'Above size'),
  };
}

function profile(ctx, e) {
  const { el, card, fmt } = ctx;
  const say = x(ctx);
  const row = (k, v) => [el('dt', {}, k), el('dd', {}, v ?? '—')];
  return card(say('基本信息', '基本資訊', 'Profile'), el('dl', { class: 'facts' },
    row(say('企业名称', '企業名稱', 'Name'), e.name),
    row(say('统一社会信用代码', '統一社會信用代碼', 'USCC'), e.uscc),
    row(say('所在市（区）', '所在市（區）', 'Division'), e.division_name ?? e.division),
    row(say('行业代码', '行業代碼', 'Industry code'), e.industry_code),
    row(say('成立日期', '成立日期', 'Founded'), fmt.date(e.founded)),
    row(say('本地企业', '本地企業', 'Local'), e.local ? say('是', '是', 'yes') : say('否', '否', 'no')),
    row(say('上市板块', '上市板塊', 'Listing'), label(ctx, 'listing', e.listing_board)),
    row(say('规上入库年份', '規上入庫年份', 'Entered above size (statistics bureau)'), e.above_scale_entry_year ? String(e.above_scale_entry_year) : '—')));
}

function indicators(ctx, e) {
  const { el, card, table, fmt } = ctx;
  const say = x(ctx);
  const names = indicatorNames(ctx);
  const list = [...(e.indicators ?? [])].sort((a, b) => a.year - b.year);
  const title = say('年度指标', '年度指標', 'Indicators by year');
  if (list.length === 0) return [card(title, el('p', {}, say('暂无指标。', '暫無指標。', 'No indicators on record.'))), null];
  const box = el('div', { class: 'chart' });
  const cols = [{ label: say('年度', '年度', 'Year') }, ...MONEY.map((k) => ({ label: names[k], num: true })),
    { label: names.employees, num: true }, { label: names.above_scale }];
  const rows = list.map((r) => [String(r.year), ...MONEY.map((k) => fmt.moneyEl(r[k])), fmt.num(r.employees),
    r.above_scale === null ? '—' : r.above_scale ? say('是', '是', 'yes') : say('否', '否', 'no')]);
  const section = card(title, box, el('div', { class: 'scroll', tabindex: '0' }, table(null, cols, rows)));
  section.classList.add('wide');
  const shown = ['output_value', 'revenue', 'value_added', 'tax_paid'];
  return [section, (chart) => chart(box, {
    grid: { left: 70, right: 20, top: 40, bottom: 30 },
    legend: { top: 0 },
    xAxis: { type: 'category', data: list.map((r) => String(r.year)) },
    yAxis: { type: 'value', name: fmt.chartUnit() },
    tooltip: { trigger: 'axis' },
    series: shown.map((k) => ({ name: names[k], type: 'bar', data: list.map((r) => fmt.inChartUnit(r[k])?.toFixed(4) ?? null) })),
  }, { ctx, label: title })];
}

function memberships(ctx, e) {
  const { el, card, table } = ctx;
  const say = x(ctx);
  const list = e.memberships ?? [];
  return card(say('所属产业链', '所屬產業鏈', 'Chain memberships'), list.length
    ? table(null, [{ label: say('产业链', '產業鏈', 'Chain') }, { label: say('环节', '環節', 'Segment') },
      { label: say('角色', '角色', 'Role') }, { label: say('确认状态', '確認狀態', 'Status') }],
    list.map((m) => [ctx.user.role === 'enterprise' ? m.chain_name ?? m.chain : el('a', { href: `/chains/${encodeURIComponent(m.chain)}` }, m.chain_name ?? m.chain),
      m.segment, label(ctx, 'role', m.role), label(ctx, 'membership', m.status)]))
    : el('p', {}, say('未加入产业链。', '未加入產業鏈。', 'Not a member of any chain.')));
}

// A card filled when its list arrives; a refusal or failure of that list stays inside the card.
function later(ctx, title, promise, fill, { wide = false } = {}) {
  const { el, card } = ctx;
  const body = el('div', {}, el('p', { class: 'hint' }, ctx.t('common.loading')));
  const section = card(title, body);
  if (wide) section.classList.add('wide');
  promise.then((v) => body.replaceChildren(...[fill(v)].flat(Infinity)), (e) => body.replaceChildren(failed(ctx, e)));
  return section;
}

const none = (ctx) => ctx.el('p', {}, x(ctx)('无。', '無。', 'None.'));

function projects(ctx, uscc) {
  const { table, fmt } = ctx;
  const say = x(ctx);
  return later(ctx, say('项目', '項目', 'Projects'), ctx.api('/projects', { query: { uscc, limit: 200 } }), (p) => (p.items.length
    ? table(null, [{ label: say('项目', '項目', 'Project') }, { label: say('类型', '類型', 'Kind') }, { label: say('阶段', '階段', 'Stage') },
      { label: say('总投资', '總投資', 'Total investment'), num: true }, { label: say('计划竣工', '計劃竣工', 'Planned completion') }],
    p.items.map((r) => [r.name, label(ctx, 'kind', r.kind), label(ctx, 'project', r.stage), fmt.moneyEl(r.total_investment), fmt.date(r.planned_completion)]))
    : none(ctx)), { wide: true });
}

function events(ctx, uscc) {
  const { table, fmt } = ctx;
  const say = x(ctx);
  return later(ctx, say('事项', '事項', 'Events'), ctx.api('/events', { query: { uscc, limit: 200, sort: 'date' } }), (p) => (p.items.length
    ? table(null, [{ label: say('日期', '日期', 'Date') }, { label: say('事项类型', '事項類型', 'Kind') }, { label: say('说明', '說明', 'Detail') },
      { label: say('核定金额', '核定金額', 'Approved amount'), num: true }],
    p.items.map((r) => [fmt.date(r.date), label(ctx, 'event', r.kind), r.detail ?? '—', r.amount === null ? '—' : fmt.moneyEl(r.amount)]))
    : none(ctx)));
}

function supply(ctx, uscc) {
  const { el, table, fmt } = ctx;
  const say = x(ctx);
  // An enterprise account reads only its own page: its trading partners are names, not links.
  const link = (u, name) => (ctx.user.role === 'enterprise' ? name ?? u : el('a', { href: `/enterprises/${encodeURIComponent(u)}` }, name ?? u));
  const both = Promise.all([ctx.api('/supply_links', { query: { customer: uscc, limit: 200, sort: 'year', order: 'desc' } }),
    ctx.api('/supply_links', { query: { supplier: uscc, limit: 200, sort: 'year', order: 'desc' } })]);
  return later(ctx, say('配套关系', '配套關係', 'Supply links'), both, ([bought, sold]) => {
    const cols = (who) => [{ label: say('年度', '年度', 'Year') }, { label: who }, { label: say('采购金额', '採購金額', 'Amount'), num: true }];
    return [
      el('h3', {}, say('向谁采购', '向誰採購', 'Bought from')),
      bought.items.length ? table(null, cols(say('供应商', '供應商', 'Supplier')),
        bought.items.map((r) => [String(r.year), link(r.supplier, r.supplier_name), fmt.moneyEl(r.amount)])) : none(ctx),
      el('h3', {}, say('供货给谁', '供貨給誰', 'Sold to')),
      sold.items.length ? table(null, cols(say('客户', '客戶', 'Customer')),
        sold.items.map((r) => [String(r.year), link(r.customer, r.customer_name), fmt.moneyEl(r.amount)])) : none(ctx)];
  }, { wide: true });
}

function appeals(ctx, uscc) {
  const { el, table, fmt } = ctx;
  const say = x(ctx);
  return later(ctx, say('企业诉求', '企業訴求', 'Appeals'), ctx.api('/appeals', { query: { uscc, limit: 200, sort: 'opened', order: 'desc' } }),
    (p) => (p.items.length ? table(null, [{ label: say('编号', '編號', 'No.') }, { label: say('诉求内容', '訴求內容', 'Summary') },
      { label: say('状态', '狀態', 'Status') }, { label: say('提出日期', '提出日期', 'Opened') }, { label: say('办结时限', '辦結時限', 'Due') }],
    p.items.map((r) => [el('a', { href: `/appeals/${encodeURIComponent(r.id)}` }, r.id), r.summary, label(ctx, 'appeal', r.status),
      fmt.date(r.opened), fmt.date(r.due)])) : none(ctx)));
}

// An award's explanation, fetched when its disclosure is first opened.
function explanation(ctx, id) {
  const { el } = ctx;
  const say = x(ctx);
  const text = el('pre', { class: 'explain' }, ctx.t('common.loading'));
  const box = el('details', { class: 'why', 'data-award': id }, el('summary', {}, say('计算说明', '計算說明', 'Explanation')), text);
  let loaded = false;
  box.addEventListener('toggle', async () => {
    if (!box.open || loaded) return;
    loaded = true;
    try {
      const a = await ctx.api(`/awards/${id}`, { query: { lang: ctx.lang } });
      text.textContent = a.explanation ?? '—';
    } catch (e) {
      text.replaceChildren(failed(ctx, e));
    }
  });
  return box;
}

function awards(ctx, uscc, policies) {
  const { table, fmt } = ctx;
  const say = x(ctx);
  const name = (id) => (policies[id] ? ctx.tr(policies[id].name) : id);
  return later(ctx, say('已获奖补', '已獲獎補', 'Awards'), ctx.api('/awards', { query: { uscc, limit: 1000 } }), (p) => (p.items.length
    ? table(null, [{ label: say('年度', '年度', 'Year') }, { label: say('政策', '政策', 'Policy') }, { label: say('对象', '對象', 'Subject') },
      { label: say('金额', '金額', 'Amount'), num: true }, { label: say('状态', '狀態', 'Status') }, { label: say('说明', '說明', 'Explanation') }],
    p.items.map((a) => [String(a.year), name(a.policy), `${label(ctx, 'subject', a.subject)} ${a.subject_id}`,
      a.grant ? ctx.tr(a.grant) : fmt.moneyEl(a.amount), label(ctx, 'award', a.status), explanation(ctx, a.id)]))
    : none(ctx)), { wide: true });
}

function matches(ctx, uscc, year, policies) {
  const { el, table, fmt } = ctx;
  const say = x(ctx);
  const picker = select('match-year', years(2019, new Date().getFullYear()).map((y) => [y, String(y)]), year, {
    onchange: (e) => ctx.navigate(withQuery({ year: e.target.value }), { replace: true }),
  });
  const section = later(ctx, say(`${year}年度还可享受的政策`, `${year}年度還可享受的政策`, `What it could get in award year ${year}`),
    ctx.api(`/enterprises/${encodeURIComponent(uscc)}/matches`, { query: { year, lang: ctx.lang } }), (m) => {
      const subject = (r) => `${label(ctx, 'subject', r.subject)} ${r.subject_id}`;
      const policy = { label: say('政策', '政策', 'Policy') };
      const part = (key, title, list, cols, row) => [el('h3', { 'data-list': key, 'data-count': list.length }, `${title}（${list.length}）`),
        list.length ? table(null, cols, list.map(row)) : none(ctx)];
      return [
        part('eligible', say('符合条件', '符合條件', 'Eligible'), m.eligible, [policy, { label: say('对象', '對象', 'Subject') },
          { label: say('金额', '金額', 'Amount'), num: true }],
        (r) => [r.name, subject(r), r.grant ? ctx.tr(r.grant) : fmt.moneyEl(r.amount)]),
        part('pending', say('符合条件、金额待定', '符合條件、金額待定', 'Eligible, amount pending'), m.pending,
          [policy, { label: say('对象', '對象', 'Subject') }], (r) => [r.name, subject(r)]),
        part('undetermined', say('无法判定（需补充资料）', '無法判定（需補充資料）', 'Undetermined: facts to supply'), m.undetermined,
          [policy, { label: say('对象', '對象', 'Subject') }, { label: say('缺少的资料', '缺少的資料', 'Missing facts') }],
          (r) => [r.name, subject(r), (r.missing ?? []).join('、')]),
        part('near_misses', say('差一点符合', '差一點符合', 'Near misses'), m.near_misses,
          [policy, { label: say('对象', '對象', 'Subject') }, { label: say('条件', '條件', 'Condition') },
            { label: say('实际', '實際', 'Value'), num: true }, { label: say('要求', '要求', 'Required'), num: true },
            { label: say('差额', '差額', 'Shortfall'), num: true }],
          (r) => [r.name ?? (policies[r.policy] ? ctx.tr(policies[r.policy].name) : r.policy), r.subject_id, r.condition, r.value, r.required, r.shortfall]),
      ];
    }, { wide: true });
  section.querySelector('h2').after(field(say('奖补年度', '獎補年度', 'Award year'), picker, { inline: true }));
  return section;
}

export default {
  path: '/enterprises/:uscc',
  title: { 'zh-CN': '企业详情', 'zh-TW': '企業詳情', en: 'Enterprise' },
  roles: ALL,
  navPath: (user) => (user?.role === 'enterprise' ? `/enterprises/${user.scope}` : null),
  async render(root, ctx) {
    const uscc = ctx.params.uscc;
    const charts = import('../charts.js'); // loads while the enterprise is fetched
    let e;
    try {
      e = await ctx.api(`/enterprises/${encodeURIComponent(uscc)}`);
    } catch (err) {
      return refuse(ctx, root, err);
    }
    const heading = document.getElementById('page-title');
    if (heading) heading.textContent = `${ctx.tr(this.title)}${ctx.lang === 'en' ? ': ' : '：'}${e.name}`;
    document.title = `${e.name} · ${document.title}`;
    const year = Number(ctx.query.get('year')) || new Date().getFullYear() - 1;
    const [catalogue, divisions, chains] = await Promise.all([ctx.api('/policies').catch(() => ({ items: [] })),
      ctx.api('/divisions', { query: { limit: 100 } }).catch(() => ({ items: [] })),
      ctx.api('/chains', { query: { limit: 100 } }).catch(() => ({ items: [] }))]);
    const chainName = Object.fromEntries(chains.items.map((c) => [c.code, c.name]));
    for (const m of e.memberships ?? []) m.chain_name ??= chainName[m.chain];
    e.division_name ??= divisions.items.find((d) => d.code === e.division)?.name;
    const policies = Object.fromEntries(catalogue.items.map((p) => [p.id, p]));
    const [ind, draw] = indicators(ctx, e);
    root.append(profile(ctx, e), memberships(ctx, e), ind, matches(ctx, uscc, year, policies), awards(ctx, uscc, policies),
      projects(ctx, uscc), supply(ctx, uscc), events(ctx, uscc), appeals(ctx, uscc));
    if (draw) draw((await charts).chart);
  },
};
