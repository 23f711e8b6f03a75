// cockpit (驾驶舱) — the city's figures for a year from GET /api/v1/analysis/overview: clusters
// against their 2025 targets, chain health, key projects by light, the investment-target funnel,
// appeals, and awards per policy and department. Every chart has its figures in a table beside
// it (for reading exactly, and for assistive technology) and drills down by click to the page
// behind it, for the same year.
import { OFFICIALS } from '../roles.js';
import { yearOf, yearPicker } from '../years.js';

const STAGES = ['lead', 'contacted', 'visited', 'negotiating', 'signed', 'landed'];
const LIGHTS = { green: '#1d6b3a', yellow: '#c08a00', red: '#b42318', cannot_tell: '#8a96a3' };
function clusters(ctx, ov) {
  const { el, t, fmt, card, table } = ctx;
  const box = el('div', { class: 'chart' });
  const rows = ov.clusters.map((c) => [
    el('a', { href: c.chains[0] ? `/chains/${c.chains[0].code}?year=${ov.year}` : '/' }, c.name),
    fmt.moneyEl(c.output), fmt.pct(c.growth),
    c.target_output_2025 === null ? t('cockpit.notarget') : fmt.moneyEl(c.target_output_2025),
    c.needed_growth === null ? '—' : fmt.pct(c.needed_growth)]);
  const section = card(t('cockpit.clusters'), box, table(null, [
    { label: t('cockpit.cluster') }, { label: t('cockpit.output'), num: true }, { label: t('cockpit.growth'), num: true },
    { label: t('cockpit.target'), num: true }, { label: t('cockpit.needed'), num: true }], rows));
  section.classList.add('wide');
  return [section, (chart) => chart(box, {
    grid: { left: 60, right: 20, top: 40, bottom: 30 },
    legend: { top: 0 },
    xAxis: { type: 'category', data: ov.clusters.map((c) => c.name) },
    yAxis: { type: 'value', name: fmt.chartUnit() },
    tooltip: { trigger: 'axis' },
    series: [
      { name: t('cockpit.output'), type: 'bar', data: ov.clusters.map((c) => fmt.inChartUnit(c.output)?.toFixed(2)) },
      { name: t('cockpit.target'), type: 'bar', data: ov.clusters.map((c) => fmt.inChartUnit(c.target_output_2025)?.toFixed(2) ?? null) },
    ],
  }, { ctx, label: t('cockpit.clusters'), onClick: (p) => {
    const c = ov.clusters[p.dataIndex];
    if (c?.chains[0]) ctx.navigate(`/chains/${c.chains[0].code}?year=${ov.year}`);
  } })];
}

function health(ctx, ov) {
  const { el, t, fmt, card, table } = ctx;
  const box = el('div', { class: 'chart tall' });
  const rows = ov.chains.map((c) => [el('a', { href: `/chains/${c.code}?year=${ov.year}` }, c.name), fmt.pct(c.local_supply_rate),
    el('span', { class: 'label-strong' }, fmt.num(c.labels.strong)), el('span', { class: 'label-thin' }, fmt.num(c.labels.thin)),
    el('span', { class: 'label-missing' }, fmt.num(c.labels.missing))]);
  const labels = ['strong', 'thin', 'missing'];
  const colors = { strong: '#1d6b3a', thin: '#c08a00', missing: '#b42318' };
  return [card(t('cockpit.health'), box, table(null, [{ label: t('cockpit.chain') }, { label: t('cockpit.supply'), num: true },
    ...labels.map((l) => ({ label: t(`label.${l}`), num: true }))], rows)), (chart) => chart(box, {
    grid: { left: 120, right: 20, top: 30, bottom: 20 },
    legend: { top: 0 },
    yAxis: { type: 'category', data: ov.chains.map((c) => c.name), inverse: true },
    xAxis: { type: 'value', minInterval: 1 },
    tooltip: { trigger: 'axis' },
    series: labels.map((l) => ({ name: t(`label.${l}`), type: 'bar', stack: 'labels', color: colors[l],
      data: ov.chains.map((c) => c.labels[l]) })),
  }, { ctx, label: t('cockpit.health'), onClick: (p) => ctx.navigate(`/chains/${ov.chains[p.dataIndex].code}?year=${ov.year}`) })];
}

function projects(ctx, ov) {
  const { el, t, fmt, card } = ctx;
  const box = el('div', { class: 'chart' });
  const lights = Object.keys(LIGHTS);
  const stats = el('div', { class: 'stats' }, lights.map((l) =>
    el('a', { class: `stat${l === 'red' ? ' alert' : ''}`, href: `/projects?light=${l}`, 'data-light': l },
      t(`light.${l}`), el('strong', {}, fmt.num(ov.projects[l])))));
  return [card(t('cockpit.projects'), box, stats), (chart) => chart(box, {
    legend: { bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{b} {c}' },
      data: lights.map((l) => ({ name: t(`light.${l}`), value: ov.projects[l], itemStyle: { color: LIGHTS[l] } })) }],
  }, { ctx, label: t('cockpit.projects'), onClick: (p) => ctx.navigate(`/projects?light=${lights[p.dataIndex]}`) })];
}

