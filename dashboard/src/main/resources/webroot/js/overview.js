// Overview page: every experiment with status, progress, best per strategy, start and ETA.
import { getJson, el, fmtValue, fmtCount, fmtTime, fmtEta, showError } from './api.js';

const container = document.getElementById('runs');

function progressCell(run) {
  const pct = run.progress == null ? null : Math.round(run.progress * 100);
  return el('td', {},
    el('span', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct ?? 0 },
      el('span', { style: 'width:' + (pct ?? 0) + '%' })),
    ' ', pct == null ? fmtCount(run.finished) + ' trials' : pct + ' % (' + fmtCount(run.finished) + ' / ' + fmtCount(run.budgetTrials) + ' trials)');
}

function bestCell(run) {
  if (!run.best || run.best.length === 0) return el('td', { class: 'muted', text: '–' });
  return el('td', {}, ...run.best.map((b) => el('div', {},
    el('span', { text: b.strategy + ': ' }),
    b.value == null ? el('span', { class: 'muted', text: 'none yet' })
      : el('a', { href: '/trial.html?run=' + encodeURIComponent(run.name) + '&id=' + b.trialId, text: fmtValue(b.value) + ' (#' + b.trialId + ')' }))));
}

function render(runs) {
  if (runs.length === 0) {
    container.replaceChildren(el('p', { class: 'muted', text: 'No runs yet. Start one with: strata run experiment.json --dashboard' }));
    return;
  }
  const rows = runs.map((run) => {
    const open = () => { location.href = '/run.html?name=' + encodeURIComponent(run.name); };
    if (run.error) {
      return el('tr', {}, el('td', { text: run.name }), el('td', { colspan: 7, class: 'error', text: run.error }));
    }
    return el('tr', { tabindex: 0, 'data-run': run.name, onclick: open, onkeydown: (e) => { if (e.key === 'Enter') open(); } },
      el('td', {}, el('a', { href: '/run.html?name=' + encodeURIComponent(run.name), text: run.name })),
      el('td', {}, el('span', { class: 'badge ' + run.state, text: run.state })),
      progressCell(run),
      el('td', { text: run.metric + ' (' + run.direction + ')' }),
      bestCell(run),
      el('td', { class: 'num', text: fmtCount(run.counts.running) }),
      el('td', { text: fmtTime(run.created) }),
      el('td', { text: run.state === 'running' ? fmtEta(run.eta) : '–' }));
  });
  container.replaceChildren(el('table', { id: 'runs-table' },
    el('thead', {}, el('tr', {}, ...['Run', 'State', 'Progress', 'Objective', 'Best per strategy', 'Running', 'Started', 'ETA']
      .map((h) => el('th', { scope: 'col', class: h === 'Running' ? 'num' : null, text: h })))),
    el('tbody', {}, ...rows)));
}

async function refresh() {
  try {
    render(await getJson('/api/runs'));
    document.getElementById('updated').textContent = '— updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    showError(container, e);
  }
}

refresh();
setInterval(refresh, 5000);
