// Trial page: result, provenance, learning curves, configuration, the architecture diagram and the
// network at initialisation (mean-field theory against one measured batch).
import { getJson, runPath, el, fmtValue, fmtParams, fmtSeconds, fmtTime, showError, param } from './api.js';
import { chart } from './theme.js';
import { curveOption, initOption } from './charts.js';
import { drawArchitecture } from './architecture.js';

const run = param('run');
const id = param('id');

function fact(label, value) {
  return [el('dt', { text: label }), el('dd', {}, value ?? '–')];
}

/** Where the trial ran: its worker, and the host when the run recorded workers. */
function ranOn(t) {
  const w = t.workerInfo;
  const text = !t.worker ? '–'
    : !w ? t.worker
    : w.local ? t.worker + ' (local, on ' + w.host + ')'
    : t.worker + ' on ' + w.host + ' (remote worker, ' + w.state + ')';
  return el('span', { id: 'ran-on', 'data-worker': t.worker || '', 'data-host': w ? w.host : '', text });
}

let trial = null;

async function main() {
  document.getElementById('back').href = '/run.html?name=' + encodeURIComponent(run || '');
  document.getElementById('back').textContent = 'Experiment ' + (run || '');
  let t;
  try {
    t = await getJson(runPath(run) + '/trials/' + encodeURIComponent(id));
  } catch (e) {
    showError(document.getElementById('head'), e);
    return;
  }
  trial = t;
  document.title = 'Strata — trial #' + t.id;
  document.getElementById('head').replaceChildren(el('h1', {}, 'Trial #' + t.id + ' ', el('span', { class: 'badge ' + t.status, text: t.status })));
  // Counts (params, flops, epochs) read as integers, measured values with four decimals.
  const metrics = Object.entries(t.metrics || {}).sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => k + ' = ' + (Number.isInteger(v) ? v.toLocaleString('en-US') : fmtValue(v))).join(', ');
  document.getElementById('facts').replaceChildren(
    ...fact(t.metric + ' (objective, ' + t.direction + ')', fmtValue(t.value)),
    ...fact('metrics', metrics || '–'),
    ...fact('study', t.study ? t.study.label + ' (strategy ' + t.strategy + ', seed ' + t.seed + ')' : '–'),
    ...fact('index in study', String(t.index)),
    ...fact('parameters', fmtParams(t.parameters) + (t.parameters ? ' (' + t.parameters.toLocaleString('en-US') + ')' : '')),
    ...fact('forward FLOPs per sample', t.flops ? Number(t.flops).toLocaleString('en-US') : '–'),
    ...fact('training time', t.trainSeconds ? fmtSeconds(t.trainSeconds) : '–'),
    ...fact('started', fmtTime(t.started)),
    ...fact('finished', fmtTime(t.finished)),
    ...fact('ran on', ranOn(t)),
    ...fact('configuration id', t.configId),
    ...(t.reason ? fact('reason', t.reason) : []),
    ...Object.entries(t.tags || {}).flatMap(([k, v]) => fact('tag ' + k, v)));
  document.getElementById('config').textContent = JSON.stringify(t.configuration, null, 2);
  document.getElementById('export-trial').textContent = t.exportCommand;
  document.getElementById('export-best').textContent = t.exportBestCommand;
  document.getElementById('spec').textContent = t.network ? JSON.stringify(t.network, null, 2) : 'no network spec stored for this trial';

  const curveDom = document.getElementById('curve');
  if (t.curve && t.curve.length) {
    chart(curveDom).setOption(curveOption(t.curve, t.metric));
  } else {
    curveDom.replaceChildren(el('p', { class: 'muted', text: 'No learning curve recorded.' }));
    curveDom.classList.remove('chart');
  }

  const arch = document.getElementById('architecture');
  if (t.network && typeof t.network === 'object') {
    try {
      arch.replaceChildren(drawArchitecture(t.network));
    } catch (e) {
      showError(arch, e);
    }
  } else {
    arch.replaceChildren(el('p', { class: 'muted', text: 'This trial has no network spec (not a network, or not stored).' }));
  }
}

/**
 * The mean-field panel: the server analyses the trial's network at initialisation on demand (a
 * second or so, then kept); 503 means it is busy with another, so ask again a few times.
 */
async function drawInit(t) {
  const panel = document.getElementById('init');
  const verdict = document.getElementById('init-verdict');
  const charts = [document.getElementById('init-variance'), document.getElementById('init-gradients')];
  const hideCharts = () => charts.forEach((c) => c.remove());
  if (!t.network || typeof t.network !== 'object') {
    verdict.textContent = 'No network spec stored for this trial.';
    hideCharts();
    return;
  }
  let a;
  for (let attempt = 0; ; attempt++) {
    try {
      a = await getJson(runPath(run) + '/trials/' + encodeURIComponent(id) + '/init');
      break;
    } catch (e) {
      if (e.status === 503 && attempt < 5) {
        await new Promise((r) => setTimeout(r, 2000));
        continue;
      }
      verdict.textContent = e.status === 404 ? e.message : 'Analysis at initialisation failed: ' + e.message;
      hideCharts();
      return;
    }
  }
  if (a.error) {
    verdict.textContent = 'Not analysed: ' + a.error;
    hideCharts();
    return;
  }
  const th = a.theory || {};
  const num = (v, d) => (v == null ? '–' : Number(v).toPrecision(d));
  verdict.classList.remove('muted');
  verdict.replaceChildren(
    el('strong', { text: a.verdict.reason }),
    el('br'), el('span', { class: 'muted', text: th.activation + ', σ_w² = ' + num(th.sigmaW2, 3) + ', σ_b² = ' + num(th.sigmaB2, 3)
      + ', q* = ' + num(th.fixedPointQ, 4) + ', χ₁ = ' + num(th.chi1, 3) + '; measured on ' + a.rows
      + ' rows of N(0, 1) inputs (strata inspect without --dataset)' }));
  chart(charts[0]).setOption(initOption(a, 'variance'));
  chart(charts[1]).setOption(initOption(a, 'gradients'));
  panel.dataset.layers = String(a.layers.length);
  panel.dataset.phase = a.verdict.phase;
}

main().then(() => { if (trial) drawInit(trial); });
