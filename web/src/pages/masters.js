// masters (链主企业) — who should lead a chain, by the ten criteria: GET
// /api/v1/chains/{code}/masters?year=Y. Each candidate's raw figure, normalised value and weighted
// contribution per criterion, its score and rank, its standing (current master, proposed for the
// batch, reserve, or stopped at a gate, with the gate) and the weight moves of ±20% that would
// change its rank. Where the server offers designation decisions (propose, then a second account
// approves), the proposals and their buttons are shown; where it does not, nothing is.
import { busy, field, message, selectField } from './forms.js';
import { today } from './parts.js';

const FIRST_YEAR = 2019;
const defaultYear = () => new Date().getFullYear() - 2;

// The ten criteria in the server's order, with how their raw figure reads.
const CRITERIA = [
  ['revenue', 'money', { 'zh-CN': '主营业务规模', 'zh-TW': '主營業務規模', en: 'Main business scale' }],
  ['tax_paid', 'money', { 'zh-CN': '财政贡献', 'zh-TW': '財政貢獻', en: 'Fiscal contribution' }],
  ['output_share', 'rate', { 'zh-CN': '行业地位', 'zh-TW': '行業地位', en: 'Industry position' }],
  ['local_purchases', 'money', { 'zh-CN': '产业链带动能力', 'zh-TW': '產業鏈帶動能力', en: 'Chain-driving ability' }],
  ['rd_expense', 'money', { 'zh-CN': '研发实力（投入）', 'zh-TW': '研發實力（投入）', en: 'R&D strength (spending)' }],
  ['rd_intensity', 'rate', { 'zh-CN': '研发实力（强度）', 'zh-TW': '研發實力（強度）', en: 'R&D strength (intensity)' }],
  ['growth', 'rate', { 'zh-CN': '成长潜力', 'zh-TW': '成長潛力', en: 'Growth potential' }],
  ['employees', 'count', { 'zh-CN': '就业贡献', 'zh-TW': '就業貢獻', en: 'Employment' }],
  ['value_added_rate', 'rate', { 'zh-CN': '增加值率', 'zh-TW': '增加值率', en: 'Value-added rate' }],
  ['above_scale_years', 'count', { 'zh-CN': '规上连续性', 'zh-TW': '規上連續性', en: 'Years above size' }],
];
const NAME = Object.fromEntries(CRITERIA.map(([k, , n]) => [k, n]));

const GATES = {
  local: { 'zh-CN': '非本地企业', 'zh-TW': '非本地企業', en: 'not a local enterprise' },
  revenue_floor: { 'zh-CN': '营业收入未达门槛', 'zh-TW': '營業收入未達門檻', en: 'revenue below the floor' },
};

const ST = {
  master: { 'zh-CN': '现任链主', 'zh-TW': '現任鏈主', en: 'chain master' },
  reserveNow: { 'zh-CN': '现任后备链主', 'zh-TW': '現任後備鏈主', en: 'reserve master' },
  proposed: { 'zh-CN': '建议认定', 'zh-TW': '建議認定', en: 'proposed for the batch' },
  reserve: { 'zh-CN': '建议列入后备', 'zh-TW': '建議列入後備', en: 'proposed as reserve' },
  gate: { 'zh-CN': '未过门槛', 'zh-TW': '未過門檻', en: 'failed a gate' },
  ranked: { 'zh-CN': '参与排名', 'zh-TW': '參與排名', en: 'ranked' },
};

const KIND = {
  master: { 'zh-CN': '认定为链主', 'zh-TW': '認定為鏈主', en: 'designate master' },
  reserve: { 'zh-CN': '列入后备链主', 'zh-TW': '列入後備鏈主', en: 'add to reserves' },
  'leave-reserve': { 'zh-CN': '移出后备', 'zh-TW': '移出後備', en: 'leave the reserves' },
  revoke: { 'zh-CN': '撤销链主', 'zh-TW': '撤銷鏈主', en: 'revoke' },
};
const DSTATUS = {
  proposed: { 'zh-CN': '待审批', 'zh-TW': '待審批', en: 'proposed' },
  approved: { 'zh-CN': '已批准', 'zh-TW': '已核准', en: 'approved' },
  rejected: { 'zh-CN': '已驳回', 'zh-TW': '已駁回', en: 'rejected' },
  withdrawn: { 'zh-CN': '已撤回', 'zh-TW': '已撤回', en: 'withdrawn' },
};

