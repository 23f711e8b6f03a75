// appeals (企业诉求) — the officials' queue and the enterprise's window on its own appeals.
//
// Officials see the appeals in their scope by due date, the overdue ones marked, with the moves
// their role may make (accept, start, answer and resolve; an admin escalates every overdue appeal
// at once). An enterprise files a new appeal, follows its own and rates a resolved one. The moves
// shown follow the workflow's rules (src/store/workflow.c); the server decides, and its refusal
// is shown as it says it.
import { ALL, OFFICIALS } from '../roles.js';
import { busy, field, message, pagedRows, selectField } from './forms.js';
import { LABELS, today } from './parts.js';

export const STATUSES = ['open', 'accepted', 'in_progress', 'escalated', 'resolved', 'closed'];
const LIVE = ['open', 'accepted', 'in_progress', 'escalated'];

const STATUS = LABELS.appeal; // the words of the stored statuses, shared with the enterprise page

// The moves of the workflow: from, to, who, and the button's words.
const MOVES = [
  { from: 'open', to: 'accepted', roles: OFFICIALS, label: { 'zh-CN': '受理', 'zh-TW': '受理', en: 'Accept' } },
  { from: 'accepted', to: 'in_progress', roles: OFFICIALS, label: { 'zh-CN': '开始办理', 'zh-TW': '開始辦理', en: 'Start work' } },
  { from: 'escalated', to: 'in_progress', roles: OFFICIALS, label: { 'zh-CN': '开始办理', 'zh-TW': '開始辦理', en: 'Start work' } },
  { from: 'in_progress', to: 'resolved', roles: OFFICIALS, label: { 'zh-CN': '答复办结', 'zh-TW': '答覆辦結', en: 'Answer and resolve' } },
  { from: 'escalated', to: 'resolved', roles: OFFICIALS, label: { 'zh-CN': '答复办结', 'zh-TW': '答覆辦結', en: 'Answer and resolve' } },
  { from: 'resolved', to: 'closed', roles: ['admin', 'enterprise'], label: { 'zh-CN': '关闭', 'zh-TW': '關閉', en: 'Close' } },
];

const movesFor = (status, role) => MOVES.filter((m) => m.from === status && m.roles.includes(role));
export const overdue = (a, day = today()) => Boolean(a.due) && a.due < day && LIVE.includes(a.status);

const L = {
  id: { 'zh-CN': '编号', 'zh-TW': '編號', en: 'No.' },
  enterprise: { 'zh-CN': '企业', 'zh-TW': '企業', en: 'Enterprise' },
  chain: { 'zh-CN': '产业链', 'zh-TW': '產業鏈', en: 'Chain' },
  category: { 'zh-CN': '类别', 'zh-TW': '類別', en: 'Category' },
  summary: { 'zh-CN': '诉求内容', 'zh-TW': '訴求內容', en: 'What is asked' },
  department: { 'zh-CN': '承办部门', 'zh-TW': '承辦部門', en: 'Department' },
  opened: { 'zh-CN': '提出日期', 'zh-TW': '提出日期', en: 'Raised' },
  due: { 'zh-CN': '办结时限', 'zh-TW': '辦結時限', en: 'Due' },
  status: { 'zh-CN': '状态', 'zh-TW': '狀態', en: 'Status' },
  escalation: { 'zh-CN': '提级', 'zh-TW': '提級', en: 'Escalation' },
  resolved: { 'zh-CN': '办结日期', 'zh-TW': '辦結日期', en: 'Resolved' },
  outcome: { 'zh-CN': '办理结果', 'zh-TW': '辦理結果', en: 'Outcome' },
  actions: { 'zh-CN': '操作', 'zh-TW': '操作', en: 'Actions' },
  overdue: { 'zh-CN': '已超期', 'zh-TW': '已逾期', en: 'overdue' },
  toLeader: { 'zh-CN': '已提交链长', 'zh-TW': '已提交鏈長', en: 'with the chain leader' },
  notEscalated: { 'zh-CN': '—', 'zh-TW': '—', en: '—' },
  none: { 'zh-CN': '未指定', 'zh-TW': '未指定', en: 'not given' },
  all: { 'zh-CN': '全部', 'zh-TW': '全部', en: 'all' },
  live: { 'zh-CN': '未办结', 'zh-TW': '未辦結', en: 'not yet resolved' },
  filter: { 'zh-CN': '按状态筛选', 'zh-TW': '依狀態篩選', en: 'Status' },
  onlyOverdue: { 'zh-CN': '只看超期', 'zh-TW': '只看逾期', en: 'Overdue only' },
  apply: { 'zh-CN': '筛选', 'zh-TW': '篩選', en: 'Filter' },
  queue: { 'zh-CN': '诉求办理队列', 'zh-TW': '訴求辦理佇列', en: 'Appeals queue' },
  mine: { 'zh-CN': '本企业的诉求', 'zh-TW': '本企業的訴求', en: 'Our appeals' },
  empty: { 'zh-CN': '没有符合条件的诉求。', 'zh-TW': '沒有符合條件的訴求。', en: 'No appeals match.' },
  moved: { 'zh-CN': '已更新。', 'zh-TW': '已更新。', en: 'Updated.' },
};

