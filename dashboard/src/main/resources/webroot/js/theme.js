// Chart colours that follow the light or dark colour scheme of the page.

export const dark = () => window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;

// ECharts takes its theme at creation: when the system scheme changes, redraw the page in it.
if (window.matchMedia) {
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => location.reload());
}

export const STRATEGY_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#76b7b2', '#edc948', '#9c755f'];

export function colorOf(strategies, strategy) {
  const i = strategies.indexOf(strategy);
  return STRATEGY_COLORS[(i < 0 ? 0 : i) % STRATEGY_COLORS.length];
}

/** Initialises an ECharts instance on `dom` in the page's scheme, resizing with the window. */
export function chart(dom) {
  const instance = echarts.init(dom, dark() ? 'dark' : null, { renderer: 'canvas' });
  window.addEventListener('resize', () => instance.resize());
  return instance;
}

export function baseOption() {
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    grid: { left: 70, right: 30, top: 40, bottom: 55 },
    tooltip: { trigger: 'axis' },
  };
}
