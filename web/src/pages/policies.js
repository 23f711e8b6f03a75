// policies — the policy catalogue (GET /api/v1/policies) and one policy: its department, the
// clause as the source words it, the reading the system applies, what it grants (an entitlement's
// text in the language in use), its years in force and its parameters, each with its source: the
// article, an assumption (flagged: it stands until the department confirms it), or confirmed by
// a document (文号 and date). The catalogue does not carry the policies' test cases: they live
// in the policy files, and the page says so.
import { ALL } from '../roles.js';
import { field, label, refuse, select, withQuery, x } from './parts.js';

const catalogue = (ctx) => ctx.api('/policies').then((r) => r.items);

// A parameter's value: an amount in yuan through fmt.moneyEl, anything else as the file writes it.
function value(ctx, v) {
  const m = /^(-?\d+(?:\.\d+)?) yuan$/.exec(String(v ?? ''));
  if (m) return ctx.fmt.moneyEl(m[1]);
  return String(v ?? '—').replace(/^"(.*)"$/, '$1');
}

// The source of a figure: article, assumed (flagged), or confirmed with its document.
function source(ctx, s) {
  const { el, fmt } = ctx;
  const say = x(ctx);
  const kind = s?.source ?? 'assumed';
  const badge = el('span', { class: `source source-${kind}` }, label(ctx, 'source', kind));
  if (kind !== 'confirmed') return badge;
  return el('span', {}, badge, ' ', s.document ?? '', s.document_date ? say(`（${fmt.date(s.document_date)}）`, `（${fmt.date(s.document_date)}）`, ` (${fmt.date(s.document_date)})`) : '');
}

function yearsInForce(ctx, p) {
  const say = x(ctx);
  if (!p.valid_from && !p.valid_to) return say('不限', '不限', 'no limit');
  return `${p.valid_from || '…'}–${p.valid_to || '…'}`;
}

function kindOf(ctx, p) {
  const say = x(ctx);
  if (p.described_only) return say('原文未定金额（仅收录）', '原文未定金額（僅收錄）', 'described, not quantified in the source');
  if (p.entitlement) return say('权益（非资金）', '權益（非資金）', 'entitlement (not money)');
  return say('资金奖补', '資金獎補', 'money award');
}

const reading = (ctx, p) => (ctx.lang === 'en' ? p.reading : p.reading_zh?.[ctx.lang] ?? p.reading);
const assumedCount = (p) => (p.parameters ?? []).filter((q) => q.source === 'assumed').length + (p.valid_source?.source === 'assumed' ? 1 : 0);

export default {
  path: '/policies',
  title: { 'zh-CN': '政策库', 'zh-TW': '政策庫', en: 'Policies' },
  roles: ALL,
  async render(root, ctx) {
    const { el, card, table, fmt, query } = ctx;
    const say = x(ctx);
    const items = await catalogue(ctx);
    const departments = [...new Set(items.map((p) => p.department))].sort();
    const dept = query.get('department') ?? '';
    const pick = select('pol-dept', [['', say('全部部门', '全部部門', 'all departments')], ...departments.map((d) => [d, d])], dept,
      { onchange: (e) => ctx.navigate(withQuery({ department: e.target.value || null }), { replace: true }) });
    const shown = items.filter((p) => !dept || p.department === dept);
    const list = card(say(`政策目录（${shown.length} 项）`, `政策目錄（${shown.length} 項）`, `Catalogue (${shown.length})`),
      el('p', { class: 'hint' }, say('标记“假设”的参数是原文未给出、系统暂按默认值计算的数字，待主管部门确认。',
        '標記「假設」的參數是原文未給出、系統暫按預設值計算的數字，待主管部門確認。',
        'Parameters marked "assumed" are figures the source does not give; the system uses a default until the department confirms it.')),
      table(null, [{ label: say('政策', '政策', 'Policy') }, { label: say('部门', '部門', 'Department') }, { label: say('类型', '類型', 'Kind') },
        { label: say('适用年度', '適用年度', 'Years in force') }, { label: say('参数', '參數', 'Parameters'), num: true },
        { label: say('其中假设', '其中假設', 'Assumed'), num: true }],
      shown.map((p) => [el('a', { href: `/policies/${encodeURIComponent(p.id)}` }, ctx.tr(p.name)), p.department, kindOf(ctx, p),
        yearsInForce(ctx, p), fmt.num((p.parameters ?? []).length),
        assumedCount(p) ? el('span', { class: 'source source-assumed' }, fmt.num(assumedCount(p))) : fmt.num(0)])));
    list.classList.add('wide');
    root.append(el('div', { class: 'toolbar' }, field(say('部门', '部門', 'Department'), pick, { inline: true })), list);
  },
};