// The standing of a candidate in the chain's evaluation: a key of ST and, for a gate, its name.
function standing(ch, c) {
  if (c.gate) return ['gate', c.gate];
  if (c.role === 'chain_master') return ['master'];
  if (ch.proposed.includes(c.uscc)) return ['proposed'];
  if (ch.reserves.includes(c.uscc)) return ['reserve'];
  if (c.role === 'reserve_master') return ['reserveNow'];
  return ['ranked'];
}

function standingEl(ctx, ch, c) {
  const [k, gate] = standing(ch, c);
  const text = ctx.tr(ST[k]);
  return ctx.el('span', { class: `standing st-${k}` }, text,
    gate ? `${ctx.lang === 'en' ? ': ' : '：'}${ctx.tr(GATES[gate] ?? { 'zh-CN': gate, 'zh-TW': gate, en: gate })}` : null);
}

function rawEl(ctx, kind, v) {
  if (v === null || v === undefined) return '—';
  if (kind === 'money') return ctx.fmt.moneyEl(v);
  if (kind === 'rate') return ctx.fmt.pct(v);
  return ctx.fmt.num(v);
}

const fixed = (v, d = 4) => (v === null || v === undefined ? '—' : Number(v).toFixed(d));

// "growth+20%" -> "成长潜力 +20%".
function moveText(ctx, m) {
  const hit = /^([a-z_]+)([+-])(\d+%)$/.exec(m);
  if (!hit) return m;
  return `${NAME[hit[1]] ? ctx.tr(NAME[hit[1]]) : hit[1]} ${hit[2] === '+' ? '+' : '−'}${hit[3]}`;
}

function weightOf(doc, k) {
  const w = doc.criteria?.[`weight.${k}`];
  return w && typeof w === 'object' ? w.value : w;
}

const FIRST_ROWS = 40;
const LISTED_TOP = 100; // the route's default ?top

