// Experiment page: live leaderboard, strategy comparison, running trials, Pareto, importance and parallel plots.
import { getJson, postJson, runPath, followEvents, throttle, el, fmtValue, fmtCount, fmtParams, fmtSeconds, fmtTime, fmtEta, showError, param } from './api.js';
import { chart } from './theme.js';
import { comparisonOption, runningOption, paretoOption, importanceOption, parallelOption, prescreenOption } from './charts.js';

const name = param('name');
const api = runPath(name);
const STATUSES = ['completed', 'running', 'pending', 'failed', 'diverged', 'rejected', 'untrainable', 'pruned', 'interrupted'];
const COLUMNS = [
  { key: 'id', label: '#', sort: 'id', num: true },
  { key: 'strategy', label: 'strategy' },
  { key: 'seed', label: 'seed', num: true },
  { key: 'index', label: 'index', num: true },
  { key: 'status', label: 'status' },
  { key: 'value', label: 'objective', sort: 'value', num: true },
  { key: 'parameters', label: 'parameters', sort: 'parameters', num: true },
  { key: 'trainSeconds', label: 'training time', sort: 'trainSeconds', num: true },
  { key: 'finished', label: 'finished', sort: 'finished' },
];

let summary = null;
// Pages are placed by keyset (after/before a trial id), so the last page costs what the first
// does; `offset` is this page's position as counted here, for the "1–50 of N" line.
const lb = { offset: 0, limit: 50, sort: 'value', order: 'best', strategy: '', seed: '', status: '', after: '', before: '' };
let lastPage = null;
let shownIds = null;
let changedIds = new Set();
let rowCache = new Map(); // trial id -> {sig, tr} of the rows shown
let cmpData = null;
let cmpFull = false; // the comparison with every change point (the server thins it above 1,000 by default)
const charts = {};
const runningCurves = new Map();

// ---- banner: failures being retried, and the end of the run ----

const ACTIVE = ['running', 'stopping', 'created'];
let wasActive = false;
let retryNote = null;

/** Shows a message at the top of the page (null hides it); `kind` 'error' or 'info'. */
function banner(kind, ...parts) {
  const b = document.getElementById('banner');
  if (parts.length === 0 || parts[0] == null) { b.hidden = true; b.replaceChildren(); return; }
  b.className = 'banner' + (kind === 'error' ? ' error' : '');
  b.dataset.kind = kind;
  b.replaceChildren(...parts);
  b.hidden = false;
}

/** The end-of-run state: what happened, and the command that keeps the run browsable. */
function showEnded(reason) {
  if (!summary) return;
  const resume = summary.state === 'finished' ? null : el('span', {}, ' To continue it: ', el('code', { id: 'resume-command', text: summary.resumeCommand }), '.');
  if (summary.live) {
    banner('info', el('strong', { text: 'This run has ended' }), ' (' + reason + '). This dashboard stops with it; to keep browsing'
      + ' this run and the others: ', el('code', { id: 'browse-command', text: summary.browseCommand }), '.', resume);
  } else {
    banner('info', el('strong', { text: 'This run has ended' }), ' (' + reason + ').', resume);
  }
  document.getElementById('banner').dataset.ended = 'true';
}

/**
 * Runs `load` until it succeeds, showing each failure in the banner with the next attempt's time
 * (1 s, 2 s, 4 s ... up to 15 s). Resolves with its value.
 */
async function retrying(what, load) {
  for (let attempt = 0; ; attempt++) {
    try {
      const v = await load();
      if (retryNote === what) { retryNote = null; banner(null); }
      return v;
    } catch (e) {
      const wait = Math.min(15, 2 ** attempt);
      retryNote = what;
      banner('error', 'Could not load the ' + what + ': ' + (e.message || e) + '. Retrying in ' + wait + ' s…');
      await new Promise((ok) => setTimeout(ok, wait * 1000));
    }
  }
}

// ---- header, counts, filters ----

