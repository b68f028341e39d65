import {
  BarChart,
  GraphChart,
  HeatmapChart,
  LineChart,
  SankeyChart,
  ScatterChart,
} from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([
  BarChart,
  GraphChart,
  HeatmapChart,
  LineChart,
  SankeyChart,
  ScatterChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/**
 * A colour-blind-safe palette (Okabe-Ito) whose colours also differ in lightness; series are
 * further told apart by line style and symbol, and heatmap cells carry their figure as text.
 */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
];

const charts = new Set<echarts.ECharts>();

/**
 * Draws `option` into `el`, labelled for screen readers by `label` (ECharts' aria description
 * is added too). Charts follow the window's size, for phones turned sideways.
 */
export function drawChart(
  el: HTMLElement,
  label: string,
  option: EChartsCoreOption,
): echarts.ECharts {
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption({
    color: PALETTE,
    textStyle: { color: '#1b1f24', fontSize: 12 },
    // Figures are written on the cells and lines differ in dash and symbol, so no decals needed.
    aria: { enabled: true },
    animation: false,
    ...option,
  });
  charts.add(chart);
  return chart;
}

/** Disposes every chart: before a view is drawn again. */
export function disposeCharts(): void {
  for (const c of charts) c.dispose();
  charts.clear();
}

window.addEventListener('resize', () => {
  for (const c of charts) c.resize();
});