function candidatesTable(ctx, doc, ch, show) {
  const { el, tr, fmt } = ctx;
  const views = {
    raw: { 'zh-CN': '原值', 'zh-TW': '原值', en: 'raw' },
    norm: { 'zh-CN': '标准化', 'zh-TW': '標準化', en: 'normalised' },
    weighted: { 'zh-CN': '加权', 'zh-TW': '加權', en: 'weighted' },
  };
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'num' }, tr({ 'zh-CN': '名次', 'zh-TW': '名次', en: 'Rank' })),
    el('th', { scope: 'col', class: 'sticky' }, tr({ 'zh-CN': '企业', 'zh-TW': '企業', en: 'Enterprise' })),
    el('th', { scope: 'col' }, tr({ 'zh-CN': '认定状态', 'zh-TW': '認定狀態', en: 'Standing' })),
    el('th', { scope: 'col', class: 'num' }, tr({ 'zh-CN': '综合得分', 'zh-TW': '綜合得分', en: 'Score' })),
    CRITERIA.map(([k, , name]) => {
      const w = weightOf(doc, k);
      return el('th', { scope: 'col', class: 'num crit' }, tr(name), w !== undefined && w !== null ? el('span', { class: 'weight' }, ` ${ctx.fmt.pct(w, 0)}`) : null);
    }),
    el('th', { scope: 'col' }, tr({ 'zh-CN': '权重±20%时名次变化', 'zh-TW': '權重±20%時名次變化', en: 'Rank moves when a weight moves ±20%' })));
  const cell = (c, k, kind) => {
    const v = c.criteria?.[k] ?? {};
    const parts = {
      raw: () => rawEl(ctx, kind, v.raw),
      norm: () => fixed(v.normalised),
      weighted: () => fixed(v.contribution),
    };
    if (show !== 'all') return parts[show]();
    return el('span', { class: 'triple' }, ['raw', 'norm', 'weighted'].map((p) =>
      el('span', { class: `v-${p}` }, el('span', { class: 'sr-only' }, `${tr(views[p])} `), parts[p]())));
  };
  const rowOf = (c) => el('tr', { class: c.gate ? 'gated' : null, 'data-uscc': c.uscc },
    el('td', { class: 'num' }, c.rank ?? '—'),
    el('th', { scope: 'row', class: 'sticky' }, el('a', { href: `/enterprises/${c.uscc}` }, c.name)),
    el('td', {}, standingEl(ctx, ch, c)),
    el('td', { class: 'num' }, el('strong', {}, fixed(c.score))),
    CRITERIA.map(([k, kind]) => el('td', { class: 'num' }, cell(c, k, kind))),
    el('td', { class: 'moves' }, c.sensitivity?.length
      ? c.sensitivity.map((m) => moveText(ctx, m)).join(ctx.lang === 'en' ? '; ' : '；')
      : el('span', { class: 'hint' }, c.gate ? '—' : tr({ 'zh-CN': '名次稳定', 'zh-TW': '名次穩定', en: 'rank holds' }))));
  const n = ch.candidates.length;
  const body = el('tbody', {}, ch.candidates.slice(0, FIRST_ROWS).map(rowOf));
  const all = n > FIRST_ROWS ? el('button', { type: 'button', class: 'btn', onclick: () => {
    body.append(...ch.candidates.slice(FIRST_ROWS).map(rowOf));
    all.remove();
  } }, tr({ 'zh-CN': `显示列出的全部 ${n} 家`, 'zh-TW': `顯示列出的全部 ${n} 家`, en: `Show all ${n} listed` })) : null;
  const total = fmt.num(ch.candidates_total);
  const scope = n < ch.candidates_total ? el('p', { class: 'hint' }, tr({
    'zh-CN': `列出名次前 ${LISTED_TOP} 位及现任、后备、建议认定和待审批的企业，共 ${n} 家；候选企业共 ${total} 家。`,
    'zh-TW': `列出名次前 ${LISTED_TOP} 位及現任、後備、建議認定和待審批的企業，共 ${n} 家；候選企業共 ${total} 家。`,
    en: `Listed: ranks 1 to ${LISTED_TOP} and every master, reserve, proposed or pending enterprise, ${n} in all, of ${total} candidates.` })) : null;
  return [el('div', { class: 'desk-scroll wide-table', tabindex: '0', role: 'region',
    'aria-label': tr({ 'zh-CN': '候选企业十项标准评分表', 'zh-TW': '候選企業十項標準評分表', en: 'Candidates by the ten criteria' }) },
  el('table', { class: 'data masters' }, el('thead', {}, head), body)), scope, all];
}

// Whether this server offers designation decisions: asked once of its OpenAPI document (so that
// a server without them costs no failed request).
let offered = null;
function decisionsOffered(ctx) {
  offered ??= ctx.api('/openapi.json')
    .then((doc) => Boolean(doc?.paths?.['/api/v1/chains/{code}/masters/decisions']))
    .catch(() => false);
  return offered;
}

// The chain's designation decisions, or null when the server has none to offer.
async function decisions(ctx, code) {
  if (!(await decisionsOffered(ctx))) return null;
  try {
    return await ctx.api(`/chains/${encodeURIComponent(code)}/masters/decisions`);
  } catch (e) {
    if (e.status === 404) return null;
    if (e.status === 403) return { items: [], readOnly: true };
    throw e;
  }
}

