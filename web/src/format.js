// format — numbers, amounts, rates and dates as officials read them, in the language in use.
//
// Amounts come from the API as decimal strings in yuan ("26875452183.58"). In Chinese they are
// shown in 万元 or 亿元 with two decimals, the exact yuan in the element's title (shown on hover);
// in English as yuan with thousands separators. Rates come as decimal fractions ("0.8675").
import { el } from './dom.js';
import { lang } from './i18n.js';

const zh = () => lang() !== 'en';
const locale = () => (lang() === 'en' ? 'en-US' : lang());

// "1234567.5" -> "1,234,567.50", digit by digit: no rounding through floating point.
export function groupedYuan(yuan) {
  const s = String(yuan ?? '0');
  const neg = s.startsWith('-');
  const [int, frac = ''] = s.replace('-', '').split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${g}.${(frac + '00').slice(0, 2)}`;
}

// The amount as shown: "268.75亿元", "3.15万元", "980.00元"; "¥1,234.00" in English.
export function money(yuan) {
  if (yuan === null || yuan === undefined || yuan === '') return '—';
  const v = Number(yuan);
  if (!zh()) return `¥${groupedYuan(yuan)}`;
  const unit = lang() === 'zh-TW' ? ['億元', '萬元'] : ['亿元', '万元'];
  if (Math.abs(v) >= 1e8) return `${(v / 1e8).toFixed(2)}${unit[0]}`;
  if (Math.abs(v) >= 1e4) return `${(v / 1e4).toFixed(2)}${unit[1]}`;
  return `${v.toFixed(2)}元`;
}

// The amount as an element: in Chinese its title holds the exact yuan.
export function moneyEl(yuan) {
  const exact = yuan === null || yuan === undefined ? null : `${groupedYuan(yuan)} 元`;
  return el('span', { class: 'money', title: zh() ? exact : null }, money(yuan));
}

// An amount in 亿元 (Chinese) or million yuan (English) as a plain number, for a chart's axis.
export const chartUnit = () => (zh() ? (lang() === 'zh-TW' ? '億元' : '亿元') : 'million ¥');
export const inChartUnit = (yuan) => (yuan === null || yuan === undefined ? null : Number(yuan) / (zh() ? 1e8 : 1e6));

export const num = (n) => (n === null || n === undefined ? '—' : Number(n).toLocaleString(locale()));

// "0.8675" -> "86.75%"; null -> "—".
export const pct = (rate, digits = 2) =>
  rate === null || rate === undefined ? '—' : `${(Number(rate) * 100).toFixed(digits)}%`;

// "2026-12-05" -> "2026年12月5日" / "5 Dec 2026".
export function date(iso) {
  if (!iso) return '—';
  const [y, m, d] = iso.split('-').map(Number);
  if (zh()) return `${y}年${m}月${d}日`;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
