// Chart options for the experiment and trial pages (ECharts, loaded from the WebJar).
import { baseOption, colorOf } from './theme.js';
import { fmtSeconds, fmtValue, fmtParams, escapeHtml } from './api.js';

/**
 * The strategy comparison: per strategy one median line and its interquartile band (drawn as a
 * custom series with the same name, so the legend toggles both). Both are step lines: the server
 * sends the points where a best-so-far changes, and each value holds until the next point.
 */
export function comparisonOption(data, axis) {
  const bands = axis === 'seconds' ? data.bySeconds : data.byTrials;
  const strategies = bands.map((b) => b.strategy);
  const series = [];
  for (const b of bands) {
    const color = colorOf(strategies, b.strategy);
    series.push({
      // Points stay visible while a strategy has few trials (a single point draws no line).
      name: b.strategy, type: 'line', step: 'end', showSymbol: b.x.length <= 30, color, lineStyle: { width: 2 },
      data: b.x.map((x, i) => [x, b.median[i]]), connectNulls: false, z: 3,
    });
    series.push({
      name: b.strategy, type: 'custom', color, silent: true, z: 1,
      data: b.x.map((x, i) => [x, b.q1[i], b.q3[i]]),
      encode: { x: 0, y: [1, 2] },
      renderItem: (params, api) => {
        const i = params.dataIndex;
        if (i === 0) return null;
        const x0 = b.x[i - 1], x1 = b.x[i];
        // The band of point i - 1 holds until x1.
        const lo0 = b.q1[i - 1], hi0 = b.q3[i - 1];
        if ([lo0, hi0].some((v) => v == null)) return null;
        return {
          type: 'polygon',
          shape: { points: [api.coord([x0, lo0]), api.coord([x1, lo0]), api.coord([x1, hi0]), api.coord([x0, hi0])] },
          style: { fill: color, opacity: 0.18 },
        };
      },
    });
  }
  const metric = data.metric;
  return {
    ...baseOption(),
    legend: { top: 0, data: strategies },
    tooltip: {
      trigger: 'axis',
      formatter: (items) => {
        const lines = items.filter((p) => p.seriesType === 'line');
        if (lines.length === 0) return '';
        const x = lines[0].value[0];
        const head = axis === 'seconds' ? 'training time ' + fmtSeconds(x) : 'trial ' + x;
        return head + '<br>' + lines.map((p) => {
          const b = bands.find((bb) => bb.strategy === p.seriesName);
          const i = p.dataIndex;
          return p.marker + escapeHtml(p.seriesName) + ': median ' + fmtValue(b.median[i]) + ' (IQR ' + fmtValue(b.q1[i]) + '–' + fmtValue(b.q3[i]) + ', ' + b.n[i] + ' seeds)';
        }).join('<br>');
      },
    },
    xAxis: {
      type: 'value', min: axis === 'seconds' ? 0 : 1,
      name: axis === 'seconds' ? 'cumulative training time per study [s]' : 'trials per study [count]',
      nameLocation: 'middle', nameGap: 30,
    },
    yAxis: { type: 'value', ...fittedRange(bands), name: 'best ' + metric + ' so far (' + data.direction + ')', nameLocation: 'middle', nameGap: 50 },
    dataZoom: [{ type: 'inside' }, { type: 'inside', yAxisIndex: 0, filterMode: 'none' }],
    series,
  };
}

/**
 * The y range that matters: the bands over the last nine tenths of the x axis (early trials, far
 * from the final values, would squeeze the lines together), padded by 5 %. A step holds its value
 * until the next point, so a point counts when its step reaches past the first tenth. Zooming
 * shows the rest.
 */
export function fittedRange(bands) {
  let lo = Infinity, hi = -Infinity, xmax = 0;
  for (const b of bands) for (const x of b.x) xmax = Math.max(xmax, x);
  for (const b of bands) {
    b.x.forEach((x, i) => {
      const until = i + 1 < b.x.length ? b.x[i + 1] : xmax;
      if (until <= xmax * 0.1) return;
      for (const v of [b.median[i], b.q1[i], b.q3[i]]) if (v != null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    });
  }
  if (!Number.isFinite(lo)) return { scale: true };
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.01 || 0.01;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(pad)));
  const round = (v) => Number(v.toFixed(Math.min(10, digits)));
  return { min: round(lo - pad), max: round(hi + pad) };
}