function decisionsCard(ctx, code, year, ch, list, redraw) {
  const { el, tr, table, card } = ctx;
  const msg = message();
  const why = field(tr({ 'zh-CN': '审批意见（驳回时必填）', 'zh-TW': '審批意見（駁回時必填）', en: 'Decision note (required to reject)' }), 'input',
    { name: 'decision_reason', maxlength: 500 });
  const nameOf = Object.fromEntries(ch.candidates.map((c) => [c.uscc, c.name]));
  const decide = (d, to) => el('button', { type: 'button', class: 'btn small', 'data-decide': to, onclick: async (e) => {
    const reason = why.control.value.trim() || undefined;
    if (to === 'rejected' && !reason) {
      msg.fail(ctx, { message: tr({ 'zh-CN': '驳回须填写理由。', 'zh-TW': '駁回須填寫理由。', en: 'Give a reason to reject.' }) });
      why.control.focus();
      return;
    }
    e.target.disabled = true;
    try {
      await ctx.api(`/masters/decisions/${d.id}/transition`, { method: 'POST', body: reason ? { to, reason } : { to } });
      await redraw(tr(DSTATUS[to]));
    } catch (err) { msg.fail(ctx, err); e.target.disabled = false; }
  } }, tr({ approved: { 'zh-CN': '批准', 'zh-TW': '核准', en: 'Approve' }, rejected: { 'zh-CN': '驳回', 'zh-TW': '駁回', en: 'Reject' },
    withdrawn: { 'zh-CN': '撤回', 'zh-TW': '撤回', en: 'Withdraw' } }[to]));
  const rows = list.items.map((d) => [d.id, nameOf[d.enterprise] ?? d.enterprise, tr(KIND[d.kind] ?? { en: d.kind, 'zh-CN': d.kind, 'zh-TW': d.kind }),
    d.batch, d.rank ?? '—', d.proposed_by, tr(DSTATUS[d.status] ?? { en: d.status, 'zh-CN': d.status, 'zh-TW': d.status }),
    d.decided_by ?? '—',
    d.status !== 'proposed' || list.readOnly ? '—' : el('div', { class: 'row-actions' },
      d.proposed_by === ctx.user.name ? decide(d, 'withdrawn') : [decide(d, 'approved'), decide(d, 'rejected')])]);
  const parts = [rows.length ? table(null, [
    { label: '#', num: true }, { label: tr({ 'zh-CN': '企业', 'zh-TW': '企業', en: 'Enterprise' }) },
    { label: tr({ 'zh-CN': '决定', 'zh-TW': '決定', en: 'Decision' }) }, { label: tr({ 'zh-CN': '批次', 'zh-TW': '批次', en: 'Batch' }) },
    { label: tr({ 'zh-CN': '名次', 'zh-TW': '名次', en: 'Rank' }), num: true }, { label: tr({ 'zh-CN': '提议人', 'zh-TW': '提議人', en: 'Proposed by' }) },
    { label: tr({ 'zh-CN': '状态', 'zh-TW': '狀態', en: 'Status' }) }, { label: tr({ 'zh-CN': '审批人', 'zh-TW': '審批人', en: 'Decided by' }) },
    { label: tr({ 'zh-CN': '操作', 'zh-TW': '操作', en: 'Actions' }) }], rows)
    : el('p', { class: 'hint' }, tr({ 'zh-CN': '暂无认定决定。', 'zh-TW': '暫無認定決定。', en: 'No designation decisions yet.' }))];
  if (!list.readOnly && list.items.some((d) => d.status === 'proposed')) parts.push(why);
  if (!list.readOnly) {
    const eligible = ch.candidates.filter((c) => !c.gate);
    const who = selectField(tr({ 'zh-CN': '企业', 'zh-TW': '企業', en: 'Enterprise' }), 'enterprise',
      eligible.map((c) => [c.uscc, `${c.rank ?? '—'}. ${c.name}`]), ch.proposed[0] ?? '');
    const kind = selectField(tr({ 'zh-CN': '决定', 'zh-TW': '決定', en: 'Decision' }), 'kind', Object.keys(KIND).map((k) => [k, tr(KIND[k])]), 'master');
    const batch = field(tr({ 'zh-CN': '批次', 'zh-TW': '批次', en: 'Batch' }), 'input', { name: 'batch', value: `${year + 1}`, required: true, maxlength: 40 });
    const reason = field(tr({ 'zh-CN': '理由', 'zh-TW': '理由', en: 'Reason' }), 'input', { name: 'reason', maxlength: 500 });
    const form = el('form', { class: 'toolbar propose' }, who, kind, batch, reason,
      el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '提议', 'zh-TW': '提議', en: 'Propose' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { enterprise: who.control.value, kind: kind.control.value, batch: batch.control.value.trim(), year, date: today() };
      if (reason.control.value.trim()) body.reason = reason.control.value.trim();
      await busy(form, async () => {
        try {
          await ctx.api(`/chains/${encodeURIComponent(code)}/masters/decisions`, { method: 'POST', body });
          await redraw(tr({ 'zh-CN': '已提议，待另一账号审批。', 'zh-TW': '已提議，待另一帳號審批。', en: 'Proposed; another account approves it.' }));
        } catch (err) { msg.fail(ctx, err); }
      });
    });
    parts.push(el('h3', {}, tr({ 'zh-CN': '提议认定', 'zh-TW': '提議認定', en: 'Propose a designation' })), form);
  }
  const c = card(tr({ 'zh-CN': '认定决定（提议—审批）', 'zh-TW': '認定決定（提議—審批）', en: 'Designation decisions (propose, approve)' }), msg, parts);
  c.classList.add('wide');
  return c;
}