export const policy = {
  path: '/policies/:id',
  title: { 'zh-CN': '政策详情', 'zh-TW': '政策詳情', en: 'Policy' },
  roles: ALL,
  async render(root, ctx) {
    const { el, card, table } = ctx;
    const say = x(ctx);
    const p = (await catalogue(ctx)).find((q) => q.id === ctx.params.id);
    if (!p) return refuse(ctx, root, { status: 404 });
    const heading = document.getElementById('page-title');
    if (heading) heading.textContent = ctx.tr(p.name);
    document.title = `${ctx.tr(p.name)} · ${document.title}`;
    const row = (k, v) => [el('dt', {}, k), el('dd', {}, v)];
    const facts = card(say('概况', '概況', 'Overview'), el('dl', { class: 'facts' },
      row(say('编号', '編號', 'Id'), p.id),
      row(say('主管部门', '主管部門', 'Department'), p.department),
      row(say('对象', '對象', 'Subject'), label(ctx, 'subject', p.subject)),
      row(say('类型', '類型', 'Kind'), kindOf(ctx, p)),
      row(say('适用年度', '適用年度', 'Years in force'), el('span', {}, yearsInForce(ctx, p), ' ', source(ctx, p.valid_source))),
      row(say('政策文件', '政策檔案', 'Policy file'), `${p.file} (${p.version})`)));
    const clause = card(say('原文条款', '原文條款', 'Clause as the source words it'),
      el('blockquote', { class: 'clause', lang: 'zh-TW' }, p.clause),
      p.grant ? [el('h3', {}, say('可享受的权益', '可享受的權益', 'What it grants')), el('p', {}, ctx.tr(p.grant))] : null,
      el('h3', {}, say('系统采用的理解', '系統採用的理解', 'The reading the system applies')),
      el('p', { class: 'reading', lang: ctx.lang === 'en' ? 'en' : null }, reading(ctx, p)));
    clause.classList.add('wide');
    const params = card(say('参数及来源', '參數及來源', 'Parameters and their source'), (p.parameters ?? []).length
      ? table(null, [{ label: say('参数', '參數', 'Parameter') }, { label: say('取值', '取值', 'Value'), num: true },
        { label: say('来源', '來源', 'Source') }, { label: say('上限', '上限', 'Cap') }, { label: say('适用年度', '適用年度', 'Years') }],
      p.parameters.map((q) => [ctx.tr(q.label ?? {}) ?? q.name, value(ctx, q.value), source(ctx, q),
        q.maximum ? say('是（最高额）', '是（最高額）', 'yes (an upper limit)') : '—',
        q.from_year || q.to_year ? `${q.from_year || '…'}–${q.to_year || '…'}` : '—']))
      : el('p', {}, say('本政策没有可计算的参数。', '本政策沒有可計算的參數。', 'This policy has no parameters to compute with.')));
    params.classList.add('wide');
    const tests = card(say('测试用例', '測試用例', 'Test cases'), el('p', {}, say(
      `本政策的测试用例写在政策文件 ${p.file} 中，随系统测试运行；接口目前不提供其内容。可在政策计算器中试算。`,
      `本政策的測試用例寫在政策檔案 ${p.file} 中，隨系統測試執行；介面目前不提供其內容。可在政策計算器中試算。`,
      `This policy's test cases are in its file ${p.file} and run with the system's tests; the API does not serve them yet. Try figures in the calculator.`)),
    el('p', {}, el('a', { href: `/calculator?policy=${encodeURIComponent(p.id)}` }, say('打开政策计算器', '開啟政策計算器', 'Open the calculator'))));
    root.append(facts, clause, params, tests);
  },
};