// The categories of the reference data, by name; another city's codes are shown as they are.
const CATEGORY = {
  permit: { 'zh-CN': '审批许可', 'zh-TW': '審批許可', en: 'permits' },
  land: { 'zh-CN': '用地', 'zh-TW': '用地', en: 'land' },
  energy: { 'zh-CN': '能源保障', 'zh-TW': '能源保障', en: 'energy' },
  finance: { 'zh-CN': '融资', 'zh-TW': '融資', en: 'finance' },
  talent: { 'zh-CN': '人才', 'zh-TW': '人才', en: 'talent' },
  policy: { 'zh-CN': '政策兑现', 'zh-TW': '政策兌現', en: 'policy support' },
  supply: { 'zh-CN': '供应链配套', 'zh-TW': '供應鏈配套', en: 'supply chain' },
  logistics: { 'zh-CN': '物流通关', 'zh-TW': '物流通關', en: 'logistics and customs' },
};
export const categoryText = (ctx, c) => (c ? (CATEGORY[c] ? ctx.tr(CATEGORY[c]) : c) : '—');

export function statusEl(ctx, a) {
  const late = overdue(a);
  return ctx.el('span', { class: `appeal-status s-${a.status}${late ? ' late' : ''}` }, ctx.tr(STATUS[a.status] ?? { en: a.status, 'zh-CN': a.status, 'zh-TW': a.status }),
    late ? ctx.el('span', { class: 'late-flag' }, ` · ${ctx.tr(L.overdue)}`) : null);
}

function dueEl(ctx, a) {
  const late = overdue(a);
  return ctx.el(late ? 'strong' : 'span', { class: late ? 'overdue nowrap' : 'nowrap' }, ctx.fmt.date(a.due),
    late ? ctx.el('span', { class: 'sr-only' }, ` (${ctx.tr(L.overdue)})`) : null);
}

// ---- the list -------------------------------------------------------------------------------

function moveButton(ctx, a, m, msg, after) {
  return ctx.el('button', { type: 'button', class: 'btn small', 'data-move': m.to, onclick: async (e) => {
    e.target.disabled = true;
    try {
      await ctx.api(`/appeals/${encodeURIComponent(a.id)}/transition`, { method: 'POST', body: { to: m.to } });
      msg.ok(`${a.id}: ${ctx.tr(STATUS[m.to])}`);
      await after();
    } catch (err) {
      msg.fail(ctx, err);
      e.target.disabled = false;
    }
  } }, ctx.tr(m.label));
}

