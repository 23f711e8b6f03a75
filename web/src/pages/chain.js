// chain (产业链图谱) — one chain from upstream to downstream for a year: its segments from
// GET /chains/{code}/diagnosis, sized by local output and coloured strong/thin/missing with the
// reasons on hover; the supply edges of GET /chains/{code}/map, the broken ones (no local flow)
// marked; masters and backbone firms by their role on the map. Clicking a segment shows
// its enterprises, what it buys from outside, and the recommended targets
// (GET /chains/{code}/recommendations) that would fill it.
import { OFFICIALS } from '../roles.js';
import { yearOf, yearPicker } from '../years.js';

const STAGES = ['upstream', 'midstream', 'downstream'];
const ROLE_MARK = { chain_master: 'chain.master', backbone: 'chain.backbone' };

function chainPicker(ctx, chains, code, year) {
  const { el, t } = ctx;
  if (chains.length < 2) return null;
  return el('div', { class: 'field inline' }, el('label', { for: 'chain' }, t('cockpit.chain')),
    el('select', { id: 'chain', onchange: (e) => ctx.navigate(`/chains/${e.target.value}?year=${year}`) },
      chains.map((c) => el('option', { value: c.code, selected: c.code === code }, c.name))));
}

function summary(ctx, d) {
  const { el, t, fmt, card } = ctx;
  const s = card(d.name, el('div', { class: 'stats' },
    el('div', { class: 'stat' }, t('cockpit.supply'), el('strong', { id: 'chain-supply' }, fmt.pct(d.local_supply_rate))),
    el('div', { class: 'stat' }, t('cockpit.output'), el('strong', {}, fmt.moneyEl(d.output))),
    ...['strong', 'thin', 'missing'].map((l) => el('div', { class: `stat${l === 'missing' ? ' alert' : ''}` }, t(`label.${l}`),
      el('strong', { 'data-label': l }, fmt.num(d.segments.filter((g) => g.label === l).length))))));
  s.classList.add('wide');
  return s;
}

// One segment as a button: width of its bar by its share of the chain's local output.
function segmentButton(ctx, g, feeds, broken, onPick) {
  const { el, t, fmt } = ctx;
  const bar = el('span');
  bar.style.width = `${Math.max(2, Math.round(Number(g.output_share ?? 0) * 100))}%`; // CSSOM: allowed by the CSP
  const b = el('button', { type: 'button', class: `segment ${g.label}`, 'aria-pressed': 'false', 'data-segment': g.code,
    title: g.reasons.join('；'), onclick: () => onPick(g, b) },
    el('strong', {}, g.name), ' ', el('span', { class: `label-${g.label}` }, `（${t(`label.${g.label}`)}）`),
    el('span', { class: 'hint' }, el('br'), t('chain.segmentLine', { n: fmt.num(g.local_enterprises), rate: fmt.pct(g.local_supply_rate) })),
    el('span', { class: 'bar', 'aria-hidden': 'true' }, bar),
    feeds.length ? el('span', { class: 'hint' }, el('br'), '→ ', feeds.map((f, i) => [i ? '、' : '',
      broken.has(f.to) ? el('span', { class: 'break' }, `${f.name}${t('chain.broken')}`) : f.name])) : null);
  return b;
}

function segments(ctx, d, map, onPick) {
  const { el, t, card } = ctx;
  const byCode = Object.fromEntries(d.segments.map((g) => [g.code, g]));
  const feedsOf = (code) => (map.segments.find((s) => s.code === code)?.feeds ?? []).map((to) => ({ to, name: byCode[to]?.name ?? to }));
  const breaksFrom = (code) => new Set(d.breaks.filter((b) => b.from === code).map((b) => b.to));
  const cols = STAGES.map((stage) => el('div', { class: 'stage' }, el('h3', {}, t(`chain.${stage}`)),
    d.segments.filter((g) => g.stage === stage).sort((a, b) => Number(b.output) - Number(a.output))
      .map((g) => segmentButton(ctx, g, feedsOf(g.code), breaksFrom(g.code), onPick))));
  const c = card(t('chain.map'), el('p', { class: 'hint' }, t('chain.legend')), el('div', { class: 'segments' }, cols),
    d.breaks.length ? el('div', {}, el('h3', {}, t('chain.breaks')),
      el('ul', { id: 'chain-breaks' }, d.breaks.map((b) => el('li', { class: 'break' },
        `${byCode[b.from]?.name ?? b.from} → ${byCode[b.to]?.name ?? b.to}`)))) : null);
  c.classList.add('wide');
  return c;
}

function detail(ctx, g, map, recs, d) {
  const { el, t, fmt, card, table } = ctx;
  const firms = map.segments.find((s) => s.code === g.code)?.enterprises ?? [];
  const mark = (role) => (ROLE_MARK[role] ? el('span', { class: 'badge' }, t(ROLE_MARK[role])) : null);
  const outside = (Number(g.purchases) - Number(g.local_purchases)).toFixed(2);
  const fills = recs.candidates.filter((c) => c.segments.includes(g.code));
  const c = card(t('chain.segment', { name: g.name }),
    el('p', {}, g.reasons.join('；')),
    el('p', {}, t('chain.outside'), ' ', fmt.moneyEl(outside)),
    el('h3', {}, t('chain.enterprises', { n: fmt.num(firms.length) })),
    firms.length ? table(null, [{ label: t('chain.enterprise') }, { label: t('chain.role') }],
      firms.slice(0, 50).map((f) => [el('a', { href: `/enterprises/${f.uscc}` }, f.name), mark(f.role)])) : el('p', {}, t('common.none')),
    el('h3', {}, t('chain.fill')),
    fills.length ? table(null, [{ label: t('chain.enterprise') }, { label: t('chain.bought'), num: true }, { label: t('chain.why') }],
      fills.map((r) => [r.name, fmt.moneyEl(r.amount), r.reasons.join('；')])) : el('p', {}, t('chain.noFill')),
    el('p', {}, el('a', { href: `/targets?chain=${d.code}` }, t('chain.toTargets'))));
  c.classList.add('wide');
  c.id = 'segment-detail';
  return c;
}

export default {
  path: '/chains/:code',
  title: { 'zh-CN': '产业链图谱', 'zh-TW': '產業鏈圖譜', en: 'Chain map' },
  roles: OFFICIALS,
  // A chain account's own chain; other officials reach every chain from the cockpit's chain health.
  navPath: (user) => (user?.role === 'chain' ? `/chains/${user.scope}` : null),
  async render(root, ctx) {
    const { el } = ctx;
    const year = yearOf(ctx);
    const code = ctx.params.code;
    const q = { year, lang: ctx.lang };
    const [diag, map, recs, chains] = await Promise.all([
      ctx.api(`/chains/${encodeURIComponent(code)}/diagnosis`, { query: q }),
      ctx.api(`/chains/${encodeURIComponent(code)}/map`),
      ctx.api(`/chains/${encodeURIComponent(code)}/recommendations`, { query: q }),
      ctx.user.role === 'chain' ? Promise.resolve({ items: [] }) : ctx.api('/chains', { query: { limit: 100 } }),
    ]);
    const d = diag.chains[0];
    const slot = el('div', { class: 'wide' });
    let pressed = null;
    const pick = (g, button) => {
      pressed?.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', 'true');
      pressed = button;
      slot.replaceChildren(detail(ctx, g, map, recs, d));
    };
    root.append(el('div', { class: 'toolbar' }, yearPicker(ctx, year), chainPicker(ctx, chains.items, code, year)),
      summary(ctx, d), segments(ctx, d, map, pick), slot);
  },
};