// The heading's elements stay in place (only their text changes), so the stop button keeps
// keyboard focus while results arrive.
function renderHead() {
  const s = summary;
  const pct = s.progress == null ? '–' : Math.round(s.progress * 100) + ' %';
  document.title = 'Strata — ' + s.name;
  document.getElementById('run-name').textContent = s.name;
  const state = document.getElementById('state');
  state.textContent = s.state;
  state.className = 'badge ' + s.state;
  document.getElementById('stop').hidden = !s.stoppable;
  document.getElementById('facts').replaceChildren(
    el('dt', { text: 'objective' }), el('dd', { text: s.metric + ' (' + s.direction + ')' }),
    el('dt', { text: 'progress' }), el('dd', { id: 'progress', text: pct + ' — ' + fmtCount(s.finished) + ' of ' + fmtCount(s.budgetTrials) + ' trials finished' }),
    el('dt', { text: 'studies' }), el('dd', { text: s.studyCount + ' (' + s.strategies.join(', ') + ' × seeds ' + s.seeds.join(', ') + ')' }),
    el('dt', { text: 'started' }), el('dd', { text: fmtTime(s.created) }),
    el('dt', { text: 'ETA' }), el('dd', { text: s.state === 'running' ? fmtEta(s.eta) : '–' }),
    el('dt', { text: 'workers' }), el('dd', { id: 'workers-fact', text: '…' }),
    el('dt', { text: 'best per strategy' }), el('dd', {}, ...s.best.map((b) => el('span', { style: 'margin-right:1rem' },
      b.strategy + ': ', b.value == null ? '–' : el('a', { href: trialHref(b.trialId), text: fmtValue(b.value) + ' (#' + b.trialId + ')' })))));
  const counts = document.getElementById('counts');
  counts.replaceChildren(...STATUSES.map((st) => el('span', { class: 'count', 'data-status': st },
    el('b', { text: fmtCount(s.counts[st] ?? 0) }), st)));
}

async function stopRun() {
  if (!confirm('Stop experiment ' + name + '? Running trials are interrupted; resume it later with: ' + summary.resumeCommand)) return;
  try {
    await postJson(api + '/stop');
    await loadSummary();
  } catch (e) {
    alert(e.message);
  }
}

function fillFilters() {
  const add = (id, values) => {
    const sel = document.getElementById(id);
    for (const v of values) sel.append(el('option', { value: v, text: v }));
    sel.addEventListener('change', () => { lb[id.slice(2)] = sel.value; toFirst(); loadLeaderboard(); });
  };
  add('f-strategy', summary.strategies);
  add('f-seed', summary.seeds);
  add('f-status', STATUSES);
}

async function loadSummary() {
  summary = await getJson(api);
  renderHead();
  renderWorkers();
  if (ACTIVE.includes(summary.state)) wasActive = true;
  else if (wasActive) showEnded('it is ' + summary.state + ' now');
}

// ---- leaderboard ----

function trialHref(id) {
  return '/trial.html?run=' + encodeURIComponent(name) + '&id=' + id;
}

