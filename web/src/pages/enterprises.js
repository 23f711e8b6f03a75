// enterprises — the key-enterprise directory: GET /api/v1/enterprises with its search (q, a
// substring of names), filters (chain: the chain's confirmed members; division), sort and cursor
// paging, and the export of the same selection (GET /api/v1/export/enterprises). "Above size"
// is a fact of a year (indicators.above_scale), not of the enterprise: with it chosen the
// directory lists that year's indicators rows above size (GET /api/v1/indicators), which have
// no chain or division of their own, so those filters do not apply then (the page says so).
import { OFFICIALS } from '../roles.js';
import { field, select } from './forms.js';
import { label, withQuery, x, years } from './parts.js';

const PAGE = 50;

function filters(ctx, chains, divisions) {
  const { el, query } = ctx;
  const say = x(ctx);
  const any = say('全部', '全部', 'any');
  const q = el('input', { id: 'ent-q', name: 'q', type: 'search', value: query.get('q') ?? '' });
  const chain = select('ent-chain', [['', any], ...chains.map((c) => [c.code, c.name])], query.get('chain'));
  const division = select('ent-division', [['', any], ...divisions.map((d) => [d.code, d.name])], query.get('division'));
  const above = select('ent-above', [['', say('不限', '不限', 'any')], ...years(2019, new Date().getFullYear() - 1)
    .map((y) => [y, say(`${y}年规上`, `${y}年規上`, `above size in ${y}`)])], query.get('above'));
  const sort = select('ent-sort', [['name', say('企业名称', '企業名稱', 'name')], ['uscc', say('信用代码', '信用代碼', 'USCC')],
    ['founded', say('成立日期', '成立日期', 'founded')]], query.get('sort') ?? 'name');
  const order = select('ent-order', [['asc', say('升序', '升冪', 'ascending')], ['desc', say('降序', '降冪', 'descending')]],
    query.get('order') ?? 'asc');
  const form = el('form', { class: 'filters', role: 'search' },
    field(say('名称搜索', '名稱搜尋', 'Search names'), q),
    field(say('产业链', '產業鏈', 'Chain'), chain),
    field(say('所在市（区）', '所在市（區）', 'Division'), division),
    field(say('规上企业', '規上企業', 'Above designated size'), above),
    field(say('排序', '排序', 'Sort by'), sort),
    field(say('顺序', '順序', 'Order'), order),
    el('div', { class: 'field actions' }, el('button', { type: 'submit', class: 'btn primary' }, say('查询', '查詢', 'Search'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = (n) => n.value.trim() || null;
    ctx.navigate(withQuery({ q: v(q), chain: v(chain), division: v(division), above: v(above), sort: v(sort), order: v(order),
      cursor: null, p: null }));
  });
  return form;
}

// The list query for the API (list and export alike) from the page's URL.
function listQuery(query) {
  const above = query.get('above');
  if (above) return ['/indicators', 'indicators', { year: above, above_scale: 'true' }];
  const q = {};
  for (const k of ['q', 'chain', 'division']) if (query.get(k)) q[k] = query.get(k);
  return ['/enterprises', 'enterprises', q];
}

export default {
  path: '/enterprises',
  title: { 'zh-CN': '企业库', 'zh-TW': '企業庫', en: 'Enterprises' },
  roles: OFFICIALS,
  async render(root, ctx) {
    const { el, card, table, fmt, query } = ctx;
    const say = x(ctx);
    const [chains, divisions] = await Promise.all([ctx.api('/chains', { query: { limit: 100 } }), ctx.api('/divisions', { query: { limit: 100 } })]);
    const form = filters(ctx, chains.items, divisions.items);
    const [path, table_, base] = listQuery(query);
    const aboveMode = table_ === 'indicators';
    const sort = query.get('sort') ?? 'name';
    const order = query.get('order') ?? 'asc';
    const listSort = aboveMode ? 'output_value' : sort; // an indicators row has no name: by output
    const page = await ctx.api(path, { query: { ...base, sort: listSort, order, limit: PAGE, cursor: query.get('cursor') } });
    const n = Number(query.get('p') ?? '1');

    // The export takes the list's filters on columns; chain= is the list's own (the chain's
    // confirmed members), so with a chain the export is the chain's membership list instead.
    const chainQ = !aboveMode && query.get('chain');
    const exportTable = chainQ ? 'memberships' : table_;
    const exportQ = new URLSearchParams(chainQ ? { chain: chainQ, status: 'confirmed' } : { ...base, sort: listSort, order });
    if (ctx.lang === 'en') exportQ.set('lang', 'en');
    const exportLink = (fmtName, text) => el('a', { class: 'btn', href: `/api/v1/export/${exportTable}?format=${fmtName}&${exportQ}`, download: '' }, text);
    const exportNote = chainQ ? el('p', { class: 'hint' }, say('导出接口不能按产业链筛选企业：导出的是该链已确认成员名单（含环节和角色），不含其他筛选条件。',
      '匯出介面不能按產業鏈篩選企業：匯出的是該鏈已確認成員名單（含環節和角色），不含其他篩選條件。',
      'The export cannot filter enterprises by chain: it gives the chain\'s confirmed members (with segment and role), without the other filters.')) : null;

    const total = page.total_exact === false ? say(`超过 ${fmt.num(page.total)} 家`, `超過 ${fmt.num(page.total)} 家`, `over ${fmt.num(page.total)}`)
      : fmt.num(page.total);
    const summary = el('p', { class: 'note', id: 'ent-total', 'data-total': page.total },
      say(`共 ${total} 家，第 ${n} 页`, `共 ${total} 家，第 ${n} 頁`, `${total} in all, page ${n}`));
    const note = aboveMode ? el('p', { class: 'hint' }, say('规上筛选按年度指标（规上企业）列出；名称搜索、产业链和市（区）筛选此时不适用。',
      '規上篩選按年度指標（規上企業）列出；名稱搜尋、產業鏈和市（區）篩選此時不適用。',
      'Above size is a fact of a year: the list shows that year\'s indicators of enterprises above size; name search, chain and division do not apply then.')) : null;

    const link = (r) => el('a', { href: `/enterprises/${encodeURIComponent(r.uscc)}` }, r.enterprise_name ?? r.name ?? r.uscc);
    const rows = aboveMode
      ? page.items.map((r) => [link(r), r.uscc, fmt.moneyEl(r.output_value), fmt.moneyEl(r.revenue), fmt.num(r.employees)])
      : page.items.map((r) => [link(r), r.uscc, r.division_name ?? r.division ?? '—', r.industry_code ?? '—', fmt.date(r.founded),
        r.local ? say('是', '是', 'yes') : say('否', '否', 'no'), label(ctx, 'listing', r.listing_board)]);
    const cols = aboveMode
      ? [{ label: say('企业名称', '企業名稱', 'Name') }, { label: say('统一社会信用代码', '統一社會信用代碼', 'USCC') },
        { label: say(`${query.get('above')}年产值`, `${query.get('above')}年產值`, `Output ${query.get('above')}`), num: true },
        { label: say('主营业务收入', '主營業務收入', 'Revenue'), num: true }, { label: say('从业人员', '從業人員', 'Employees'), num: true }]
      : [{ label: say('企业名称', '企業名稱', 'Name') }, { label: say('统一社会信用代码', '統一社會信用代碼', 'USCC') },
        { label: say('所在市（区）', '所在市（區）', 'Division') }, { label: say('行业代码', '行業代碼', 'Industry') },
        { label: say('成立日期', '成立日期', 'Founded') }, { label: say('本地企业', '本地企業', 'Local') },
        { label: say('上市板块', '上市板塊', 'Listing') }];

    const pager = el('nav', { class: 'pager', 'aria-label': say('翻页', '翻頁', 'Pages') },
      n > 1 ? el('a', { class: 'btn', href: withQuery({ cursor: null, p: null }) }, say('第一页', '第一頁', 'First page')) : null,
      n > 1 ? el('button', { type: 'button', class: 'btn', onclick: () => history.back() }, say('上一页', '上一頁', 'Previous page')) : null,
      page.next ? el('a', { class: 'btn', href: withQuery({ cursor: page.next, p: n + 1 }), rel: 'next' }, say('下一页', '下一頁', 'Next page')) : null);

    const results = card(say('查询结果', '查詢結果', 'Results'),
      el('div', { class: 'toolbar' }, summary,
        el('span', { class: 'exports' }, exportLink('csv', say('导出 CSV', '匯出 CSV', 'Export CSV')), ' ',
          exportLink('xlsx', say('导出 Excel', '匯出 Excel', 'Export Excel')))),
      note, exportNote,
      rows.length ? table(null, cols, rows) : el('p', {}, say('没有符合条件的企业。', '沒有符合條件的企業。', 'No enterprise matches.')),
      pager);
    results.classList.add('wide');
    const filterCard = card(say('筛选', '篩選', 'Filters'), form);
    filterCard.classList.add('wide');
    root.append(filterCard, results);
  },
};