// The actions cell of the queue: moves needing no words are buttons; answering opens the appeal.
function actionsCell(ctx, a, msg, after) {
  const { el } = ctx;
  const moves = movesFor(a.status, ctx.user.role);
  if (!moves.length) return '—';
  return el('div', { class: 'row-actions' }, moves.map((m) => (m.to === 'resolved'
    ? el('a', { class: 'btn small', href: `/appeals/${encodeURIComponent(a.id)}#answer` }, ctx.tr(m.label))
    : moveButton(ctx, a, m, msg, after))));
}

async function fileForm(ctx, after) {
  const { el, tr } = ctx;
  const [chains, deadlines] = await Promise.all([
    ctx.api('/chains', { query: { limit: 1000, sort: 'code' } }).catch(() => ({ items: [] })),
    ctx.api('/appeal-deadlines').catch(() => ({ items: [], default_working_days: 10 })),
  ]);
  const known = [...new Set([...Object.keys(CATEGORY), ...deadlines.items.map((d) => d.category)])];
  const category = selectField(tr(L.category), 'category', [['', tr({ 'zh-CN': '请选择', 'zh-TW': '請選擇', en: 'Choose' })],
    ...known.map((c) => [c, categoryText(ctx, c)])], '', { required: true, 'aria-describedby': 'cat-hint' });
  const hint = el('p', { class: 'hint', id: 'cat-hint' });
  const daysOf = (c) => deadlines.items.find((d) => d.category === c)?.working_days ?? deadlines.default_working_days;
  const showDays = () => {
    const n = daysOf(category.control.value);
    hint.textContent = tr({ 'zh-CN': `办结时限：${n} 个工作日`, 'zh-TW': `辦結時限：${n} 個工作日`, en: `To be resolved within ${n} working days` });
  };
  category.control.addEventListener('change', showDays);
  showDays();
  const chain = selectField(tr(L.chain), 'chain', [['', tr(L.none)], ...chains.items.map((c) => [c.code, c.name])], '');
  const summary = field(tr(L.summary), 'textarea', { name: 'summary', rows: 4, required: true, maxlength: 2000 });
  const msg = message();
  const form = el('form', { class: 'appeal-new', novalidate: true },
    el('div', { class: 'fields' }, category, chain),
    hint, summary,
    el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '提交诉求', 'zh-TW': '提交訴求', en: 'File the appeal' })),
    msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      id: `${ctx.user.scope.slice(-6)}-${Date.now().toString(36).toUpperCase()}`,
      uscc: ctx.user.scope,
      category: category.control.value,
      summary: summary.control.value.trim(),
    };
    if (chain.control.value) body.chain = chain.control.value;
    if (!body.category || !body.summary) {
      msg.fail(ctx, { message: tr({ 'zh-CN': '请填写类别和诉求内容。', 'zh-TW': '請填寫類別和訴求內容。', en: 'Give a category and what you ask.' }) });
      (body.category ? summary : category).control.focus();
      return;
    }
    await busy(form, async () => {
      try {
        const row = await ctx.api('/appeals', { method: 'POST', body });
        form.reset();
        showDays();
        msg.ok(tr({ 'zh-CN': `已提交，编号 ${row.id}，办结时限 ${ctx.fmt.date(row.due)}。`, 'zh-TW': `已提交，編號 ${row.id}，辦結時限 ${ctx.fmt.date(row.due)}。`,
          en: `Filed as ${row.id}, due ${ctx.fmt.date(row.due)}.` }));
        await after();
      } catch (err) {
        msg.fail(ctx, err);
      }
    });
  });
  return form;
}