async function render(root, ctx) {
  const { el, tr, card } = ctx;
  const year = Number(ctx.query.get('year')) || defaultYear();
  const show = ['raw', 'norm', 'weighted', 'all'].includes(ctx.query.get('show')) ? ctx.query.get('show') : 'all';
  let code = ctx.user.role === 'chain' ? ctx.user.scope : ctx.query.get('chain');
  let chains = [];
  if (ctx.user.role !== 'chain') {
    chains = (await ctx.api('/chains', { query: { limit: 1000, sort: 'code' } })).items;
    if (!code || !chains.some((c) => c.code === code)) code = chains[0]?.code;
  }
  const go = (patch) => {
    const q = new URLSearchParams({ year: String(year), show, ...(ctx.user.role === 'chain' ? {} : { chain: code }), ...patch });
    ctx.navigate(`/masters?${q}`);
  };
  const years = [];
  for (let y = new Date().getFullYear(); y >= FIRST_YEAR; y--) years.push([y, String(y)]);
  const tools = el('div', { class: 'toolbar' },
    ctx.user.role === 'chain' ? null
      : selectField(tr({ 'zh-CN': '产业链', 'zh-TW': '產業鏈', en: 'Chain' }), 'chain', chains.map((c) => [c.code, c.name]), code,
        { onchange: (e) => go({ chain: e.target.value }) }),
    selectField(ctx.t('common.year'), 'year', years, year, { onchange: (e) => go({ year: e.target.value }) }),
    selectField(tr({ 'zh-CN': '每项标准显示', 'zh-TW': '每項標準顯示', en: 'Per criterion show' }), 'show', [
      ['all', tr({ 'zh-CN': '原值 / 标准化 / 加权', 'zh-TW': '原值 / 標準化 / 加權', en: 'raw / normalised / weighted' })],
      ['raw', tr({ 'zh-CN': '原值', 'zh-TW': '原值', en: 'raw' })],
      ['norm', tr({ 'zh-CN': '标准化值', 'zh-TW': '標準化值', en: 'normalised' })],
      ['weighted', tr({ 'zh-CN': '加权得分', 'zh-TW': '加權得分', en: 'weighted' })]], show, { onchange: (e) => go({ show: e.target.value }) }));
  root.append(tools);
  if (!code) {
    root.append(el('p', {}, tr({ 'zh-CN': '没有产业链。', 'zh-TW': '沒有產業鏈。', en: 'There are no chains.' })));
    return;
  }
  const body = el('div', { class: 'wide stack' });
  root.append(body);
  const draw = async (said) => {
    let doc;
    try {
      doc = await ctx.api(`/chains/${encodeURIComponent(code)}/masters`, { query: { year } });
    } catch (e) {
      body.replaceChildren(el('p', { class: 'error', role: 'alert' }, ctx.t('common.error', { detail: e.message })));
      return;
    }
    const ch = doc.chains[0];
    const dec = ctx.user.role === 'division' ? null : await decisions(ctx, code);
    const byUscc = Object.fromEntries(ch.candidates.map((c) => [c.uscc, c.name]));
    const summary = el('div', { class: 'stats' },
      [[{ 'zh-CN': '现任链主', 'zh-TW': '現任鏈主', en: 'Chain masters' }, ch.masters.length],
        [{ 'zh-CN': '待补链主名额', 'zh-TW': '待補鏈主名額', en: 'Places open' }, ch.open],
        [{ 'zh-CN': '建议认定', 'zh-TW': '建議認定', en: 'Proposed' }, ch.proposed.length],
        [{ 'zh-CN': '建议列入后备', 'zh-TW': '建議列入後備', en: 'Proposed reserves' }, ch.reserves.length],
        [{ 'zh-CN': '候选企业', 'zh-TW': '候選企業', en: 'Candidates' }, ch.candidates_total],
        [{ 'zh-CN': '通过门槛', 'zh-TW': '通過門檻', en: 'Past the gates' }, ch.candidates_scored]].map(([label, n]) =>
        el('div', { class: 'stat' }, tr(label), el('strong', {}, ctx.fmt.num(n)))));
    const names = (list) => (list.length ? list.map((u) => byUscc[u] ?? u).join(ctx.lang === 'en' ? ', ' : '、') : ctx.t('common.none'));
    const colon = ctx.lang === 'en' ? ': ' : '：';
    const head = card(ctx.lang === 'en' ? `${ch.name} (${ch.code}), ${year}` : `${ch.name}（${ch.code}）· ${year}`, summary,
      el('p', {}, `${tr(ST.proposed)}${colon}${names(ch.proposed)}`), el('p', {}, `${tr(ST.reserve)}${colon}${names(ch.reserves)}`),
      el('p', { class: 'hint' }, tr({ 'zh-CN': '每格依次为：原值、标准化值（0–1）、加权得分；表头百分比为该标准的权重。名次只排通过门槛的企业。',
        'zh-TW': '每格依次為：原值、標準化值（0–1）、加權得分；表頭百分比為該標準的權重。名次只排通過門檻的企業。',
        en: 'Each cell: the raw figure, the normalised value (0–1), the weighted contribution; the percentage in a heading is the criterion\'s weight. Only enterprises past the gates are ranked.' })),
      said ? el('p', { class: 'desk-msg ok', role: 'status' }, said) : null);
    const tableCard = card(tr({ 'zh-CN': '十项认定标准评分', 'zh-TW': '十項認定標準評分', en: 'The ten criteria' }),
      ch.candidates.length ? candidatesTable(ctx, doc, ch, show)
        : el('p', {}, tr({ 'zh-CN': '该年度没有候选企业。', 'zh-TW': '該年度沒有候選企業。', en: 'No candidates in this year.' })));
    body.replaceChildren(...[head, tableCard, dec ? decisionsCard(ctx, code, year, ch, dec, draw) : null].filter(Boolean));
    body.querySelectorAll('.card').forEach((c) => c.classList.add('wide'));
  };
  await draw();
}

export default {
  path: '/masters',
  title: { 'zh-CN': '链主企业', 'zh-TW': '鏈主企業', en: 'Chain masters' },
  roles: ['admin', 'bureau', 'chain'],
  render,
};
