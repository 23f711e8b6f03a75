// policies — the policy catalogue (GET /api/v1/policies) and one policy: its department, the
// clause as the source words it, the reading the system applies, what it grants (an entitlement's
// text in the language in use), its years in force and its parameters, each with its source: the
// article, an assumption (flagged: it stands until the department confirms it), or confirmed by
// a document (文号 and date); and the policy's own test cases (GET /api/v1/policies/{id}/tests:
// the facts each case states, what it expects, and whether it passes when run now, as
// `lianzhang policy test` runs them).
import { ALL } from '../roles.js';
import { field, select } from './forms.js';
import { failed, label, refuse, withQuery, x } from './parts.js';

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

// One fact a case states: "employees[2021] = 300" (a related subject's prefixed: "owner.employees").
const input = (i) => `${i.of ? `${i.of}.` : ''}${i.fact}${i.year ? `[${i.year}]` : ''} = ${i.value}`;

// What a case expects of a subject: the result's label, the amount when eligible, the phrase its
// explanation must contain.
function expected(ctx, e) {
  const { el, fmt } = ctx;
  const say = x(ctx);
  if (!e) return '—';
  const status = e.status === 'none' ? say('不在适用范围（无结果）', '不在適用範圍（無結果）', 'out of scope (no result)') : label(ctx, 'result', e.status);
  return el('span', {}, status, e.amount ? [' ', fmt.moneyEl(e.amount)] : null,
    e.text ? [el('br'), el('span', { class: 'hint' }, say(`说明含“${e.text}”`, `說明含「${e.text}」`, `explanation says "${e.text}"`))] : null);
}

// The table of a policy's test cases, one row per subject of a case, or why there is none.
async function testCases(ctx, p) {
  const { el, table, fmt } = ctx;
  const say = x(ctx);
  let r;
  try {
    r = await ctx.api(`/policies/${encodeURIComponent(p.id)}/tests`);
  } catch (e) {
    return failed(ctx, e);
  }
  if (!r.items.length) return el('p', {}, say('本政策文件没有测试用例。', '本政策檔案沒有測試用例。', 'The policy file has no test cases.'));
  const rows = r.items.flatMap((c) => c.subjects.map((s) => [
    el('span', {}, c.name, el('br'), el('span', { class: 'hint' }, `${p.file}:${c.line}`)),
    String(c.year), s.id,
    el('ul', { class: 'inputs' }, s.inputs.map((i) => el('li', {}, el('code', {}, input(i))))),
    s.paid.length ? el('ul', { class: 'inputs' }, s.paid.map((q) => el('li', {}, `${q.year}: `, fmt.moneyEl(q.amount)))) : '—',
    expected(ctx, s.expect),
    c.passed ? el('span', { class: 'test-pass' }, say('通过', '通過', 'passes'))
      : el('span', { class: 'test-fail' }, say('未通过：', '未通過：', 'fails: '), c.failure ?? ''),
  ]));
  const tbl = table(null, [{ label: say('用例', '用例', 'Case') }, { label: say('奖补年度', '獎補年度', 'Award year'), num: true },
    { label: say('对象', '對象', 'Subject') }, { label: say('输入事实', '輸入事實', 'Facts given') },
    { label: say('此前已兑付', '此前已兌付', 'Paid before') }, { label: say('预期结果', '預期結果', 'Expected') },
    { label: say('现在运行', '現在執行', 'Run now') }], rows);
  tbl.id = 'policy-tests-table';
  return [
    el('p', { class: 'note', id: 'policy-tests-summary', 'data-passed': r.passed, 'data-failed': r.failed },
      say(`共 ${fmt.num(r.items.length)} 个用例：${fmt.num(r.passed)} 个通过，${fmt.num(r.failed)} 个未通过。用例中的企业和数字均为虚构，随政策文件维护。`,
        `共 ${fmt.num(r.items.length)} 個用例：${fmt.num(r.passed)} 個通過，${fmt.num(r.failed)} 個未通過。用例中的企業和數字均為虛構，隨政策檔案維護。`,
        `${fmt.num(r.items.length)} cases: ${fmt.num(r.passed)} pass, ${fmt.num(r.failed)} fail. Their enterprises and figures are invented, kept with the policy file.`)),
    el('div', { class: 'scroll', tabindex: '0' }, tbl)];
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
    params.id = 'policy-parameters';
    params.classList.add('wide');
    const tests = card(say('测试用例', '測試用例', 'Test cases'), await testCases(ctx, p),
      el('p', {}, el('a', { href: `/calculator?policy=${encodeURIComponent(p.id)}` }, say('在政策计算器中试算', '在政策計算器中試算', 'Try other figures in the calculator'))));
    tests.id = 'policy-tests';
    tests.classList.add('wide');
    root.append(facts, clause, params, tests);
  },
};