function renderHeader() {
  const head = document.getElementById('lb-head');
  head.replaceChildren(...COLUMNS.map((c) => {
    const label = c.key === 'value' && summary ? summary.metric : c.label;
    if (!c.sort) return el('th', { scope: 'col', class: c.num ? 'num' : null, text: label });
    const active = lb.sort === c.sort;
    const ascending = lb.order === 'asc' || (lb.order === 'best' && summary.direction === 'minimize');
    const btn = el('button', {
      class: 'sort', type: 'button', 'aria-pressed': active ? 'true' : 'false', 'data-arrow': ascending ? '▲' : '▼',
      onclick: () => {
        if (lb.sort === c.sort) lb.order = ascending ? 'desc' : 'asc';
        else { lb.sort = c.sort; lb.order = c.sort === 'value' ? 'best' : 'asc'; }
        toFirst(); renderHeader(); loadLeaderboard();
      },
    }, label);
    return el('th', { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': active ? (ascending ? 'ascending' : 'descending') : 'none' }, btn);
  }));
}

function cell(c, t) {
  switch (c.key) {
    case 'id': return el('td', { class: 'num' }, el('a', { href: trialHref(t.id), tabindex: -1, text: '#' + t.id }));
    case 'status': return el('td', {}, el('span', { class: 'badge ' + t.status, text: t.status }), t.reason ? el('span', { class: 'muted', title: t.reason, text: ' ⓘ' }) : null);
    case 'value': return el('td', { class: 'num', text: fmtValue(t.value) });
    case 'parameters': return el('td', { class: 'num', text: fmtParams(t.parameters) });
    case 'trainSeconds': return el('td', { class: 'num', text: t.trainSeconds ? fmtSeconds(t.trainSeconds) : '–' });
    case 'finished': return el('td', { text: t.finished ? new Date(t.finished).toLocaleTimeString() : '–' });
    case 'proxy': return el('td', { class: 'num', text: t.proxies && t.proxies[c.proxy] != null ? fmtValue(t.proxies[c.proxy]) : '–' });
    default: return el('td', { class: c.num ? 'num' : null, text: t[c.key] ?? '–' });
  }
}

function leaderboardQuery() {
  const q = new URLSearchParams();
  for (const k of ['limit', 'sort', 'order', 'strategy', 'seed', 'status', 'after', 'before']) if (lb[k] !== '') q.set(k, lb[k]);
  return q.toString();
}

async function loadLeaderboard() {
  const query = leaderboardQuery();
  let page;
  try {
    page = await getJson(api + '/trials?' + query);
  } catch (e) {
    if (query === leaderboardQuery()) showError(document.getElementById('lb-body'), e);
    return;
  }
  // An answer for an older sort, filter or page arriving late must not replace the current one.
  if (query !== leaderboardQuery()) return;
  const table = document.getElementById('leaderboard');
  const previous = shownIds;
  shownIds = new Set(page.items.map((t) => t.id));
  // Unchanged rows keep their elements: no churn while results arrive elsewhere, and focus,
  // hover and a click in progress are not lost to a redraw.
  const nextCache = new Map();
  const rows = page.items.map((t) => {
    const sig = JSON.stringify(t);
    const fresh = previous != null && (!previous.has(t.id) || changedIds.has(t.id));
    const cached = rowCache.get(t.id);
    if (cached && cached.sig === sig && !fresh) {
      nextCache.set(t.id, cached);
      return cached.tr;
    }
    const open = () => { location.href = trialHref(t.id); };
    const tr = el('tr', {
      tabindex: 0, 'data-trial-id': t.id, class: fresh ? 'fresh' : null,
      'aria-label': 'trial ' + t.id + ', ' + t.strategy + ' seed ' + t.seed + ', ' + t.status + ', ' + fmtValue(t.value),
      onclick: open, onkeydown: (e) => { if (e.key === 'Enter') open(); },
      // Flash once: a kept row moved by a later redraw must not flash again.
      onanimationend: (e) => e.currentTarget.classList.remove('fresh'),
    }, ...COLUMNS.map((c) => cell(c, t)));
    nextCache.set(t.id, { sig, tr });
    return tr;
  });
  rowCache = nextCache;
  changedIds = new Set();
  const body = document.getElementById('lb-body');
  const unchanged = rows.length === body.children.length && rows.every((r, i) => body.children[i] === r);
  if (!unchanged) {
    const focusedId = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.trialId : null;
    body.replaceChildren(...rows);
    if (focusedId) {
      const again = body.querySelector('tr[data-trial-id="' + focusedId + '"]');
      if (again) again.focus();
    }
  }
  table.dataset.total = page.total;
  table.dataset.rows = page.items.length;
  lastPage = page;
  if (page.offset != null) lb.offset = page.offset;
  if (!page.hasPrevious) lb.offset = 0;
  const from = page.total === 0 || page.items.length === 0 ? 0 : lb.offset + 1;
  document.getElementById('lb-info').textContent = fmtCount(from) + '–' + fmtCount(Math.min(page.total, lb.offset + page.items.length))
    + ' of ' + fmtCount(page.total) + ' trials';
  document.getElementById('first').disabled = !page.hasPrevious;
  document.getElementById('prev').disabled = !page.hasPrevious;
  document.getElementById('next').disabled = !page.hasNext;
  document.getElementById('last').disabled = !page.hasNext;
}

function toFirst() { lb.after = ''; lb.before = ''; lb.offset = 0; shownIds = null; }

document.getElementById('first').addEventListener('click', () => { toFirst(); loadLeaderboard(); });
document.getElementById('prev').addEventListener('click', () => {
  if (!lastPage || lastPage.items.length === 0) { toFirst(); loadLeaderboard(); return; }
  lb.before = lastPage.items[0].id; lb.after = ''; lb.offset = Math.max(0, lb.offset - lb.limit); shownIds = null; loadLeaderboard();
});
document.getElementById('next').addEventListener('click', () => {
  if (!lastPage || lastPage.items.length === 0) return;
  lb.after = lastPage.items[lastPage.items.length - 1].id; lb.before = ''; lb.offset += lastPage.items.length; shownIds = null; loadLeaderboard();
});
document.getElementById('last').addEventListener('click', () => { lb.after = ''; lb.before = 'last'; shownIds = null; loadLeaderboard(); });

// ---- charts ----

function renderComparison() {
  if (!cmpData) return;
  const axis = document.getElementById('cmp-axis').value;
  const dom = document.getElementById('comparison');
  charts.comparison.setOption(comparisonOption(cmpData, axis), { replaceMerge: ['series'] });
  const strategies = (axis === 'seconds' ? cmpData.bySeconds : cmpData.byTrials).map((b) => b.strategy);
  dom.dataset.strategies = JSON.stringify(strategies);
  renderToggles(strategies);
}

// Checkboxes mirror the chart's legend, so strategies can be toggled from the keyboard too.
function renderToggles(strategies) {
  const box = document.getElementById('cmp-toggles');
  const shown = [...box.querySelectorAll('input')].map((i) => i.value);
  if (shown.join('\n') === strategies.join('\n')) return;
  const selected = (charts.comparison.getOption().legend || [{}])[0].selected || {};
  box.replaceChildren(...strategies.map((s) => el('label', {},
    el('input', {
      type: 'checkbox', value: s, checked: selected[s] !== false,
      onchange: (e) => charts.comparison.dispatchAction({ type: e.target.checked ? 'legendSelect' : 'legendUnSelect', name: s }),
    }), ' ' + s)));
}

/** A chart's failed load: shown over the chart and tried again in 5 s. */
function chartFailed(id, e, again) {
  const dom = document.getElementById(id);
  let note = dom.parentElement.querySelector('.chart-status[data-for="' + id + '"]');
  if (!note) {
    note = el('p', { class: 'chart-status error', role: 'alert', 'data-for': id });
    dom.before(note);
  }
  note.textContent = 'Could not load this chart: ' + (e.message || e) + '. Retrying in 5 s…';
  setTimeout(again, 5000);
}

/** A performance mark when a chart first has its data (the scale benchmark reads them). */
function drawn(id) {
  if (performance.getEntriesByName('strata:' + id).length === 0) performance.mark('strata:' + id);
}

function chartLoaded(id) {
  const note = document.querySelector('.chart-status[data-for="' + id + '"]');
  if (note) note.remove();
}

/** Says when the comparison is thinned for drawing, with the control that fetches every change point (and back). */
function renderThinned() {
  const note = document.getElementById('cmp-thinned');
  if (!cmpData || (!cmpData.thinned && !cmpFull)) { note.hidden = true; note.replaceChildren(); return; }
  const toggle = (full, text) => el('button', { type: 'button', id: 'cmp-full', text, onclick: () => { cmpFull = full; loadComparison(); } });
  note.replaceChildren(...(cmpFull
    ? ['All ' + fmtCount(cmpData.points) + ' change points are drawn. ', toggle(false, 'Thin again')]
    : ['Thinned for drawing: ' + fmtCount(cmpData.points) + ' change points, at most 1,000 per line (the first and the last change'
      + ' of each stretch of trials; the final best is always kept). ', toggle(true, 'Show all ' + fmtCount(cmpData.points))]));
  note.hidden = false;
}

async function loadComparison() {
  try {
    cmpData = await getJson(api + '/comparison' + (cmpFull ? '?full=true' : ''));
    renderComparison();
    renderThinned();
    renderRanking();
    chartLoaded('comparison');
    drawn('comparison');
  } catch (e) { chartFailed('comparison', e, loadComparison); }
}

/** The pair of goals the Pareto panel shows ('' for the server's default). */
const paretoPair = { x: '', y: '' };

/** The x/y goal pickers, shown when a run has 3 or more goals. */
function fillParetoAxes(data) {
  const box = document.getElementById('pareto-axes');
  if (data.goals.length < 3) { box.hidden = true; return; }
  for (const [axis, sel] of [['x', document.getElementById('pareto-x')], ['y', document.getElementById('pareto-y')]]) {
    if (sel.options.length !== data.goals.length) {
      sel.replaceChildren(...data.goals.map((g) => el('option', { value: g.metric, text: g.metric + ' (' + g.direction + ')' })));
      sel.addEventListener('change', () => { paretoPair[axis] = sel.value; loadPareto(); });
    }
    sel.value = data[axis].metric;
  }
  box.hidden = false;
}

async function loadPareto() {
  try {
    const query = paretoPair.x && paretoPair.y ? '?x=' + encodeURIComponent(paretoPair.x) + '&y=' + encodeURIComponent(paretoPair.y) : '';
    const data = await getJson(api + '/pareto' + query);
    charts.pareto.setOption(paretoOption(data, summary.strategies), { replaceMerge: ['series'] });
    const dom = document.getElementById('pareto');
    dom.dataset.front = data.front.length;
    dom.dataset.x = data.x.metric;
    dom.dataset.y = data.y.metric;
    fillParetoAxes(data);
    document.getElementById('pareto-title').textContent = data.multiObjective ? 'Pareto front of the run\'s goals' : 'Objective vs parameter count (Pareto front highlighted)';
    document.getElementById('pareto-info').textContent = data.y.metric + ' (' + data.y.direction + ') against ' + data.x.metric + ' ('
      + data.x.direction + '): ' + fmtCount(data.front.length) + ' trial' + (data.front.length === 1 ? '' : 's') + ' on the front of '
      + fmtCount(data.eligible) + ' completed feasible' + (data.sampled ? ' (points: a sample spread over the ids)' : '') + '.';
    const hv = document.getElementById('pareto-hv');
    if (data.hypervolume) {
      hv.textContent = 'Hypervolume of this pair per study (normalized to the run\'s ideal and nadir, reference ' + data.hypervolumeReference
        + ', at most ' + fmtValue(data.hypervolumeReference ** 2) + '): ' + data.hypervolume.map((h) => h.study + ' ' + fmtValue(h.value)).join(', ') + '.';
      hv.dataset.studies = data.hypervolume.length;
      hv.hidden = false;
    } else { hv.hidden = true; }
    chartLoaded('pareto');
    drawn('pareto');
  } catch (e) { chartFailed('pareto', e, loadPareto); }
}

/** Parameter importance, computed by the server on demand (kept per number of finished trials). */
async function loadImportance() {
  try {
    const method = document.getElementById('imp-method').value;
    const data = await getJson(api + '/importance?method=' + encodeURIComponent(method));
    const dom = document.getElementById('importance');
    const info = document.getElementById('imp-info');
    dom.dataset.method = data.method;
    if (!data.available) {
      info.textContent = 'Not available: ' + data.reason + '.';
      dom.dataset.top = '';
      dom.hidden = true;
    } else {
      dom.hidden = false;
      charts.importance.resize();
      charts.importance.setOption(importanceOption(data), { replaceMerge: ['series', 'yAxis'] });
      info.textContent = data.label + (data.quantile != null ? ' (best ' + Math.round(100 * data.quantile) + '% against all)' : ' (first-order variance shares of a random forest)')
        + ' over ' + fmtCount(data.trials) + ' completed feasible trials'
        + (data.sampled ? ', of ' + fmtCount(data.finished) + ' finished: at most ' + fmtCount(data.cap) + ' spread evenly over the ids are used' : '')
        + '. The same computation as strata importance.';
      dom.dataset.top = data.parameters.length ? data.parameters[0].name : '';
      dom.dataset.trials = data.trials;
    }
    chartLoaded('importance');
    drawn('importance');
  } catch (e) { chartFailed('importance', e, loadImportance); }
}

/** The pre-screening panel, and the leaderboard column of the ranking proxy: only when the run pre-screens. */
async function loadPrescreen() {
  let data;
  try {
    data = await getJson(api + '/prescreen');
  } catch (e) { chartFailed('prescreen', e, loadPrescreen); return; }
  if (!data.prescreen) return;
  document.getElementById('prescreen-panel').hidden = false;
  const proxy = data.prescreen.proxy;
  if (!COLUMNS.some((c) => c.key === 'proxy')) {
    COLUMNS.splice(COLUMNS.findIndex((c) => c.key === 'parameters'), 0, { key: 'proxy', label: proxy, proxy, num: true });
    renderHeader();
    rowCache = new Map();
    loadLeaderboard();
  }
  document.getElementById('prescreen-info').textContent = 'Each trial trained the best of ' + (data.prescreen.sample || 10)
    + ' candidates by ' + proxy + '. ρ over completed trials: ' + (data.proxies.length === 0 ? 'none yet'
      : data.proxies.map((p) => p.proxy + ' ' + (p.rho == null ? '–' : p.rho.toFixed(2)) + ' (' + p.trials + ')').join(', ')) + '.';
  if (!charts.prescreen) charts.prescreen = chart(document.getElementById('prescreen'));
  charts.prescreen.setOption(prescreenOption(data), { replaceMerge: ['series'] });
  document.getElementById('prescreen').dataset.proxies = data.proxies.length;
  chartLoaded('prescreen');
}

async function loadParallel() {
  try {
    const data = await getJson(api + '/parameters');
    charts.parallel.setOption(parallelOption(data), true);
    chartLoaded('parallel');
    drawn('parallel');
  } catch (e) { chartFailed('parallel', e, loadParallel); }
}

/** Strategies ranked at the budget every strategy has reached, with the margin and a rank test. */
function renderRanking() {
  const box = document.getElementById('ranking');
  const r = cmpData && cmpData.ranking;
  if (!r || !r.strategies || r.strategies.length === 0) { box.replaceChildren(); return; }
  const rows = r.strategies.map((s, i) => el('tr', {},
    el('td', { class: 'num', text: String(i + 1) }), el('td', { text: s.strategy }),
    el('td', { class: 'num', text: fmtValue(s.median) }), el('td', { class: 'num', text: String(s.seeds) })));
  const verdict = r.strategies.length < 2 ? '' : r.test.significant
    ? r.strategies[0].strategy + ' leads by ' + fmtValue(r.margin) + ' (significant: ' + r.test.name + ', p = ' + fmtValue(r.test.p, 3) + ')'
    : r.strategies[0].strategy + ' leads by ' + fmtValue(r.margin) + ', not significant (' + r.test.name + ', p = ' + fmtValue(r.test.p, 3)
      + (r.test.note ? '; ' + r.test.note : '') + ')';
  box.replaceChildren(el('p', { id: 'ranking-verdict' }, 'Ranked at ' + fmtCount(r.budget) + ' trials per study (reached by every study): ' + verdict),
    el('table', { id: 'ranking-table' }, el('thead', {}, el('tr', {}, ...['rank', 'strategy', 'median best', 'seeds']
      .map((h) => el('th', { scope: 'col', text: h })))), el('tbody', {}, ...rows)));
}

function renderRunning() {
  const curves = [...runningCurves.values()].slice(-12);
  charts.running.setOption(runningOption(curves, summary.metric), { replaceMerge: ['series'] });
  document.getElementById('running-info').textContent = '— ' + [...runningCurves.values()].filter((c) => !c.done).length + ' in flight';
  document.getElementById('running').dataset.trials = JSON.stringify([...runningCurves.keys()]);
}

async function loadRunning() {
  const running = await getJson(api + '/running');
  runningCurves.clear();
  for (const t of running) {
    runningCurves.set(t.id, { label: '#' + t.id + ' ' + t.strategy + '/s' + t.seed, points: t.curve.map((e) => [e.epoch, e.valMetric]) });
  }
  renderRunning();
}

// ---- workers ----

let workersData = null;
let workersFetchedAt = 0;

function fmtAge(seconds) {
  if (seconds == null) return '–';
  const s = Math.max(0, seconds);
  if (s < 90) return Math.round(s) + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  return (s / 3600).toFixed(1) + ' h ago';
}

function ageText(w) {
  return fmtAge(w.heartbeatAgeSeconds == null ? null : w.heartbeatAgeSeconds + (Date.now() - workersFetchedAt) / 1000);
}

// Ages come from the server's clock; between polls they advance with this page's clock.
function tickWorkerAges() {
  if (!workersData) return;
  for (const w of workersData.workers) {
    const cell = document.querySelector('#workers-table tr[data-worker="' + CSS.escape(w.name) + '"] td.age');
    if (cell) cell.textContent = ageText(w);
  }
}

function renderWorkers() {
  const box = document.getElementById('workers');
  const info = document.getElementById('workers-info');
  if (!workersData) return;
  const list = workersData.workers;
  box.dataset.count = list.length;
  // A run without recorded workers trains in its own process: one line in the facts, no panel.
  document.getElementById('workers-panel').hidden = list.length === 0;
  const fact = document.getElementById('workers-fact');
  if (fact) {
    fact.textContent = list.length === 0 ? 'local only (trials run in this process)'
      : workersData.active + ' active, ' + workersData.remote + ' remote (see Workers below)';
  }
  if (list.length === 0) {
    info.textContent = '';
    box.replaceChildren();
    return;
  }
  info.textContent = '— ' + workersData.active + ' active, ' + workersData.remote + ' remote';
  const head = el('tr', {}, ...['worker', 'host', 'threads', 'trials done', 'current trials', 'last heartbeat', 'state']
    .map((h, i) => el('th', { scope: 'col', class: i === 2 || i === 3 ? 'num' : null, text: h })));
  const rows = list.map((w) => el('tr', { 'data-worker': w.name, 'data-state': w.state },
    el('td', {}, w.name, w.local ? el('span', { class: 'muted', text: ' (local)' }) : null),
    el('td', { text: w.host }),
    el('td', { class: 'num', text: String(w.threads) }),
    el('td', { class: 'num', text: fmtCount(w.trialsDone) }),
    el('td', {}, ...(w.currentTrials.length ? w.currentTrials.flatMap((id, i) => [i ? ', ' : null,
      el('a', { href: trialHref(id), text: '#' + id })]) : ['–'])),
    el('td', { class: 'age', title: w.lastHeartbeat ? fmtTime(w.lastHeartbeat) : null, text: ageText(w) }),
    el('td', {}, el('span', { class: 'badge worker-' + w.state, text: w.state }))));
  box.replaceChildren(el('table', { id: 'workers-table' }, el('thead', {}, head), el('tbody', {}, ...rows)));
}

async function loadWorkers() {
  try {
    workersData = await getJson(api + '/workers');
    workersFetchedAt = Date.now();
    renderWorkers();
  } catch (e) {
    showError(document.getElementById('workers'), e);
  }
}

// ---- live updates ----

const refreshLeaderboard = throttle(() => loadLeaderboard(), 1000);
const refreshSummary = throttle(() => loadSummary().then(() => { if (retryNote === 'run summary') { retryNote = null; banner(null); } })
  .catch((e) => banner('error', 'Could not refresh the run summary: ' + (e.message || e) + '. It is tried again with the next event.')), 2000);
const refreshCharts = throttle(() => { loadComparison(); loadPareto(); if (charts.prescreen) loadPrescreen(); }, 3000);
const refreshParallel = throttle(() => loadParallel(), 10000);
const redrawRunning = throttle(renderRunning, 500);
const refreshWorkers = throttle(() => loadWorkers(), 2000);

const handlers = {
  'trial-started': (e) => {
    const d = e.data || {};
    if (d.trialId != null) runningCurves.set(d.trialId, { label: '#' + d.trialId + (d.strategy ? ' ' + d.strategy + '/s' + d.seed : ''), points: [] });
    redrawRunning();
    refreshSummary();
    refreshLeaderboard();
    refreshWorkers();
  },
  epoch: (e) => {
    const d = e.data || {};
    let c = runningCurves.get(d.trialId);
    if (!c) { c = { label: '#' + d.trialId, points: [] }; runningCurves.set(d.trialId, c); }
    c.points.push([d.epoch, d.valMetric]);
    redrawRunning();
  },
  'trial-finished': (e) => {
    const d = e.data || {};
    if (d.trialId != null) {
      changedIds.add(d.trialId);
      const c = runningCurves.get(d.trialId);
      if (c) { c.done = true; setTimeout(() => { runningCurves.delete(d.trialId); redrawRunning(); }, 3000); }
    }
    refreshLeaderboard();
    refreshSummary();
    refreshCharts();
    refreshParallel();
    refreshWorkers();
  },
  experiment: (e) => {
    const state = (e.data || {}).state;
    if (state && !ACTIVE.includes(state)) {
      summary.state = state;
      showEnded('it is ' + state + ' now');
    }
    refreshSummary();
  },
};

let lostSince = null;

function setLive(status) {
  const live = document.getElementById('live');
  live.textContent = status === 'live' ? 'live' : status;
  live.classList.toggle('on', status === 'live');
  if (status === 'live') {
    lostSince = null;
    if (retryNote === 'event stream') { retryNote = null; banner(null); }
    return;
  }
  // The process serving this page (strata run --dashboard) is gone when the stream stays down.
  lostSince = lostSince ?? Date.now();
  setTimeout(() => {
    if (lostSince == null || Date.now() - lostSince < 4000) return;
    if (summary && summary.live) showEnded('the process that served it has stopped');
    else if (document.getElementById('banner').dataset.ended !== 'true') {
      retryNote = 'event stream';
      banner('error', 'Lost the connection to the dashboard; reconnecting…');
    }
  }, 4500);
}

async function main() {
  if (!name) {
    showError(document.getElementById('head'), new Error('no run given: open this page from the experiments list'));
    return;
  }
  await retrying('run summary', loadSummary);
  if (!ACTIVE.includes(summary.state)) showEnded('it is ' + summary.state);
  fillFilters();
  renderHeader();
  document.getElementById('stop').addEventListener('click', stopRun);
  charts.comparison = chart(document.getElementById('comparison'));
  charts.running = chart(document.getElementById('running'));
  charts.pareto = chart(document.getElementById('pareto'));
  charts.parallel = chart(document.getElementById('parallel'));
  charts.importance = chart(document.getElementById('importance'));
  document.getElementById('imp-method').addEventListener('change', loadImportance);
  charts.pareto.on('click', (p) => { if (p.value && p.value[2] != null) location.href = trialHref(p.value[2]); });
  document.getElementById('cmp-axis').addEventListener('change', renderComparison);
  charts.comparison.on('legendselectchanged', (p) => {
    for (const input of document.querySelectorAll('#cmp-toggles input')) input.checked = p.selected[input.value] !== false;
  });
  const after = summary.lastEventId;
  await Promise.all([loadLeaderboard(), loadComparison(), loadPareto(), loadImportance(), loadParallel(), loadWorkers(), loadRunning().catch(() => {}), loadPrescreen()]);
  // Importance is a model fit, not a count: refreshed every 30 s while the run goes on, not on every trial.
  setInterval(() => { if (ACTIVE.includes(summary.state)) loadImportance(); }, 30000);
  // Heartbeats are not events: poll while the run is active, and let the ages tick in between.
  setInterval(() => { if (summary.state === 'running' || summary.state === 'stopping') loadWorkers(); }, 5000);
  setInterval(tickWorkerAges, 1000);
  followEvents(name, after, handlers, () => {
    shownIds = null;
    loadSummary(); loadLeaderboard(); loadComparison(); loadPareto(); loadWorkers(); loadRunning().catch(() => {});
  }, setLive);
}

main();