async function renderList(root, ctx) {
  const { el, tr, card } = ctx;
  const enterprise = ctx.user.role === 'enterprise';
  const want = ctx.query.get('status') ?? (enterprise ? '' : 'live');
  const onlyLate = ctx.query.get('overdue') === '1';
  const msg = message();
  const columns = [
    { label: tr(L.id) }, enterprise ? null : { label: `${tr(L.enterprise)} / ${tr(L.category)}` }, { label: tr(L.summary) },
    enterprise ? null : { label: tr(L.department) }, { label: `${tr(L.due)} / ${tr(L.opened)}` }, { label: tr(L.status) },
    { label: tr(L.actions) }].filter(Boolean);
  const day = today();
  let rows;
  const load = async (cursor) => {
    const q = new URLSearchParams({ sort: 'due', order: 'asc', limit: '50' });
    if (want === 'live') LIVE.forEach((s) => q.append('status', s));
    else if (want) q.append('status', want);
    if (onlyLate) q.append('due<', day);
    if (cursor) q.set('cursor', cursor);
    return ctx.api(`/appeals?${q}`);
  };
  rows = pagedRows(ctx, {
    columns, load, caption: null, empty: tr(L.empty),
    row: (a) => [
      el('a', { href: `/appeals/${encodeURIComponent(a.id)}`, class: 'nowrap' }, a.id),
      enterprise ? null : [el('span', {}, a.enterprise_name ?? a.uscc), el('br'), el('span', { class: 'hint' }, categoryText(ctx, a.category))],
      [enterprise ? [el('span', { class: 'hint' }, categoryText(ctx, a.category)), el('br')] : null, el('span', { class: 'clip' }, a.summary)],
      enterprise ? null : (a.department ?? el('span', { class: 'hint' }, tr(L.none))),
      [dueEl(ctx, a), el('br'), el('span', { class: 'hint nowrap' }, ctx.fmt.date(a.opened))],
      [statusEl(ctx, a), a.status === 'escalated' ? [el('br'), el('span', { class: 'hint' }, tr(L.toLeader))] : null],
      actionsCell(ctx, a, msg, () => rows.reload()),
    ].filter((v, i) => !(enterprise && (i === 1 || i === 3))),
  });

  const filters = el('form', { class: 'toolbar', method: 'get', action: '/appeals' },
    selectField(tr(L.filter), 'status', [['live', tr(L.live)], ['', tr(L.all)], ...STATUSES.map((s) => [s, tr(STATUS[s])])], want),
    el('div', { class: 'field inline check' },
      el('input', { type: 'checkbox', id: 'only-overdue', name: 'overdue', value: '1', checked: onlyLate }),
      el('label', { for: 'only-overdue' }, tr(L.onlyOverdue))),
    el('button', { type: 'submit', class: 'btn' }, tr(L.apply)));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    const s = filters.elements.status.value;
    if (s !== (enterprise ? '' : 'live')) q.set('status', s);
    if (filters.elements.overdue.checked) q.set('overdue', '1');
    ctx.navigate(`/appeals${q.size ? `?${q}` : ''}`);
  });

  if (enterprise) {
    const form = await fileForm(ctx, () => rows.reload());
    root.append(card(tr({ 'zh-CN': '提出新诉求', 'zh-TW': '提出新訴求', en: 'File a new appeal' }), form));
  }
  const tools = [filters];
  if (ctx.user.role === 'admin') {
    const esc = el('button', { type: 'button', class: 'btn', onclick: async () => {
      esc.disabled = true;
      try {
        const r = await ctx.api('/appeals/escalate', { method: 'POST' });
        msg.ok(tr({ 'zh-CN': `已提级 ${r.escalated.length} 件超期诉求。`, 'zh-TW': `已提級 ${r.escalated.length} 件逾期訴求。`,
          en: `${r.escalated.length} overdue appeal(s) escalated.` }));
        await rows.reload();
      } catch (err) { msg.fail(ctx, err); } finally { esc.disabled = false; }
    } }, tr({ 'zh-CN': '立即提级全部超期诉求', 'zh-TW': '立即提級全部逾期訴求', en: 'Escalate all overdue now' }));
    tools.push(esc);
  }
  const section = card(tr(enterprise ? L.mine : L.queue), el('div', { class: 'toolbar' }, tools), msg, rows.node);
  section.classList.add('wide');
  root.append(section);
  if (enterprise) root.firstChild.classList.add('wide');
  await rows.reload();
}