/** Live learning curves of running trials: validation metric per epoch, one line per trial. */
export function runningOption(curves, metric) {
  return {
    ...baseOption(),
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 30, minInterval: 1 },
    yAxis: { type: 'value', scale: true, name: metric.startsWith('val') ? metric : 'validation ' + metric, nameLocation: 'middle', nameGap: 50 },
    series: curves.map((c) => ({ name: c.label, type: 'line', showSymbol: true, symbolSize: 4, data: c.points })),
  };
}

/** Two goals of a run, per strategy, with their Pareto front as a highlighted step line; each axis says its direction. */
export function paretoOption(data, strategies) {
  const series = strategies.map((s) => ({
    name: s, type: 'scatter', symbolSize: 5, color: colorOf(strategies, s), large: true,
    data: data.points.filter((p) => p[3] === s).map((p) => [p[1], p[2], p[0]]),
  }));
  series.push({
    name: 'Pareto front', type: 'line', step: data.x.direction === 'minimize' ? 'end' : 'start', color: '#d62728', symbol: 'diamond', symbolSize: 9, z: 5,
    lineStyle: { width: 2 }, data: data.front.map((p) => [p[1], p[2], p[0]]),
  });
  const axisName = (g) => g.metric + (g.metric === 'params' ? ' [count, log scale]' : '') + ' (' + g.direction + ')';
  const fmt = (g, v) => (g.metric === 'params' ? fmtParams(v) : fmtValue(v));
  return {
    ...baseOption(),
    legend: { top: 0 },
    tooltip: { trigger: 'item', formatter: (p) => escapeHtml(p.seriesName) + '<br>trial #' + escapeHtml(p.value[2]) + '<br>'
      + escapeHtml(data.x.metric) + ' ' + fmt(data.x, p.value[0]) + '<br>' + escapeHtml(data.y.metric) + ' ' + fmt(data.y, p.value[1]) },
    xAxis: { type: data.x.metric === 'params' || data.x.metric === 'flops' ? 'log' : 'value', scale: true, name: axisName(data.x), nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: 'value', scale: true, name: axisName(data.y), nameLocation: 'middle', nameGap: 50 },
    series,
  };
}

/** Parameter importance as horizontal bars, the most important on top. */
export function importanceOption(data) {
  const rows = data.parameters.slice().reverse();
  return {
    ...baseOption(),
    grid: { left: 140, right: 30, top: 10, bottom: 30 },
    tooltip: { trigger: 'item', formatter: (p) => escapeHtml(p.name) + '<br>' + escapeHtml(data.label) + ' ' + fmtValue(p.value) },
    xAxis: { type: 'value', min: 0, name: 'share (' + data.label + ')', nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 130, overflow: 'truncate' } },
    series: [{ type: 'bar', data: rows.map((r) => r.importance), color: '#1f77b4' }],
  };
}

/** Pre-screening: the running Spearman rho of each proxy against the objective, as trials complete. */
export function prescreenOption(data) {
  const names = data.proxies.map((p) => p.proxy);
  return {
    ...baseOption(),
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'completed trials', nameLocation: 'middle', nameGap: 30, minInterval: 1 },
    yAxis: { type: 'value', min: -1, max: 1, name: 'Spearman ρ vs ' + data.metric, nameLocation: 'middle', nameGap: 40 },
    series: data.proxies.map((p) => ({
      name: p.proxy, type: 'line', showSymbol: p.running.length <= 30, color: colorOf(names, p.proxy), data: p.running,
    })),
  };
}

