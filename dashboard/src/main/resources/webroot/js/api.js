// Talking to the dashboard server: JSON requests, the live event stream, and formatting helpers.

/** Fetches JSON from the API; throws an Error carrying the server's message on failure. */
export async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!res.ok) {
    let message = res.status + ' ' + res.statusText;
    try { message = (await res.json()).error || message; } catch (e) { /* not JSON */ }
    const err = new Error(message);
    err.status = res.status;
    throw err;
  }
  return res.json();
}

export async function postJson(path) {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

export function runPath(name) {
  return '/api/runs/' + encodeURIComponent(name);
}

/**
 * Follows a run's events. `handlers` maps event types ('trial-started', 'epoch', 'trial-finished',
 * 'experiment') to functions of the parsed event {id, type, time, data}; `onResync` is called when
 * the server says this page fell behind (it reconnects and catches up by itself; the page should
 * reload its views). Returns a function that stops following.
 */
export function followEvents(name, after, handlers, onResync, onStatus) {
  let source = null;
  let lastId = after;
  let stopped = false;
  const open = () => {
    const url = runPath(name) + '/events' + (lastId != null ? '?after=' + lastId : '');
    source = new EventSource(url);
    source.onopen = () => onStatus && onStatus('live');
    source.onerror = () => onStatus && onStatus(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    for (const type of Object.keys(handlers)) {
      source.addEventListener(type, (msg) => {
        const event = JSON.parse(msg.data);
        lastId = event.id;
        handlers[type](event);
      });
    }
    source.addEventListener('resync', (msg) => {
      const info = JSON.parse(msg.data);
      lastId = info.lastEventId;
      source.close();
      if (onResync) onResync();
      if (!stopped) setTimeout(open, 200);
    });
  };
  open();
  return () => { stopped = true; if (source) source.close(); };
}

/** Calls `fn` at most once per `ms`, trailing call guaranteed. */
export function throttle(fn, ms) {
  let timer = null;
  let pending = false;
  return () => {
    if (timer) { pending = true; return; }
    fn();
    timer = setTimeout(function again() {
      timer = null;
      if (pending) { pending = false; fn(); timer = setTimeout(again, ms); }
    }, ms);
  };
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/**
 * Text made safe for an HTML string (ECharts tooltip formatters return HTML): every string that
 * comes from the store (strategy, metric, parameter names and values) goes through this.
 */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]);
}

export function fmtValue(v, digits = 4) {
  if (v == null || Number.isNaN(v)) return '–';
  return Number(v).toFixed(digits);
}

export function fmtCount(n) {
  if (n == null) return '–';
  return Number(n).toLocaleString('en-US');
}

/** Parameter counts as 12.3 k / 4.5 M. */
export function fmtParams(n) {
  if (n == null || n === 0) return '–';
  if (n >= 1e6) return (n / 1e6).toFixed(2) + ' M';
  if (n >= 1e3) return (n / 1e3).toFixed(1) + ' k';
  return String(n);
}

export function fmtSeconds(s) {
  if (s == null) return '–';
  if (s < 0.1) return Math.round(s * 1000) + ' ms'; // short trials would all read "0.0 s"
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return (s / 60).toFixed(1) + ' min';
  return (s / 3600).toFixed(2) + ' h';
}

export function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtEta(iso) {
  if (!iso) return '–';
  const ms = new Date(iso).getTime() - Date.now();
  if (ms <= 0) return 'any moment';
  return 'in ' + fmtSeconds(ms / 1000) + ' (' + new Date(iso).toLocaleTimeString() + ')';
}

export function showError(container, err) {
  container.replaceChildren(el('p', { class: 'error', role: 'alert', text: err.message || String(err) }));
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}
