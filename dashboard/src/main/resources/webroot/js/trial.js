// Trial page: result, provenance, learning curves, configuration and the architecture diagram.
import { getJson, runPath, el, fmtValue, fmtParams, fmtSeconds, fmtTime, showError, param } from './api.js';
import { chart } from './theme.js';
import { curveOption } from './charts.js';
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

main();
