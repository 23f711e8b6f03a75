// awards — a year's results in the ledger (GET /api/v1/awards?year=Y, every page) summed by
// policy and by department (a policy's department from the catalogue; sums exact, in fen), the
// list with its filters and cursor paging, and the sign-off: computed -> reviewed -> approved ->
// paid, or rejected with a reason (POST /api/v1/awards/{id}/transition). Four eyes: the server
// refuses the account that computed to review, and either of them to approve; the page shows its
// message beside the award. An admin (or a bureau for its own policies) records a year's
// computation (POST /api/v1/awards/compute). The list as shown (year, policy, department,
// status) downloads as CSV or XLSX (GET /api/v1/awards/export with the same query: the server
// scopes it like the list), through plain download links.
import { field, select } from './forms.js';
import { everything, failed, fen, label, withQuery, x, years, yuan } from './parts.js';

const STATUSES = ['computed', 'reviewed', 'approved', 'paid', 'rejected'];
const NEXT = { computed: ['reviewed', 'rejected'], reviewed: ['approved', 'rejected'], approved: ['paid'], paid: [], rejected: [] };
const PAGE = 50;

function summarise(items, deptOf) {
  const blank = () => ({ n: 0, amount: 0n, ...Object.fromEntries(STATUSES.map((s) => [s, 0])) });
  const byPolicy = new Map();
  const byDept = new Map();
  for (const a of items) {
    for (const [map, key] of [[byPolicy, a.policy], [byDept, deptOf(a.policy)]]) {
      if (!map.has(key)) map.set(key, blank());
      const s = map.get(key);
      s.n += 1;
      s[a.status] += 1;
      if (a.status !== 'rejected') s.amount += fen(a.amount);
    }
  }
  return [byPolicy, byDept];
}

function explanation(ctx, id) {
  const { el, table, fmt } = ctx;
  const say = x(ctx);
  const text = el('pre', { class: 'explain' }, ctx.t('common.loading'));
  const moves = el('div', {});
  const box = el('details', { class: 'why' }, el('summary', {}, say('说明与经办', '說明與經辦', 'Explanation and moves')), text, moves);
  box.addEventListener('toggle', async () => {
    if (!box.open) return;
    try {
      const [a, h] = await Promise.all([ctx.api(`/awards/${id}`, { query: { lang: ctx.lang } }), ctx.api(`/awards/${id}/history`)]);
      text.textContent = a.explanation ?? '—';
      moves.replaceChildren(h.items.length ? table(say('经办记录', '經辦紀錄', 'Moves'), [{ label: say('时间', '時間', 'When') },
        { label: say('状态', '狀態', 'Status') }, { label: say('经办账号', '經辦帳號', 'Account') }, { label: say('意见', '意見', 'Note') }],
      h.items.map((m) => [m.at ? fmt.date(m.at.slice(0, 10)) + m.at.slice(10, 16).replace('T', ' ') : '—',
        `${label(ctx, 'award', m.from)} → ${label(ctx, 'award', m.to)}`, m.actor, m.note ?? '—'])) : null);
    } catch (e) {
      text.replaceChildren(failed(ctx, e));
    }
  });
  return box;
}

