// projects — key projects with their lights on a date, from GET /api/v1/analysis/projects?date=D:
// the count of each light, the counts per chain (chart and table; a click opens the chain) and
// per division, the red list with the days late, the projects that cannot be told with what is
// missing, and every project (filtered by ?light=, as the cockpit links). The projects list
// (GET /api/v1/projects) adds each project's enterprise, for the link to its page.
import { OFFICIALS } from '../roles.js';
import { field, select } from './forms.js';
import { everything, label, today, withQuery, x } from './parts.js';

const LIGHTS = ['green', 'yellow', 'red', 'cannot_tell'];
const COLORS = { green: '#1d6b3a', yellow: '#c08a00', red: '#b42318', cannot_tell: '#8a96a3' };

export default {
  path: '/projects',
  title: { 'zh-CN': '重点项目', 'zh-TW': '重點項目', en: 'Key projects' },
  roles: OFFICIALS,
  async render(root, ctx) {
    const { el, card, table, fmt, t, query } = ctx;
    const say = x(ctx);
    const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '') ? query.get('date') : today();
    const light = LIGHTS.includes(query.get('light')) ? query.get('light') : '';

    const dateInput = el('input', { id: 'proj-date', type: 'date', value: date });
    const lightSelect = select('proj-light', [['', say('全部', '全部', 'all')], ...LIGHTS.map((l) => [l, t(`light.${l}`)])], light);
    const form = el('form', { class: 'filters' }, field(say('判断日期', '判斷日期', 'Date'), dateInput),
      field(say('亮灯', '亮燈', 'Light'), lightSelect),
      el('div', { class: 'field actions' }, el('button', { type: 'submit', class: 'btn primary' }, say('查看', '查看', 'Show'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ctx.navigate(withQuery({ date: dateInput.value || null, light: lightSelect.value || null }));
    });
    root.append(el('div', { class: 'toolbar' }, form));

    const charts = import('../charts.js'); // loads while the figures are fetched
    const [an, rows, chains, divisions] = await Promise.all([
      ctx.api('/analysis/projects', { query: { date } }),
      everything(ctx, '/projects'),
      ctx.api('/chains', { query: { limit: 100 } }),
      ctx.api('/divisions', { query: { limit: 100 } })]);
    const byId = Object.fromEntries(rows.map((p) => [p.id, p]));
    const chainName = Object.fromEntries(chains.items.map((c) => [c.code, c.name]));
    const divName = Object.fromEntries(divisions.items.map((d) => [d.code, d.name]));
    const counts = Object.fromEntries(LIGHTS.map((l) => [l, an.projects.filter((p) => p.light === l).length]));
    const enterprise = (id) => (byId[id] ? el('a', { href: `/enterprises/${encodeURIComponent(byId[id].uscc)}` }, byId[id].enterprise_name ?? byId[id].uscc) : '—');
    const chainCell = (c) => (c ? el('a', { href: `/chains/${encodeURIComponent(c)}` }, chainName[c] ?? c) : '—');
    const MISSING = {
      start_date: say('开工日期', '開工日期', 'start date'), planned_completion: say('计划竣工', '計劃竣工', 'planned completion'),
      stage: say('阶段', '階段', 'stage'),
    };

    const stats = card(say(`${fmt.date(an.date)} 亮灯情况`, `${fmt.date(an.date)} 亮燈情況`, `Lights on ${fmt.date(an.date)}`),
      el('div', { class: 'stats' }, LIGHTS.map((l) => el('a', { class: `stat${l === 'red' ? ' alert' : ''}`, href: withQuery({ light: l }),
        'data-light': l }, t(`light.${l}`), el('strong', {}, fmt.num(counts[l]))))),
      el('p', { class: 'hint' }, say('阈值（假设值，待确认）：', '閾值（假設值，待確認）：', 'Thresholds (assumed, to be confirmed): '),
        say(`进度落后超过 ${fmt.pct(an.thresholds['lights.yellow_from']?.value, 0)} 黄灯，超过 ${fmt.pct(an.thresholds['lights.red_above']?.value, 0)} 红灯。`,
          `進度落後超過 ${fmt.pct(an.thresholds['lights.yellow_from']?.value, 0)} 黃燈，超過 ${fmt.pct(an.thresholds['lights.red_above']?.value, 0)} 紅燈。`,
          `behind by over ${fmt.pct(an.thresholds['lights.yellow_from']?.value, 0)} is yellow, over ${fmt.pct(an.thresholds['lights.red_above']?.value, 0)} red.`)));
    stats.classList.add('wide');

    const box = el('div', { class: 'chart tall' });
    const lightCols = LIGHTS.map((l) => ({ label: t(`light.${l}`), num: true }));
    const perChain = card(say('按产业链', '按產業鏈', 'By chain'), box, table(null, [{ label: say('产业链', '產業鏈', 'Chain') }, ...lightCols],
      an.by_chain.map((r) => [chainCell(r.chain), ...LIGHTS.map((l) => fmt.num(r[l]))])));
    const perDivision = card(say('按市（区）', '按市（區）', 'By division'), table(null, [{ label: say('市（区）', '市（區）', 'Division') }, ...lightCols],
      an.by_division.map((r) => [r.division ? divName[r.division] ?? r.division : say('未填', '未填', 'not given'), ...LIGHTS.map((l) => fmt.num(r[l]))])));

    const red = card(say('红灯项目（按逾期天数）', '紅燈項目（按逾期天數）', 'Red projects (by days late)'), an.red.length
      ? table(null, [{ label: say('项目', '項目', 'Project') }, { label: say('企业', '企業', 'Enterprise') }, { label: say('产业链', '產業鏈', 'Chain') },
        { label: say('阶段', '階段', 'Stage') }, { label: say('计划竣工', '計劃竣工', 'Planned completion') },
        { label: say('实际进度', '實際進度', 'Progress'), num: true }, { label: say('应有进度', '應有進度', 'Planned'), num: true },
        { label: say('逾期天数', '逾期天數', 'Days late'), num: true }],
      [...an.red].sort((a, b) => b.days_late - a.days_late).map((p) => [p.name, enterprise(p.id), chainCell(p.chain), label(ctx, 'project', p.stage),
        fmt.date(p.planned_completion), fmt.pct(p.actual_progress, 0), fmt.pct(p.planned_progress, 0), fmt.num(p.days_late)]))
      : el('p', {}, say('没有红灯项目。', '沒有紅燈項目。', 'No red project.')));
    red.classList.add('wide');

    const unknown = card(say('无法判断（缺少资料）', '無法判斷（缺少資料）', 'Cannot tell: what is missing'), an.cannot_tell.length
      ? table(null, [{ label: say('项目', '項目', 'Project') }, { label: say('企业', '企業', 'Enterprise') }, { label: say('产业链', '產業鏈', 'Chain') },
        { label: say('缺少', '缺少', 'Missing') }],
      an.cannot_tell.map((p) => [p.name, enterprise(p.id), chainCell(p.chain), p.missing.map((m) => MISSING[m] ?? m).join('、')]))
      : el('p', {}, say('无。', '無。', 'None.')));
    unknown.classList.add('wide');

    const shown = an.projects.filter((p) => !light || p.light === light);
    const all = card(light ? say(`${t(`light.${light}`)}项目（${shown.length}）`, `${t(`light.${light}`)}項目（${shown.length}）`, `Projects, ${t(`light.${light}`)} (${shown.length})`)
      : say(`全部项目（${shown.length}）`, `全部項目（${shown.length}）`, `All projects (${shown.length})`),
    el('div', { class: 'scroll tall', tabindex: '0' }, table(null, [{ label: say('项目', '項目', 'Project') }, { label: say('企业', '企業', 'Enterprise') },
      { label: say('产业链', '產業鏈', 'Chain') }, { label: say('阶段', '階段', 'Stage') }, { label: say('亮灯', '亮燈', 'Light') },
      { label: say('总投资', '總投資', 'Total investment'), num: true }, { label: say('计划竣工', '計劃竣工', 'Planned completion') },
      { label: say('逾期天数', '逾期天數', 'Days late'), num: true }],
    shown.map((p) => [p.name, enterprise(p.id), chainCell(p.chain), label(ctx, 'project', p.stage),
      el('span', { class: `light light-${p.light}` }, t(`light.${p.light}`)), fmt.moneyEl(byId[p.id]?.total_investment),
      fmt.date(p.planned_completion), fmt.num(p.days_late)]))));
    all.classList.add('wide');
    all.id = 'project-list';

    root.append(stats, perChain, perDivision, red, unknown, all);
    const { chart } = await charts;
    chart(box, {
      grid: { left: 130, right: 20, top: 30, bottom: 20 },
      legend: { top: 0 },
      yAxis: { type: 'category', data: an.by_chain.map((r) => chainName[r.chain] ?? r.chain ?? '—'), inverse: true },
      xAxis: { type: 'value', minInterval: 1 },
      tooltip: { trigger: 'axis' },
      series: LIGHTS.map((l) => ({ name: t(`light.${l}`), type: 'bar', stack: 'lights', color: COLORS[l], data: an.by_chain.map((r) => r[l]) })),
    }, { ctx, label: say('各产业链项目亮灯', '各產業鏈項目亮燈', 'Project lights by chain'), onClick: (p) => {
      const c = an.by_chain[p.dataIndex]?.chain;
      if (c) ctx.navigate(`/chains/${encodeURIComponent(c)}`);
    } });
  },
};