/** Parallel coordinates: one axis per hyperparameter, the objective last and colour-coded. */
export function parallelOption(data) {
  const dims = data.dimensions;
  const axes = dims.map((d, i) => d.type === 'category'
    ? { dim: i, name: d.name, type: 'category', data: d.categories }
    : d.log ? { dim: i, name: d.name + ' (log)', type: 'log', min: d.min, max: d.max }
      : { dim: i, name: d.name, type: 'value', scale: true });
  const objectiveDim = dims.length;
  axes.push({ dim: objectiveDim, name: data.metric, type: 'value', scale: true });
  const values = data.rows.map((r) => r[objectiveDim]).filter((v) => v != null);
  return {
    ...baseOption(),
    tooltip: { show: false },
    grid: undefined,
    parallel: { left: 60, right: 140, top: 40, bottom: 30 },
    parallelAxis: axes,
    visualMap: {
      type: 'continuous', dimension: objectiveDim, right: 0, top: 'middle', calculable: true,
      min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 1, precision: 3,
      text: [data.metric, ''], inRange: { color: ['#4575b4', '#fee090', '#d73027'] },
    },
    series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.45 }, data: data.rows.map((r) => r.slice(0, objectiveDim + 1).map((v) => (v == null ? '-' : v))) }],
  };
}

/** A trial's learning curves: losses on the left axis, the validation metric on the right. */
export function curveOption(curve, metric) {
  const valName = metric.startsWith('val') ? metric : 'validation ' + metric;
  return {
    ...baseOption(),
    legend: { top: 0 },
    grid: { left: 60, right: 70, top: 40, bottom: 50 },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 30, minInterval: 1 },
    yAxis: [
      { type: 'value', scale: true, name: 'loss', nameLocation: 'middle', nameGap: 45 },
      { type: 'value', scale: true, name: valName, nameLocation: 'middle', nameGap: 50, splitLine: { show: false } },
    ],
    series: [
      { name: 'training loss', type: 'line', data: curve.map((e) => [e.epoch, e.trainLoss]) },
      { name: 'validation loss', type: 'line', data: curve.map((e) => [e.epoch, e.valLoss]) },
      { name: valName, type: 'line', yAxisIndex: 1, data: curve.map((e) => [e.epoch, e.valMetric]) },
    ],
  };
}

/**
 * The mean-field panel: per weighted layer (x: its position, the name in the tooltip), q from the
 * theory beside q measured on one batch (`which` 'variance'), or the gradient norm ('gradients').
 * Log scale: values span decades in deep or badly initialised networks; zeros (a dead layer) are gaps.
 */
export function initOption(analysis, which) {
  const layers = analysis.layers;
  const positive = (v) => (v != null && v > 0 ? v : null);
  const points = (key) => layers.map((l, i) => [i + 1, positive(l[key])]);
  const series = which === 'variance'
    ? [{ name: 'q theory', type: 'line', showSymbol: layers.length <= 40, data: points('qTheory') },
      { name: 'q measured', type: 'line', showSymbol: layers.length <= 40, data: points('qMeasured') }]
    : [{ name: 'gradient norm', type: 'line', showSymbol: layers.length <= 40, data: points('gradientNorm') }];
  return {
    ...baseOption(),
    legend: { top: 0 },
    grid: { left: 70, right: 20, top: 40, bottom: 50 },
    tooltip: {
      trigger: 'axis',
      formatter: (items) => {
        if (!items.length) return '';
        const layer = layers[items[0].value[0] - 1];
        return escapeHtml(layer ? layer.name : '') + '<br>' + items.map((p) => p.marker + escapeHtml(p.seriesName) + ' '
          + (p.value[1] == null ? '–' : Number(p.value[1]).toPrecision(4))).join('<br>');
      },
    },
    xAxis: { type: 'value', min: 1, max: Math.max(2, layers.length), minInterval: 1, name: 'weighted layer (input to output)', nameLocation: 'middle', nameGap: 30 },
    yAxis: { type: 'log', name: which === 'variance' ? 'pre-activation variance q' : '‖∂L/∂W‖', nameLocation: 'middle', nameGap: 55 },
    series,
  };
}