// The actions cell of an award: the moves its status allows, a reason for a rejection, the
// server's answer in an alert.
function actions(ctx, a, onMoved) {
  const { el } = ctx;
  const say = x(ctx);
  const verbs = {
    reviewed: say('审核通过', '審核通過', 'Review'), approved: say('批准', '核准', 'Approve'), paid: say('确认兑付', '確認兌付', 'Mark paid'),
    rejected: say('驳回', '駁回', 'Reject'),
  };
  const message = el('p', { class: 'error', role: 'alert', id: `aw-msg-${a.id}` });
  const reason = el('input', { id: `aw-reason-${a.id}`, type: 'text', maxlength: 500 });
  const move = async (to, button) => {
    message.textContent = '';
    if (to === 'rejected' && !reason.value.trim()) {
      message.textContent = say('驳回须填写理由。', '駁回須填寫理由。', 'A rejection needs a reason.');
      reason.focus();
      return;
    }
    button.disabled = true;
    try {
      await ctx.api(`/awards/${a.id}/transition`, { method: 'POST', body: { to, reason: to === 'rejected' ? reason.value.trim() : undefined } });
      await onMoved(a, to);
    } catch (e) {
      message.textContent = e.message;
      button.disabled = false;
    }
  };
  const next = NEXT[a.status] ?? [];
  const buttons = next.filter((s) => s !== 'rejected').map((s) => {
    const b = el('button', { type: 'button', class: 'btn primary', 'data-to': s, 'aria-describedby': message.id }, verbs[s]);
    b.addEventListener('click', () => move(s, b));
    return b;
  });
  let reject = null;
  if (next.includes('rejected')) {
    const b = el('button', { type: 'button', class: 'btn', 'data-to': 'rejected', 'aria-describedby': message.id }, verbs.rejected);
    b.addEventListener('click', () => move('rejected', b));
    reject = el('details', { class: 'reject' }, el('summary', {}, say('驳回…', '駁回…', 'Reject…')),
      field(say('驳回理由', '駁回理由', 'Reason'), reason), b);
  }
  return el('div', { class: 'actions' }, buttons, reject, message);
}

function computeForm(ctx, policies, year, onDone) {
  const { el } = ctx;
  const say = x(ctx);
  const mine = policies.filter((p) => !p.described_only && (ctx.user.role === 'admin' || p.department === ctx.user.scope));
  if (mine.length === 0) return null;
  const pick = select('aw-compute-policy', mine.map((p) => [p.id, ctx.tr(p.name)]), mine[0].id);
  const message = el('p', { class: 'status', role: 'status' });
  const button = el('button', { type: 'submit', class: 'btn' }, say(`计算 ${year} 年度`, `計算 ${year} 年度`, `Compute ${year}`));
  const form = el('form', { class: 'filters' }, field(say('计算政策', '計算政策', 'Policy to compute'), pick),
    el('div', { class: 'field actions' }, button), message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    try {
      const r = await ctx.api('/awards/compute', { method: 'POST', body: { year, policy: pick.value } });
      message.textContent = say(`已计算：新增 ${r.added}，变更 ${r.changed}，未变 ${r.unchanged}。`, `已計算：新增 ${r.added}，變更 ${r.changed}，未變 ${r.unchanged}。`,
        `Computed: ${r.added} added, ${r.changed} changed, ${r.unchanged} unchanged.`);
      await onDone();
    } catch (err) {
      message.textContent = err.message;
    }
    button.disabled = false;
  });
  return form;
}

