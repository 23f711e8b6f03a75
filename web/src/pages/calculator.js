// calculator — what an enterprise could be paid for an award year, from figures it types in.
// No account needed: signed out it uses POST /api/v1/public/whatif (throttled, stores nothing);
// signed in, POST /api/v1/whatif. Amounts are typed in 万元 and sent as exact yuan strings.
// The answer lists every policy that could pay (eligible, pending, undetermined) with the amount
// and the engine's explanation clause by clause, then the policies that would not pay.

import { field as labelled, selectField } from './forms.js';

const STATUS_ORDER = ['eligible', 'pending', 'undetermined', 'not_eligible'];

// "123.4567" 万元 -> "1234567.00" yuan, digit by digit (no floating point); null when empty.
export function wanToYuan(text) {
  const s = String(text ?? '').trim().replace(/,/g, '');
  if (s === '') return null;
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  const [int, frac = ''] = s.split('.');
  const f = (frac + '000000').slice(0, 6);
  const yuan = `${int}${f.slice(0, 4)}`.replace(/^0+(?=\d)/, '');
  return `${yuan}.${f.slice(4, 6)}`;
}

// A labelled input named by its id (forms.js), with a hint under it when given.
function field(ctx, id, label, attrs = {}, hint = null) {
  const wrap = labelled(label, 'input', { id, name: id, ...attrs });
  if (hint) {
    wrap.control.setAttribute('aria-describedby', `${id}-hint ${wrap.control.getAttribute('aria-describedby')}`);
    wrap.append(ctx.el('span', { id: `${id}-hint`, class: 'hint' }, hint));
  }
  return wrap;
}

function check(ctx, id, label, checked = false) {
  const { el } = ctx;
  return el('div', { class: 'field check' }, el('label', { for: id }, el('input', { id, name: id, type: 'checkbox', checked }), ` ${label}`));
}

const amount = (ctx, id, label) => field(ctx, id, ctx.lang === 'en' ? `${label} (${ctx.t('calc.wan')})` : `${label}（${ctx.t('calc.wan')}）`,
  { inputmode: 'decimal', autocomplete: 'off' });

function yearFields(ctx, y) {
  const { el, t } = ctx;
  return el('fieldset', { class: 'year' }, el('legend', {}, t('calc.yearFigures', { year: y })),
    check(ctx, `above_${y}`, t('calc.aboveScale')),
    amount(ctx, `value_added_${y}`, t('calc.valueAdded')),
    amount(ctx, `revenue_${y}`, t('calc.revenue')),
    field(ctx, `employees_${y}`, t('calc.employees'), { inputmode: 'numeric', autocomplete: 'off' }));
}

function form(ctx, year) {
  const { el, t } = ctx;
  const years = [year - 3, year - 2, year - 1];
  return el('form', { class: 'calc', novalidate: true },
    el('div', { class: 'fields' },
      selectField(t('calc.year'), 'year', [2021, 2022, 2023, 2024, 2025].map((y) => [y, String(y)]), year, { id: 'calc-year' }),
      field(ctx, 'industry_code', t('calc.industry'), { required: true, inputmode: 'numeric', pattern: '[0-9]{4}', value: '3841',
        autocomplete: 'off' }, t('calc.industryHint')),
      field(ctx, 'entry_year', t('calc.entryYear'), { inputmode: 'numeric', autocomplete: 'off' })),
    check(ctx, 'local', t('calc.local'), true),
    el('div', { class: 'years' }, years.map((y) => yearFields(ctx, y))),
    el('fieldset', {}, el('legend', {}, t('calc.project')),
      el('div', { class: 'fields' },
        selectField(t('calc.projectKind'), 'project_kind', [['', t('calc.noProject')], ['tech_upgrade', t('calc.techUpgrade')]], '',
          { id: 'project_kind' }),
        amount(ctx, 'fixed_asset_investment', t('calc.fixedAsset')),
        amount(ctx, 'equipment_investment', t('calc.equipment')),
        amount(ctx, 'approved_equipment_purchase', t('calc.approvedEquipment')),
        field(ctx, 'completion_date', t('calc.completion'), { type: 'date' }))),
    el('p', { id: 'calc-error', class: 'error', role: 'alert' }),
    el('button', { type: 'submit', class: 'btn primary' }, t('calc.submit')));
}