// ---- one appeal -----------------------------------------------------------------------------

function facts(ctx, a) {
  const { el, tr, fmt } = ctx;
  const item = (label, value) => [el('dt', {}, tr(label)), el('dd', {}, value ?? '—')];
  return el('dl', { class: 'facts' },
    item(L.id, a.id), item(L.enterprise, a.uscc ? el('a', { href: `/enterprises/${a.uscc}` }, a.uscc) : null),
    item(L.chain, a.chain && ctx.user.role !== 'enterprise' ? el('a', { href: `/chains/${a.chain}` }, a.chain) : a.chain), item(L.category, categoryText(ctx, a.category)), item(L.summary, el('span', { class: 'prose' }, a.summary)),
    item(L.department, a.department ?? tr(L.none)), item(L.opened, fmt.date(a.opened)), item(L.due, dueEl(ctx, a)),
    item(L.status, statusEl(ctx, a)), item(L.resolved, a.resolved ? fmt.date(a.resolved) : null),
    item(L.outcome, a.outcome ? el('span', { class: 'prose' }, a.outcome) : null));
}

// A server timestamp (UTC, ISO 8601) in this browser's time zone, as officials write it.
function localTime(ctx, at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const p = (n) => String(n).padStart(2, '0');
  return `${ctx.fmt.date(`${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`)} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function historyTable(ctx, items) {
  const { tr, table, el } = ctx;
  const st = (s) => (s ? tr(STATUS[s] ?? { en: s, 'zh-CN': s, 'zh-TW': s }) : '—');
  return table(null, [
    { label: tr({ 'zh-CN': '时间', 'zh-TW': '時間', en: 'When' }) }, { label: tr({ 'zh-CN': '办理人', 'zh-TW': '辦理人', en: 'By' }) },
    { label: tr({ 'zh-CN': '原状态', 'zh-TW': '原狀態', en: 'From' }) }, { label: tr({ 'zh-CN': '新状态', 'zh-TW': '新狀態', en: 'To' }) },
    { label: tr({ 'zh-CN': '说明', 'zh-TW': '說明', en: 'Note' }) }],
  items.map((h) => [el('time', { datetime: h.at }, localTime(ctx, h.at)), h.actor, st(h.from), st(h.to),
    h.note ?? '']));
}

function stars(n) {
  return `${'★'.repeat(n)}${'☆'.repeat(5 - n)}`;
}

function ratingBlock(ctx, doc, reload) {
  const { el, tr } = ctx;
  const a = doc.appeal;
  if (doc.rating) {
    const r = doc.rating;
    return el('div', { class: 'rating' },
      el('p', {}, el('span', { class: 'stars', 'aria-hidden': 'true' }, stars(r.rating)), ' ',
        tr({ 'zh-CN': `${r.rating} 分（满分 5 分）`, 'zh-TW': `${r.rating} 分（滿分 5 分）`, en: `${r.rating} out of 5` })),
      r.comment ? el('p', { class: 'prose' }, r.comment) : null,
      el('p', { class: 'hint' }, `${r.actor} · ${localTime(ctx, r.at)}`));
  }
  if (ctx.user.role !== 'enterprise' || !['resolved', 'closed'].includes(a.status)) {
    return el('p', { class: 'hint' }, tr({ 'zh-CN': '企业尚未评价。', 'zh-TW': '企業尚未評價。', en: 'Not rated yet.' }));
  }
  const words = [
    { 'zh-CN': '很不满意', 'zh-TW': '很不滿意', en: 'poor' }, { 'zh-CN': '不满意', 'zh-TW': '不滿意', en: 'fair' },
    { 'zh-CN': '一般', 'zh-TW': '普通', en: 'good' }, { 'zh-CN': '满意', 'zh-TW': '滿意', en: 'very good' },
    { 'zh-CN': '非常满意', 'zh-TW': '非常滿意', en: 'excellent' }];
  const msg = message();
  const comment = field(tr({ 'zh-CN': '评价意见（可选）', 'zh-TW': '評價意見（選填）', en: 'Comment (optional)' }), 'textarea',
    { name: 'comment', rows: 3, maxlength: 1000 });
  const form = el('form', { class: 'rate', novalidate: true },
    el('fieldset', { class: 'stars-pick' },
      el('legend', {}, tr({ 'zh-CN': '对办理结果的评价', 'zh-TW': '對辦理結果的評價', en: 'How was this appeal handled?' })),
      [1, 2, 3, 4, 5].map((n) => el('label', { class: 'star' },
        el('input', { type: 'radio', name: 'rating', value: n, required: true }), ` ${n} · ${tr(words[n - 1])}`))),
    comment,
    el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '提交评价', 'zh-TW': '提交評價', en: 'Rate' })), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const picked = form.querySelector('input[name="rating"]:checked');
    if (!picked) {
      msg.fail(ctx, { message: tr({ 'zh-CN': '请选择 1 至 5 分。', 'zh-TW': '請選擇 1 至 5 分。', en: 'Choose from 1 to 5.' }) });
      form.querySelector('input[name="rating"]').focus();
      return;
    }
    const body = { rating: Number(picked.value) };
    if (comment.control.value.trim()) body.comment = comment.control.value.trim();
    await busy(form, async () => {
      try {
        await ctx.api(`/appeals/${encodeURIComponent(a.id)}/rating`, { method: 'POST', body });
        await reload(tr({ 'zh-CN': '感谢您的评价。', 'zh-TW': '感謝您的評價。', en: 'Thank you for rating.' }));
      } catch (err) { msg.fail(ctx, err); }
    });
  });
  return form;
}

function actionsBlock(ctx, a, reload) {
  const { el, tr } = ctx;
  const moves = movesFor(a.status, ctx.user.role);
  const parts = [];
  const msg = message();
  const simple = moves.filter((m) => m.to !== 'resolved');
  if (simple.length) {
    parts.push(el('div', { class: 'row-actions' }, simple.map((m) => el('button', { type: 'button', class: 'btn', 'data-move': m.to, onclick: async (e) => {
      e.target.disabled = true;
      try {
        await ctx.api(`/appeals/${encodeURIComponent(a.id)}/transition`, { method: 'POST', body: { to: m.to } });
        await reload(tr(L.moved));
      } catch (err) { msg.fail(ctx, err); e.target.disabled = false; }
    } }, tr(m.label)))));
  }
  if (moves.some((m) => m.to === 'resolved')) {
    const outcome = field(tr({ 'zh-CN': '办理结果（答复企业）', 'zh-TW': '辦理結果（答覆企業）', en: 'Outcome (the answer to the enterprise)' }),
      'textarea', { name: 'outcome', rows: 4, required: true, maxlength: 2000 });
    const note = field(tr({ 'zh-CN': '内部说明（可选）', 'zh-TW': '內部說明（選填）', en: 'Note for the record (optional)' }), 'input',
      { name: 'note', maxlength: 500 });
    const form = el('form', { id: 'answer', class: 'answer', novalidate: true }, outcome, note,
      el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '答复并办结', 'zh-TW': '答覆並辦結', en: 'Answer and resolve' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = outcome.control.value.trim();
      if (!text) {
        msg.fail(ctx, { message: tr({ 'zh-CN': '办结须填写办理结果。', 'zh-TW': '辦結須填寫辦理結果。', en: 'Resolving needs an outcome.' }) });
        outcome.control.focus();
        return;
      }
      const body = { to: 'resolved', outcome: text };
      if (note.control.value.trim()) body.note = note.control.value.trim();
      await busy(form, async () => {
        try {
          await ctx.api(`/appeals/${encodeURIComponent(a.id)}/transition`, { method: 'POST', body });
          await reload(tr({ 'zh-CN': '已答复并办结。', 'zh-TW': '已答覆並辦結。', en: 'Answered and resolved.' }));
        } catch (err) { msg.fail(ctx, err); }
      });
    });
    parts.push(form);
  }
  // The chain's office (or an admin) hands an unresolved appeal to a department.
  if (['chain', 'admin'].includes(ctx.user.role) && LIVE.includes(a.status)) {
    const dept = field(tr({ 'zh-CN': '交办部门', 'zh-TW': '交辦部門', en: 'Hand to department' }), 'input',
      { name: 'department', value: a.department ?? '', maxlength: 100 });
    const form = el('form', { class: 'toolbar route' }, dept,
      el('button', { type: 'submit', class: 'btn' }, tr({ 'zh-CN': '交办', 'zh-TW': '交辦', en: 'Hand over' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await busy(form, async () => {
        try {
          await ctx.api(`/appeals/${encodeURIComponent(a.id)}`, { method: 'PATCH', body: { department: dept.control.value.trim() || null } });
          await reload(tr(L.moved));
        } catch (err) { msg.fail(ctx, err); }
      });
    });
    parts.push(form);
  }
  if (!parts.length) return null;
  return [parts, msg];
}

async function renderOne(root, ctx) {
  const { el, tr, card } = ctx;
  const id = ctx.params.id;
  const draw = async (said) => {
    let doc;
    try {
      doc = await ctx.api(`/appeals/${encodeURIComponent(id)}/history`);
    } catch (e) {
      if (e.status === 404) {
        root.replaceChildren(card(tr({ 'zh-CN': '找不到该诉求', 'zh-TW': '找不到該訴求', en: 'No such appeal' }),
          el('p', {}, tr({ 'zh-CN': '没有这个诉求，或当前账号无权查看。', 'zh-TW': '沒有這個訴求，或目前帳號無權檢視。',
            en: 'There is no such appeal, or this account may not see it.' })), el('a', { href: '/appeals' }, tr(L.queue))));
        return;
      }
      throw e;
    }
    const a = doc.appeal;
    const done = el('p', { class: 'desk-msg ok', role: 'status' }, said ?? '');
    const actions = actionsBlock(ctx, a, draw);
    const main = card(`${tr({ 'zh-CN': '诉求', 'zh-TW': '訴求', en: 'Appeal' })} ${a.id}`, done, facts(ctx, a));
    const side = [];
    if (actions) side.push(card(tr(L.actions), actions));
    side.push(card(tr({ 'zh-CN': '企业评价', 'zh-TW': '企業評價', en: 'The enterprise\'s rating' }), ratingBlock(ctx, doc, draw)));
    const hist = card(tr({ 'zh-CN': '办理过程', 'zh-TW': '辦理過程', en: 'History' }), historyTable(ctx, doc.history));
    hist.classList.add('wide');
    root.replaceChildren(el('p', {}, el('a', { href: '/appeals' }, `← ${tr(ctx.user.role === 'enterprise' ? L.mine : L.queue)}`)),
      main, el('div', { class: 'stack' }, side), hist);
    if (said) done.focus?.();
    if (location.hash === '#answer') root.querySelector('#answer textarea')?.focus();
  };
  await draw();
}

export const appealsPage = {
  path: '/appeals',
  title: { 'zh-CN': '企业诉求', 'zh-TW': '企業訴求', en: 'Appeals' },
  roles: ALL,
  render: renderList,
};

export const appealPage = {
  path: '/appeals/:id',
  title: { 'zh-CN': '诉求详情', 'zh-TW': '訴求詳情', en: 'Appeal' },
  roles: ALL,
  render: renderOne,
};

