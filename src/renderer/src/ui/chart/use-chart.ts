// One chart.js line chart's lifecycle, for every chart component: created on mount on the given
// canvas with the studio's common options (no animation, points given as {x, y}, tooltips in the
// chart's value format), redrawn when the theme switches, destroyed on unmount. The instance
// lives outside Vue's reactivity (a plain variable): Vue would otherwise proxy every point.
// Also the axes both kinds of chart share, coloured from the theme.
import { onBeforeUnmount, onMounted, type Ref } from 'vue';
import type { Chart, ChartOptions } from 'chart.js';
import { chartJs, cssVar, onThemeChange } from './chart-setup';
import { epochStep, formatTick, type ValueFormat } from './chart-line';
import type { Point } from './decimated-series';

export type LineChart = Chart<'line', Point[]>;

export interface ChartSetup {
  format: ValueFormat;
  /** The tooltip's title for the epoch under the pointer. */
  tooltipTitle(epoch: number): string;
  /** Options beyond the common ones (layout, the first scales). */
  options?: ChartOptions<'line'>;
  /** Brings the chart up to date with the component's props; called once created. */
  draw(chart: LineChart): void;
  /** The theme switched (defaults to draw). */
  onTheme?(chart: LineChart): void;
  /** After each layout: where the plot area (inside the axes) lies on the canvas, in px. */
  onLayout?(area: PlotArea): void;
}

/** The chart's plot area, the part inside the axes and their labels. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function useChart(
  canvas: Ref<HTMLCanvasElement | null>,
  setup: ChartSetup,
): {
  /** The chart, once mounted. */
  current(): LineChart | null;
} {
  let chart: LineChart | null = null;
  let stopThemeWatch: (() => void) | null = null;

  onMounted(() => {
    if (!canvas.value) return;
    const format = setup.format;
    const ChartJs = chartJs();
    ChartJs.defaults.font.family = cssVar('--font') || ChartJs.defaults.font.family;
    const created: LineChart = new ChartJs<'line', Point[]>(canvas.value, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          tooltip: {
            callbacks: {
              title: (items) => setup.tooltipTitle(items[0]?.parsed.x ?? 0),
              label: (item) =>
                ` ${item.dataset.label ?? ''}: ${formatTick(item.parsed.y ?? 0, format)}`,
            },
          },
        },
        ...setup.options,
      },
      plugins: setup.onLayout
        ? [
            {
              id: 'plot-area',
              afterLayout: (c: Chart) => {
                const { left, top, width, height } = c.chartArea;
                setup.onLayout?.({ left, top, width, height });
              },
            },
          ]
        : [],
    });
    chart = created;
    setup.draw(created);
    stopThemeWatch = onThemeChange(() => (setup.onTheme ?? setup.draw)(created));
  });

  onBeforeUnmount(() => {
    stopThemeWatch?.();
    chart?.destroy();
    chart = null;
  });

  return { current: () => chart };
}

/** One entry of a line chart's `scales` option. */
type LinearAxis = NonNullable<ChartOptions<'line'>['scales']>[string];

/** The x axis: epochs from `min` to the run's length, whole-epoch ticks. */
export function epochAxis(min: number, epochs: number | null | undefined): LinearAxis {
  const grid = cssVar('--chart-grid');
  const text = cssVar('--chart-text');
  return {
    type: 'linear',
    min,
    max: epochs ?? undefined,
    title: { display: true, text: 'epoch', color: text, font: { size: 11 } },
    ticks: {
      color: text,
      font: { size: 11 },
      stepSize: epochs ? epochStep(epochs) : undefined,
      callback: (value) => String(value),
    },
    grid: { color: grid },
    border: { color: grid },
  };
}

/** The y axis: values in the chart's format, at most six ticks. */
export function valueAxis(
  format: ValueFormat,
  options: { log?: boolean; beginAtZero: boolean; max: number | undefined },
): LinearAxis {
  const grid = cssVar('--chart-grid');
  const text = cssVar('--chart-text');
  return {
    type: options.log ? 'logarithmic' : 'linear',
    beginAtZero: options.beginAtZero,
    max: options.max,
    ticks: {
      color: text,
      font: { size: 11 },
      maxTicksLimit: 6,
      callback: (value) => formatTick(Number(value), format),
    },
    grid: { color: grid },
    border: { color: grid },
  };
}
