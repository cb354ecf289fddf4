// Chart.js, with only the pieces the Results charts use, drawn in the app's
// colours. Each chart is two bar panels stacked on one canvas and sharing the
// x axis (touches above, replies below), each with its own scale, so a 3%
// reply rate is still a readable bar. Canvas only: no styles are injected,
// which keeps the strict CSP. Not loaded in unit tests (jsdom has no canvas).
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip, type ChartConfiguration, type ChartType, type Plugin } from 'chart.js';
import { count, type Series } from './shape';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    /** The numbers drawn over the bars. */
    cadenceValues?: { color: string; font: string };
  }
}

export interface Theme {
  fg: string;
  muted: string;
  line: string;
  bg: string;
  top: string;
  bottom: string;
  font: string;
}

/** The app's colours as the CSS variables say now (light or dark). */
export function readTheme(): Theme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#1b1d22'),
    muted: v('--muted', '#5f6470'),
    line: v('--line', '#e3e5ea'),
    bg: v('--bg', '#ffffff'),
    top: v('--accent', '#4451c8'),
    bottom: v('--ok', '#2f855a'),
    font: css.fontFamily || 'system-ui, sans-serif',
  };
}

const reducedMotion = () => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Calls `f` when the OS switches light/dark or reduced motion. */
export function onThemeChange(f: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const queries = [matchMedia('(prefers-color-scheme: dark)'), matchMedia('(prefers-reduced-motion: reduce)')];
  queries.forEach((q) => q.addEventListener('change', f));
  return () => queries.forEach((q) => q.removeEventListener('change', f));
}

/** Each bar's number over it, small and muted, so nobody has to hover. */
const values: Plugin<'bar'> = {
  id: 'cadenceValues',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const theme = chart.options.plugins?.cadenceValues;
    if (!theme?.color) return;
    ctx.save();
    ctx.font = `11px ${theme.font}`;
    ctx.fillStyle = theme.color;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    chart.data.datasets.forEach((ds, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      meta.data.forEach((bar, j) => {
        const n = ds.data[j] as number;
        // No bar, no number: the table beneath has every zero.
        if (!n) return;
        const { x, y } = bar.getProps(['x', 'y'], true);
        ctx.fillText(count(n), x, y - 2);
      });
    });
    ctx.restore();
  },
};

function alpha(hex: string, a: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${a})`;
}

export interface Panels {
  series: Series;
  /** What the upper bars count ("Touches done"), and the lower ("Replies"). */
  top: string;
  bottom: string;
}

function config(p: Panels, t: Theme): ChartConfiguration<'bar'> {
  const axis = (weight: number) => ({
    type: 'linear' as const,
    position: 'left' as const,
    stack: 'panels',
    stackWeight: weight,
    offset: true,
    beginAtZero: true,
    grace: '18%',
    grid: { color: t.line, drawTicks: false },
    border: { display: false },
    ticks: { color: t.muted, precision: 0, maxTicksLimit: 3, padding: 6, font: { size: 10.5 } },
  });
  return {
    type: 'bar',
    data: {
      labels: p.series.labels,
      datasets: [
        { label: p.top, data: p.series.top, yAxisID: 'top', backgroundColor: alpha(t.top, 0.85), hoverBackgroundColor: t.top, grouped: false, maxBarThickness: 28, borderRadius: 2 },
        { label: p.bottom, data: p.series.bottom, yAxisID: 'bottom', backgroundColor: alpha(t.bottom, 0.85), hoverBackgroundColor: t.bottom, grouped: false, maxBarThickness: 28, borderRadius: 2 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion() ? false : { duration: 120 },
      layout: { padding: { top: 4, right: 4 } },
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          grid: { display: false },
          border: { color: t.line },
          ticks: {
            color: t.muted,
            font: { size: 11 },
            maxRotation: 0,
            // Every step keeps its label: words when there is room, the
            // channel's glyph when the bars are close. Weeks skip some.
            autoSkip: !p.series.short,
            callback(_value, i) {
              const { short, labels } = p.series;
              const room = (this.chart.chartArea?.width ?? this.chart.width - 40) / Math.max(1, labels.length);
              return (short && room < 56 ? short : labels)[i];
            },
          },
        },
        // Stacked scales are laid out bottom first: replies below, touches above.
        bottom: axis(2),
        top: axis(3),
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          backgroundColor: t.fg,
          titleColor: t.bg,
          bodyColor: t.bg,
          displayColors: true,
          boxPadding: 3,
          callbacks: {
            title: (items) => p.series.names[items[0]?.dataIndex ?? 0] ?? '',
            label: (item) => `${item.dataset.label}: ${count(item.parsed.y ?? 0)}`,
          },
        },
        cadenceValues: { color: t.muted, font: t.font },
      },
    },
    plugins: [values],
  };
}

/** Draws the panels on `canvas`; returns how to redraw and how to remove. */
export function drawPanels(canvas: HTMLCanvasElement, first: Panels) {
  let current = first;
  const theme = readTheme();
  Chart.defaults.font.family = theme.font;
  let chart = new Chart(canvas, config(first, theme));
  return {
    update(p: Panels) {
      current = p;
      const c = config(p, readTheme());
      chart.data = c.data;
      chart.options = c.options!;
      chart.update();
    },
    /** The theme changed: the same data in the new colours, with no motion. */
    restyle() {
      chart.destroy();
      chart = new Chart(canvas, config(current, readTheme()));
    },
    destroy() {
      chart.destroy();
    },
  };
}