// The what-if document from the form; throws Error(message naming the field) on a bad figure.
function facts(ctx, f) {
  const v = (id) => f.elements[id]?.value ?? '';
  const yuan = (id) => {
    const y = wanToYuan(v(id));
    if (y === undefined) throw new Error(ctx.t('calc.badAmount', { field: f.querySelector(`label[for="${id}"]`).textContent }));
    return y;
  };
  const year = Number(v('year'));
  const indicators = {};
  for (const y of [year - 3, year - 2, year - 1]) {
    const row = { above_scale: f.elements[`above_${y}`].checked };
    for (const k of ['value_added', 'revenue']) if (yuan(`${k}_${y}`) !== null) row[k] = yuan(`${k}_${y}`);
    if (v(`employees_${y}`)) row.employees = Number(v(`employees_${y}`));
    indicators[y] = row;
  }
  const uscc = ctx.user?.role === 'enterprise' ? ctx.user.scope : ctx.t('calc.self');
  const enterprise = { uscc, industry_code: v('industry_code'), local: f.elements.local.checked, indicators };
  if (v('entry_year')) enterprise.above_scale_entry_year = Number(v('entry_year'));
  const doc = { enterprise };
  if (v('project_kind')) {
    const p = { id: ctx.t('calc.projectId'), kind: v('project_kind') };
    for (const k of ['fixed_asset_investment', 'equipment_investment', 'approved_equipment_purchase'])
      if (yuan(k) !== null) p[k] = yuan(k);
    if (v('completion_date')) p.completion_date = v('completion_date');
    doc.projects = [p];
  }
  return { year, doc };
}

function results(ctx, answer) {
  const { el, t, fmt, table, card } = ctx;
  const sorted = [...answer.results].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  const paying = sorted.filter((r) => r.status !== 'not_eligible');
  const total = paying.filter((r) => r.status === 'eligible').reduce((s, r) => s + Math.round(Number(r.amount) * 100), 0);
  const explain = (r) => el('details', {}, el('summary', {}, t('calc.why')), el('pre', { class: 'explain' }, r.explanation));
  const rows = (list) => list.map((r) => [r.policy, el('span', { class: `status-${r.status}` }, t(`status.${r.status}`)),
    fmt.moneyEl(r.amount), explain(r)]);
  const cols = [{ label: t('cockpit.policy') }, { label: t('calc.status') }, { label: t('cockpit.amount'), num: true }, { label: t('calc.explanation') }];
  const out = card(t('calc.results', { year: answer.year }),
    el('p', { class: 'total' }, t('calc.total'), ' ', el('strong', { id: 'calc-total' }, fmt.moneyEl((total / 100).toFixed(2)))),
    paying.length ? table(null, cols, rows(paying)) : el('p', {}, t('calc.nothing')),
    el('details', {}, el('summary', {}, t('calc.notEligible', { n: sorted.length - paying.length })),
      table(null, cols, rows(sorted.filter((r) => r.status === 'not_eligible')))),
    el('p', { class: 'hint' }, t('calc.disclaimer')));
  out.classList.add('wide');
  out.id = 'calc-results';
  return out;
}

export default {
  path: '/calculator',
  title: { 'zh-CN': '政策计算器', 'zh-TW': '政策計算器', en: 'Policy calculator' },
  roles: null,
  async render(root, ctx) {
    const { el, t, card } = ctx;
    const year = Number(ctx.query.get('year')) || 2023;
    const f = form(ctx, year);
    const intro = card(t('calc.heading'), el('p', { class: 'hint' }, t('calc.intro')), f);
    intro.classList.add('wide');
    const slot = el('div', { class: 'wide' });
    root.append(intro, slot);
    f.elements.year.addEventListener('change', () => ctx.navigate(`/calculator?year=${f.elements.year.value}`, { replace: true }));
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const error = f.querySelector('#calc-error');
      error.textContent = '';
      try {
        const { year: y, doc } = facts(ctx, f);
        const path = ctx.user ? '/whatif' : '/public/whatif';
        const answer = await ctx.api(path, { method: 'POST', body: doc, query: { year: y, lang: ctx.lang } });
        slot.replaceChildren(results(ctx, answer));
        slot.scrollIntoView({ block: 'start' });
      } catch (err) {
        error.textContent = err.status === 429 ? t('calc.throttled') : err.message;
      }
    });
  },
};