function targets(ctx, ov) {
  const { el, t, fmt, card, table } = ctx;
  const box = el('div', { class: 'chart' });
  const by = Object.fromEntries(ov.targets.map((s) => [s.stage, s]));
  const shown = [...STAGES, 'lost'].filter((s) => by[s]);
  const rows = shown.map((s) => [el('a', { href: `/targets?stage=${s}` }, t(`stage.${s}`)), fmt.num(by[s].targets),
    fmt.moneyEl(by[s].expected_investment)]);
  const funnel = STAGES.filter((s) => by[s]);
  return [card(t('cockpit.targets'), box, table(null, [{ label: t('cockpit.stage') }, { label: t('cockpit.count'), num: true },
    { label: t('cockpit.expected'), num: true }], rows)), (chart) => chart(box, {
    series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', label: { formatter: '{b} {c}' },
      data: funnel.map((s) => ({ name: t(`stage.${s}`), value: by[s].targets })) }],
  }, { ctx, label: t('cockpit.targets'), onClick: (p) => ctx.navigate(`/targets?stage=${funnel[p.dataIndex]}`) })];
}

function appeals(ctx, ov) {
  const { el, t, fmt, card } = ctx;
  const kinds = [['open', '/appeals?status=open'], ['overdue', '/appeals?overdue=1'], ['closed_on_time', '/appeals?status=closed'],
    ['closed_late', '/appeals?status=closed&late=1']];
  return [card(t('cockpit.appeals'), el('div', { class: 'stats' }, kinds.map(([k, href]) =>
    el('a', { class: `stat${k === 'overdue' ? ' alert' : ''}`, href, 'data-appeals': k }, t(`appeals.${k}`),
      el('strong', {}, fmt.num(ov.appeals[k])))))), null];
}

function awards(ctx, ov) {
  const { el, t, fmt, card, table } = ctx;
  const box = el('div', { class: 'chart' });
  const amountCols = [{ label: t('cockpit.decided'), num: true }, { label: t('cockpit.paid'), num: true },
    { label: t('cockpit.decidedAmount'), num: true }, { label: t('cockpit.paidAmount'), num: true }];
  const figures = (a) => [fmt.num(a.decided), fmt.num(a.paid), fmt.moneyEl(a.decided_amount), fmt.moneyEl(a.paid_amount)];
  const link = (q, text) => el('a', { href: `/awards?year=${ov.year}&${q}` }, text);
  if (ov.awards.length === 0) return [card(t('cockpit.awards'), el('p', {}, t('cockpit.noawards'))), null];
  const byPolicy = card(t('cockpit.awards'), box, table(null, [{ label: t('cockpit.policy') }, { label: t('cockpit.department') },
    ...amountCols], ov.awards.map((a) => [link(`policy=${encodeURIComponent(a.policy)}`, a.name ?? a.policy), a.department, ...figures(a)])));
  const byDept = card(t('cockpit.departments'), table(null, [{ label: t('cockpit.department') }, ...amountCols],
    ov.departments.map((d) => [link(`department=${encodeURIComponent(d.department)}`, d.department), ...figures(d)])));
  byPolicy.classList.add('wide');
  byDept.classList.add('wide');
  return [[byPolicy, byDept], (chart) => chart(box, {
    grid: { left: 60, right: 20, top: 40, bottom: 60 },
    legend: { top: 0 },
    xAxis: { type: 'category', data: ov.awards.map((a) => a.name ?? a.policy), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: fmt.chartUnit() },
    tooltip: { trigger: 'axis' },
    series: ['decided', 'paid'].map((k) => ({ name: t(`cockpit.${k}`), type: 'bar',
      data: ov.awards.map((a) => fmt.inChartUnit(a[`${k}_amount`]).toFixed(4)) })),
  }, { ctx, label: t('cockpit.awards'),
    onClick: (p) => ctx.navigate(`/awards?year=${ov.year}&policy=${encodeURIComponent(ov.awards[p.dataIndex].policy)}`) })];
}

export default {
  path: '/',
  title: { 'zh-CN': '驾驶舱', 'zh-TW': '駕駛艙', en: 'Cockpit' },
  roles: OFFICIALS,
  async render(root, ctx) {
    const { el, t, fmt } = ctx;
    const year = yearOf(ctx);
    const status = el('p', { class: 'note' }, t('common.loading'));
    root.append(el('div', { class: 'toolbar' }, yearPicker(ctx, year), status));
    const charts = import('../charts.js'); // loads while the figures are fetched
    const ov = await ctx.api('/analysis/overview', { query: { year, lang: ctx.lang } });
    status.textContent = t('cockpit.asof', { date: fmt.date(ov.date) });
    const parts = [clusters, health, projects, targets, appeals, awards].map((f) => f(ctx, ov));
    for (const [nodes] of parts) root.append(...[nodes].flat());
    performance.mark('lz-figures'); // the tables are in: the bench reports this and the charts apart
    const { chart } = await charts;
    for (const [, draw] of parts) draw?.(chart);
  },
};
