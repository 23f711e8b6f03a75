// years — the year a page shows when the URL names none, and the year picker that sets ?year=.
// Figures of a year are complete the year after; the default is the last complete one.
export const FIRST_YEAR = 2019;
export const defaultYear = () => new Date().getFullYear() - 2;

// The year in ?year= or the default.
export const yearOf = (ctx) => Number(ctx.query.get('year')) || defaultYear();

// A labelled select of years; choosing one reloads this page with ?year=.
export function yearPicker(ctx, year) {
  const { el, t } = ctx;
  const years = [];
  for (let y = new Date().getFullYear(); y >= FIRST_YEAR; y--) years.push(y);
  return el('div', { class: 'field inline' },
    el('label', { for: 'year' }, t('common.year')),
    el('select', { id: 'year', onchange: (e) => ctx.navigate(`${location.pathname}?year=${e.target.value}`) },
      years.map((y) => el('option', { value: y, selected: y === year }, String(y)))));
}