export default {
  path: '/awards',
  title: { 'zh-CN': '奖补兑现', 'zh-TW': '獎補兌現', en: 'Awards' },
  roles: ['admin', 'bureau'],
  async render(root, ctx) {
    const { el, card, table, fmt, query } = ctx;
    const say = x(ctx);
    const year = Number(query.get('year')) || new Date().getFullYear() - 1;
    const policyQ = query.get('policy') ?? '';
    const statusQ = STATUSES.includes(query.get('status')) ? query.get('status') : '';
    const deptQ = query.get('department') ?? '';
    const catalogue = (await ctx.api('/policies')).items;
    const byId = Object.fromEntries(catalogue.map((p) => [p.id, p]));
    const name = (id) => (byId[id] ? ctx.tr(byId[id].name) : id);
    const deptOf = (id) => byId[id]?.department ?? '—';

    const yearPick = select('aw-year', years().map((y) => [y, String(y)]), year);
    const policyPick = select('aw-policy', [['', say('全部政策', '全部政策', 'all policies')],
      ...catalogue.filter((p) => !p.described_only).map((p) => [p.id, ctx.tr(p.name)])], policyQ);
    const statusPick = select('aw-status', [['', say('全部状态', '全部狀態', 'any status')], ...STATUSES.map((s) => [s, label(ctx, 'award', s)])], statusQ);
    const filters = el('form', { class: 'filters' }, field(say('奖补年度', '獎補年度', 'Award year'), yearPick),
      field(say('政策', '政策', 'Policy'), policyPick), field(say('状态', '狀態', 'Status'), statusPick),
      el('div', { class: 'field actions' }, el('button', { type: 'submit', class: 'btn primary' }, say('查询', '查詢', 'Show'))));
    filters.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.navigate(withQuery({ year: yearPick.value, policy: policyPick.value || null, status: statusPick.value || null,
        department: null, cursor: null, p: null }));
    });
    const status = el('p', { class: 'status', role: 'status', id: 'aw-status' });
    const summaryBox = el('div', { class: 'wide summary' });
    const listBox = el('div', { class: 'wide' });
    const top = card(say('筛选', '篩選', 'Filters'), filters, computeForm(ctx, catalogue, year, () => draw()), status);
    top.classList.add('wide');
    root.append(top, summaryBox, listBox);

    const amountCols = [{ label: say('笔数', '筆數', 'Count'), num: true }, { label: say('金额（不含驳回）', '金額（不含駁回）', 'Amount, not rejected'), num: true },
      ...STATUSES.map((s) => ({ label: label(ctx, 'award', s), num: true }))];
    const figures = (s) => [fmt.num(s.n), fmt.moneyEl(yuan(s.amount)), ...STATUSES.map((k) => fmt.num(s[k]))];

    async function drawSummary() {
      const all = await everything(ctx, '/awards', { year });
      const [byPolicy, byDept] = summarise(all, deptOf);
      const link = (q, text) => el('a', { href: withQuery({ ...q, cursor: null, p: null }) }, text);
      const pol = card(say(`${year} 年度按政策`, `${year} 年度按政策`, `${year} by policy`), byPolicy.size
        ? el('div', { class: 'scroll', tabindex: '0' }, table(null, [{ label: say('政策', '政策', 'Policy') }, { label: say('部门', '部門', 'Department') }, ...amountCols],
          [...byPolicy].map(([id, s]) => [link({ policy: id, department: null }, name(id)), deptOf(id), ...figures(s)])))
        : el('p', {}, say('该年度台账中没有奖补。', '該年度台帳中沒有獎補。', 'No award in the ledger for this year.')));
      const dep = card(say(`${year} 年度按部门`, `${year} 年度按部門`, `${year} by department`), byDept.size
        ? el('div', { class: 'scroll', tabindex: '0' }, table(null, [{ label: say('部门', '部門', 'Department') }, ...amountCols],
          [...byDept].map(([d, s]) => [link({ department: d, policy: null }, d), ...figures(s)])))
        : el('p', {}, say('无。', '無。', 'None.')));
      pol.id = 'awards-by-policy';
      dep.id = 'awards-by-department';
      pol.classList.add('wide');
      dep.classList.add('wide');
      summaryBox.replaceChildren(pol, dep);
    }

    // The list's filters, for the list and the export alike (a department is its policies: the
    // server filters by the catalogue's department).
    const filterQ = { year };
    if (policyQ) filterQ.policy = policyQ;
    else if (deptQ) filterQ.department = deptQ;
    if (statusQ) filterQ.status = statusQ;
    const exportQ = new URLSearchParams(filterQ);
    if (ctx.lang === 'en') exportQ.set('lang', 'en');
    const exportLink = (format, text) => el('a', { class: 'btn', href: `/api/v1/awards/export?${exportQ}&format=${format}`, download: '',
      'data-format': format }, text);

    async function drawList() {
      const page = await ctx.api('/awards', { query: { ...filterQ, limit: PAGE, cursor: query.get('cursor') } });
      const items = page.items;
      const n = Number(query.get('p') ?? '1');
      const tbody = (a) => [String(a.id),
        el('span', {}, name(a.policy), el('br'), el('span', { class: 'hint' }, `${label(ctx, 'subject', a.subject)} ${a.subject_id}`)),
        a.uscc ? el('a', { href: `/enterprises/${encodeURIComponent(a.uscc)}` }, a.uscc) : '—',
        label(ctx, 'result', a.result), a.grant ? ctx.tr(a.grant) : fmt.moneyEl(a.amount),
        el('span', { class: `award-status status-${a.status}` }, label(ctx, 'award', a.status)),
        el('div', {}, actions(ctx, a, moved), explanation(ctx, a.id))];
      const cols = [{ label: say('编号', '編號', 'No.'), num: true }, { label: say('政策 / 对象', '政策 / 對象', 'Policy / subject') },
        { label: say('企业', '企業', 'Enterprise') }, { label: say('结果', '結果', 'Result') }, { label: say('金额', '金額', 'Amount'), num: true },
        { label: say('状态', '狀態', 'Status') }, { label: say('审批 / 说明', '審批 / 說明', 'Sign-off / explanation') }];
      const tbl = table(null, cols, items.map(tbody));
      [...tbl.tBodies[0].rows].forEach((r, i) => { r.id = `award-${items[i].id}`; r.dataset.status = items[i].status; });
      const title = deptQ && !policyQ ? say(`${deptQ}的奖补`, `${deptQ}的獎補`, `Awards of ${deptQ}`) : say('奖补清单', '獎補清單', 'Awards');
      const pager = el('nav', { class: 'pager', 'aria-label': say('翻页', '翻頁', 'Pages') },
        n > 1 ? el('a', { class: 'btn', href: withQuery({ cursor: null, p: null }) }, say('第一页', '第一頁', 'First page')) : null,
        n > 1 ? el('button', { type: 'button', class: 'btn', onclick: () => history.back() }, say('上一页', '上一頁', 'Previous page')) : null,
        page.next ? el('a', { class: 'btn', href: withQuery({ cursor: page.next, p: n + 1 }), rel: 'next' }, say('下一页', '下一頁', 'Next page')) : null);
      const c = card(title,
        el('p', { class: 'note', id: 'aw-total', 'data-total': page.total }, say(`共 ${fmt.num(page.total)} 笔，第 ${n} 页`,
          `共 ${fmt.num(page.total)} 筆，第 ${n} 頁`, `${fmt.num(page.total)} in all, page ${n}`)),
        el('p', { class: 'hint' }, say('四眼原则：审核人不能是计算人，批准人不能是前两者。',
          '四眼原則：審核人不能是計算人，核准人不能是前兩者。',
          'Four eyes: the reviewer is never the account that computed, the approver neither of the two.')),
        el('div', { class: 'toolbar export', id: 'aw-export' }, el('span', {}, say(`导出本清单全部 ${fmt.num(page.total)} 笔：`,
          `匯出本清單全部 ${fmt.num(page.total)} 筆：`, `Download all ${fmt.num(page.total)} of this list: `)),
        exportLink('xlsx', say('导出 XLSX', '匯出 XLSX', 'Download XLSX')), exportLink('csv', say('导出 CSV', '匯出 CSV', 'Download CSV'))),
        items.length ? el('div', { class: 'scroll', tabindex: '0' }, tbl) : el('p', {}, say('没有符合条件的奖补。', '沒有符合條件的獎補。', 'No award matches.')), pager);
      c.classList.add('wide');
      listBox.replaceChildren(c);
    }

    async function moved(a, to) {
      const fresh = await ctx.api(`/awards/${a.id}`);
      const row = document.getElementById(`award-${a.id}`);
      if (row) {
        row.dataset.status = fresh.status;
        row.cells[5].replaceChildren(el('span', { class: `award-status status-${fresh.status}` }, label(ctx, 'award', fresh.status)));
        row.querySelector('.actions').replaceWith(actions(ctx, fresh, moved));
      }
      status.textContent = say(`第 ${a.id} 号：${label(ctx, 'award', a.status)} → ${label(ctx, 'award', to)}`,
        `第 ${a.id} 號：${label(ctx, 'award', a.status)} → ${label(ctx, 'award', to)}`, `No. ${a.id}: ${label(ctx, 'award', a.status)} → ${label(ctx, 'award', to)}`);
      drawSummary().catch(() => {});
    }

    async function draw() {
      await Promise.all([drawSummary(), drawList()]);
    }
    await draw();
  },
};
