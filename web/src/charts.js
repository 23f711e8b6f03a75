// charts — ECharts, with only the chart types and components the pages use (echarts/core keeps
// the bundle small). Tooltips render into the canvas (richText): ECharts' HTML tooltips carry
// inline style attributes that the Content-Security-Policy refuses.
//
// chart(container, option, {label, onClick, ctx}) draws into container (an element with a
// size from CSS), labels it for assistive technology, calls onClick(params) on a click (the
// drill-down), follows the window's size, and is disposed when the page is left (ctx.onLeave).
import { BarChart, FunnelChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, FunnelChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const FONT = 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
export const COLORS = ['#0b4f9c', '#9e1b1b', '#1d6b3a', '#8a5a00', '#5b3f8c', '#2f7f86', '#7a4b2a'];

export function chart(container, option, { label, onClick, ctx }) {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', label);
  const c = echarts.init(container, null, { renderer: 'canvas' });
  c.setOption({
    color: COLORS,
    textStyle: { fontFamily: FONT },
    animation: false,
    ...option,
    tooltip: { renderMode: 'richText', confine: true, ...(option.tooltip ?? {}) },
  });
  if (onClick) {
    c.on('click', onClick);
    c.getZr().setCursorStyle?.('pointer');
  }
  const resize = () => c.resize();
  window.addEventListener('resize', resize);
  ctx.onLeave(() => {
    window.removeEventListener('resize', resize);
    c.dispose();
  });
  return c;
}
