// Draws a network spec as an SVG diagram, top to bottom. The dashboard's trial page and the HTML
// report (`strata report`, which inlines this file) both draw with it: one definition.
//
// Dense blocks: each layer a bar whose length grows with its width (square root scale); residual
// shortcuts as dashed arrows around their block; inception branches side by side, merging into a
// concatenation and an optional projection.
//
// Image blocks (a spec with `image`): the shape is followed block by block with the trainer's
// formulas (see side()), each block is labelled with its output resolution and channels, and runs of
// blocks at one resolution are bracketed as stages. conv and pool blocks are bars (length grows
// with the channels); a conv_residual block draws its first unit (with a strided 1x1 projection on
// the shortcut when the channels or the resolution change) and its identity units once with their
// count; conv_inception branches stand side by side ([pool] -> [1x1 reduce] -> k x k) before the
// concatenation; a cell is its DAG: nodes 0..n-1 as circles, every edge but 'none' an arrow
// labelled with its op, drawn once with its repeat count.
//
// Test hooks: each block is <g class="block" data-type="plain|residual|inception|conv|pool|
// conv_residual|conv_inception|cell" data-index="i">, each layer <rect class="layer" data-width="w">,
// residual arrows <path class="shortcut">, inception branches <g class="branch">, merges <g class="merge">.
// Image blocks also carry data-channels, data-height and data-width (their output) and a
// <text class="shape"> "14×14 · 32 ch"; stages are <g class="stage" data-resolution="14×14">;
// a conv_residual unit is <g class="unit" data-repeat data-projection>, a projection shortcut
// <path class="shortcut projection" data-projection="1x1"> with its <g class="projection">;
// image inception branches have data-kind="1x1|3x3|5x5|pool" and data-filters; a cell block has
// data-nodes and data-repeat, its nodes <g class="cell-node" data-node="i"> and its drawn edges
// <g class="cell-edge" data-from data-to data-op> with a <text class="op">.

const NS = 'http://www.w3.org/2000/svg';
const LAYER_H = 22;
const GAP = 8;
const EDGE = 18;
const LABEL_W = 150;
const SHORTCUT_W = 50;

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, String(v));
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function text(x, y, s, anchor = 'middle', cls) {
  const t = svg('text', { x, y, 'text-anchor': anchor, 'dominant-baseline': 'middle', class: cls });
  t.textContent = s;
  return t;
}

function num(v, fallback) {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Normalises a spec block (tolerant of missing or extra fields). */
function normalise(block) {
  const type = String(block.type || 'plain').toLowerCase();
  const width = num(block.width ?? block.units, 0);
  const layers = Math.max(1, Math.round(num(block.layers, 1)));
  const activation = block.activation || '';
  let branches = [];
  if (type === 'inception') {
    const raw = Array.isArray(block.branches) ? block.branches
      : Array.from({ length: Math.max(1, Math.round(num(block.branches, 2))) }, () => ({}));
    branches = raw.map((b) => ({
      width: num(b && (b.width ?? b.units), width || 32),
      layers: Math.max(1, Math.round(num(b && b.layers, 1))),
      activation: (b && b.activation) || activation,
    }));
  }
  const projection = num(block.projection, 0);
  return { type, width: width || (branches.length ? 0 : 32), layers, activation, branches, projection };
}


// ---- Image blocks -------------------------------------------------------------------------------

const IMAGE_TYPES = new Set(['conv', 'pool', 'conv_residual', 'conv_inception', 'cell']);
const STAGE_W = 74;
const NODE_R = 11;
const NODE_DY = 44;
const BULGE = 95;
const OP_LABEL_W = 88;
const MAX_LAYERS = 4;

function count(v, fallback) {
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/**
 * Output side of a window of `span` pixels (dilation (kernel - 1) + 1) at `stride` with `pad` on
 * each side: floor((in + 2 pad - span) / stride) + 1, the trainer's ImageBlock.side. So 'same'
 * (pad = dilation (kernel - 1) / 2) at stride 2 halves a side rounding up; 'valid' (pad 0) at
 * stride 1 shrinks it by span - 1.
 */
export function side(n, span, stride, pad) {
  return Math.max(1, Math.floor((n + 2 * pad - span) / stride) + 1);
}

function windowShape(s, channels, kernel, stride, pad, dilation) {
  const span = dilation * (kernel - 1) + 1;
  return { c: channels, h: side(s.h, span, stride, pad), w: side(s.w, span, stride, pad) };
}

/** Nodes of the smallest full DAG with at least `edges` edges (the trainer's CellBlock.nodesFor). */
function nodesFor(edges) {
  let n = 2;
  while (n * (n - 1) / 2 < edges) n++;
  return n;
}

/** An image block with its input and output shapes ({c, h, w}), the trainer's spec defaults filled in. */
function normaliseImage(block, type, s) {
  const b = { type, image: true, input: s };
  if (type === 'conv') {
    b.filters = num(block.filters, s.c);
    b.kernel = num(block.kernel, 3);
    b.stride = num(block.stride, 1);
    b.padding = String(block.padding || 'same').toLowerCase();
    b.dilation = num(block.dilation, 1);
    b.repeat = num(block.repeat, 1);
    b.separable = block.separable === true;
    b.depthwise = block.depthwise === true;
    b.activation = block.activation || '';
    let o = s;
    for (let j = 0; j < b.repeat; j++) {
      const pad = b.padding === 'valid' ? 0 : Math.floor(b.dilation * (b.kernel - 1) / 2);
      o = windowShape(o, b.filters, b.kernel, j === 0 ? b.stride : 1, pad, b.dilation);
    }
    b.out = o;
  } else if (type === 'pool') {
    b.mode = String(block.mode || 'max').toLowerCase();
    b.size = num(block.size, 2);
    b.stride = num(block.stride, b.size);
    b.padding = count(block.padding, 0);
    b.out = b.mode === 'global' ? { c: s.c, h: 1, w: 1 } : windowShape(s, s.c, b.size, b.stride, b.padding, 1);
  } else if (type === 'conv_residual') {
    b.filters = num(block.filters, s.c);
    b.kernel = num(block.kernel, 3);
    b.stride = num(block.stride, 1);
    b.repeat = num(block.repeat, 1);
    // The first unit's shortcut is a strided 1x1 convolution when the channels or the stride change.
    b.projection = s.c !== b.filters || b.stride !== 1;
    b.out = windowShape(s, b.filters, b.kernel, b.stride, Math.floor(b.kernel / 2), 1);
  } else if (type === 'conv_inception') {
    const raw = Array.isArray(block.branches) ? block.branches : [];
    b.branches = raw.map((x) => {
      const br = x || {};
      const kernel = num(br.kernel, 1);
      const pool = br.pool ? String(br.pool).toLowerCase() : null;
      return {
        filters: num(br.filters, 1), kernel, reduce: num(br.reduce, 0) || null, pool,
        poolSize: num(br.poolSize, 3), kind: pool ? 'pool' : kernel + 'x' + kernel,
      };
    });
    b.out = { c: b.branches.reduce((t, br) => t + br.filters, 0) || s.c, h: s.h, w: s.w };
  } else {
    const edges = (Array.isArray(block.edges) ? block.edges : [])
      .map((e) => String(e && typeof e === 'object' ? e.op : e).toLowerCase());
    b.nodes = Math.max(2, num(block.nodes, nodesFor(edges.length)));
    b.edges = edges;
    b.repeat = num(block.repeat, 1);
    b.out = s;
  }
  return b;
}

const res = (s) => s.h + '×' + s.w;
const shapeText = (s) => res(s) + ' · ' + s.c + ' ch';

/** Horizontal room an image block needs, for the common width of the diagram. */
function imageExtent(b, chanLen, branchLen) {
  if (b.type === 'conv_inception') return b.branches.reduce((t, br) => t + branchLen(br.filters) + 12, -12);
  if (b.type === 'cell') {
    const right = b.nodes > 2 ? BULGE * (b.nodes - 2) + 6 + OP_LABEL_W : 0;
    return 2 * Math.max(right, 10 + OP_LABEL_W);
  }
  return chanLen(b.type === 'pool' ? b.out.c : b.filters);
}

/**
 * Draws one image block into `g` from `top`; returns the y of its bottom. `d`
 * holds the geometry of the diagram: cx, the right shortcut lane, and the bar scales.
 */
function drawImageBlock(g, b, top, d) {
  const { cx, chanLen, branchLen, layerRect, right } = d;
  let y = top;
  const arrow = (parent, x1, y1, x2, y2) => parent.append(svg('path', { class: 'edge', d: `M${x1},${y1} L${x2},${y2}`, 'marker-end': 'url(#arrow)' }));
  if (b.type === 'conv') {
    const len = chanLen(b.filters);
    const shown = b.repeat > MAX_LAYERS ? MAX_LAYERS - 1 : b.repeat;
    const kind = (b.separable ? 'sep ' : b.depthwise ? 'dw ' : '') + b.kernel + '×' + b.kernel;
    for (let k = 0; k < shown; k++) {
      if (k > 0) { arrow(g, cx, y, cx, y + GAP); y += GAP; }
      const stride = k === 0 && b.stride > 1 ? ' /' + b.stride : '';
      layerRect(g, cx, y, len, b.filters, kind + ' conv · ' + b.filters + stride, { class: 'layer conv', 'data-kernel': b.kernel });
      y += LAYER_H;
    }
    if (shown < b.repeat) {
      g.append(text(cx, y + LAYER_H / 2, '⋯ ' + (b.repeat - shown) + ' more', 'middle', 'muted'));
      y += LAYER_H;
    }
    const extra = (b.stride > 1 ? ', stride ' + b.stride : '') + (b.padding === 'valid' ? ', valid' : '') + (b.dilation > 1 ? ', dilation ' + b.dilation : '');
    g.append(text(d.labelW - 10, (top + y) / 2, 'conv · ' + b.repeat + ' × ' + kind + extra, 'end'));
  } else if (b.type === 'pool') {
    const label = b.mode === 'global' ? 'global avg pool' : b.mode + ' pool ' + b.size + '×' + b.size + (b.stride > 1 ? ' /' + b.stride : '');
    layerRect(g, cx, y, chanLen(b.out.c), b.out.c, label, { class: 'layer pool', 'data-mode': b.mode });
    y += LAYER_H;
    g.append(text(d.labelW - 10, (top + y) / 2, 'pool', 'end'));
  } else if (b.type === 'conv_residual') {
    const units = b.projection && b.repeat > 1
      ? [{ projection: true, times: 1, stride: b.stride }, { projection: false, times: b.repeat - 1, stride: 1 }]
      : [{ projection: b.projection, times: b.repeat, stride: b.stride }];
    const len = chanLen(b.filters);
    units.forEach((u, ui) => {
      const ug = svg('g', { class: 'unit', 'data-repeat': u.times, 'data-projection': u.projection });
      if (ui > 0) { arrow(ug, cx, y, cx, y + EDGE); y += EDGE; }
      const unitTop = y;
      const kind = b.kernel + '×' + b.kernel + ' conv · ' + b.filters;
      layerRect(ug, cx, y, len, b.filters, kind + (u.stride > 1 ? ' /' + u.stride : ''), { class: 'layer conv', 'data-kernel': b.kernel });
      y += LAYER_H;
      arrow(ug, cx, y, cx, y + GAP);
      y += GAP;
      layerRect(ug, cx, y, len, b.filters, kind, { class: 'layer conv', 'data-kernel': b.kernel });
      y += LAYER_H;
      const y0 = unitTop - EDGE / 2;
      const y1 = y + EDGE / 2;
      ug.append(svg('path', {
        class: u.projection ? 'shortcut projection' : 'shortcut', 'data-projection': u.projection ? '1x1' : null,
        d: `M${cx},${y0} L${right - 10},${y0} Q${right},${y0} ${right},${y0 + 10} L${right},${y1 - 10} Q${right},${y1} ${right - 10},${y1} L${cx + 9},${y1}`,
        'marker-end': 'url(#arrow)',
      }));
      if (u.projection) {
        const my = (y0 + y1) / 2;
        const pg = svg('g', { class: 'projection', 'data-stride': u.stride });
        pg.append(svg('rect', { class: 'io', x: right - 28, y: my - 10, width: 56, height: 20, rx: 4 }));
        pg.append(text(right, my, '1×1' + (u.stride > 1 ? ' /' + u.stride : ''), 'middle', 'small'));
        ug.append(pg);
      }
      if (u.times > 1) ug.append(text(right - 6, (unitTop + y) / 2, '×' + u.times, 'end', 'repeat'));
      ug.append(svg('path', { class: 'edge', d: `M${cx},${y} L${cx},${y1 - 8}` }));
      const add = svg('g', { class: 'add' });
      add.append(svg('circle', { cx, cy: y1, r: 8, class: 'io' }));
      add.append(text(cx, y1, '+'));
      ug.append(add);
      y = y1 + 8;
      g.append(ug);
    });
    g.append(text(d.labelW - 10, (top + y) / 2, 'residual · ' + b.repeat + (b.repeat === 1 ? ' unit' : ' units') + (b.stride > 1 ? ', stride ' + b.stride : ''), 'end'));
  } else if (b.type === 'conv_inception') {
    const lens = b.branches.map((br) => branchLen(br.filters));
    const total = lens.reduce((t, l) => t + l + 12, -12);
    const split = top;
    y = top + EDGE;
    let x = cx - total / 2;
    let bottom = y;
    const ends = [];
    const centres = [];
    b.branches.forEach((br, j) => {
      const bx = x + lens[j] / 2;
      centres.push(bx);
      const bg = svg('g', { class: 'branch', 'data-index': j, 'data-kind': br.kind, 'data-filters': br.filters });
      bg.append(svg('path', { class: 'edge', d: `M${cx},${split} L${bx},${y}`, 'marker-end': 'url(#arrow)' }));
      const parts = [];
      if (br.pool) parts.push({ label: br.pool + ' pool ' + br.poolSize + '×' + br.poolSize, cls: 'layer pool', w: b.input.c });
      if (br.reduce) parts.push({ label: '1×1 → ' + br.reduce, cls: 'layer conv', w: br.reduce });
      parts.push({ label: br.kernel + '×' + br.kernel + ' → ' + br.filters, cls: 'layer conv', w: br.filters });
      let by = y;
      parts.forEach((p, k) => {
        if (k > 0) { arrow(bg, bx, by, bx, by + GAP); by += GAP; }
        layerRect(bg, bx, by, lens[j], p.w, p.label, { class: p.cls });
        by += LAYER_H;
      });
      g.append(bg);
      ends.push(by);
      bottom = Math.max(bottom, by);
      x += lens[j] + 12;
    });
    const mergeY = bottom + EDGE + 10;
    const merge = svg('g', { class: 'merge' });
    centres.forEach((bx, j) => merge.append(svg('path', { class: 'edge', d: `M${bx},${ends[j]} L${bx},${bottom + 4} L${cx},${mergeY - 9}`, 'marker-end': 'url(#arrow)' })));
    merge.append(svg('circle', { cx, cy: mergeY, r: 9 }));
    merge.append(text(cx, mergeY, '∥'));
    merge.append(text(cx + 14, mergeY, 'concat · ' + b.out.c + ' ch', 'start', 'muted'));
    g.append(merge);
    y = mergeY + 9;
    g.append(text(d.labelW - 10, (top + y) / 2, 'inception · ' + b.branches.length + ' branches', 'end'));
  } else {
    // A cell: nodes 0..n-1 down the middle; edge (i, j) is edges[j (j - 1) / 2 + i]. Neighbouring
    // nodes are joined straight (label on the left); longer edges bow out to the right, further
    // the more nodes they skip. 'none' edges are not drawn.
    const ny = (i) => top + NODE_R + i * NODE_DY;
    let none = 0;
    for (let to = 1; to < b.nodes; to++) {
      for (let from = 0; from < to; from++) {
        const op = b.edges[to * (to - 1) / 2 + from] ?? 'none';
        if (op === 'none') { none++; continue; }
        const eg = svg('g', { class: 'cell-edge', 'data-from': from, 'data-to': to, 'data-op': op });
        const y1 = ny(from);
        const y2 = ny(to);
        const mid = (y1 + y2) / 2;
        if (to - from === 1) {
          eg.append(svg('path', { class: 'edge', d: `M${cx},${y1 + NODE_R} L${cx},${y2 - NODE_R}`, 'marker-end': 'url(#arrow)' }));
          eg.append(text(cx - 8, mid, op, 'end', 'op'));
        } else {
          const bow = BULGE * (to - from - 1);
          const c = (8 * bow - 2 * NODE_R) / 6; // control points that put the curve's apex at cx + bow
          eg.append(svg('path', { class: 'edge', d: `M${cx + NODE_R},${y1} C${cx + c},${y1} ${cx + c},${y2} ${cx + NODE_R},${y2}`, 'marker-end': 'url(#arrow)' }));
          eg.append(text(cx + bow + 6, mid, op, 'start', 'op'));
        }
        g.append(eg);
      }
    }
    for (let i = 0; i < b.nodes; i++) {
      const ng = svg('g', { class: 'cell-node', 'data-node': i });
      ng.append(svg('circle', { cx, cy: ny(i), r: NODE_R, class: 'io' }));
      ng.append(text(cx, ny(i), String(i), 'middle', 'small'));
      g.append(ng);
    }
    y = ny(b.nodes - 1) + NODE_R;
    g.setAttribute('data-repeat', b.repeat);
    g.setAttribute('data-nodes', b.nodes);
    const label = 'cell · ' + b.nodes + ' nodes' + (b.repeat > 1 ? ' × ' + b.repeat : '');
    g.append(text(d.labelW - 10, (top + y) / 2 - (none ? 8 : 0), label, 'end'));
    if (none) g.append(text(d.labelW - 10, (top + y) / 2 + 8, none + ' none ' + (none === 1 ? 'edge' : 'edges') + ' not drawn', 'end', 'muted small'));
  }
  return y;
}

/** Renders the spec into a new <svg> element. */
export function drawArchitecture(spec) {
  const img = spec.image && typeof spec.image === 'object'
    ? { c: num(spec.image.channels, 1), h: num(spec.image.height, 1), w: num(spec.image.width, 1) } : null;
  // Walk the blocks as the trainer does: image blocks first, each changing the shape; the first dense
  // block (or the output layer) reads the last image flattened.
  let shape = img;
  const blocks = (Array.isArray(spec.blocks) ? spec.blocks : []).map((raw) => {
    const block = raw && typeof raw === 'object' ? raw : {};
    const type = String(block.type || 'plain').toLowerCase();
    if (IMAGE_TYPES.has(type) && shape) {
      const b = normaliseImage(block, type, shape);
      shape = b.out;
      return b;
    }
    shape = null;
    return normalise(block);
  });
  const image = blocks.some((b) => b.image);
  const inputs = img ? img.c * img.h * img.w : num(spec.inputs, 0);
  const outputs = num(spec.outputs, 0);
  const widths = [img ? 0 : inputs, outputs];
  const channels = [img ? img.c : 0];
  for (const b of blocks) {
    if (b.image) channels.push(b.out.c, ...(b.branches || []).map((x) => x.filters));
    else widths.push(b.width, b.projection, ...b.branches.map((x) => x.width));
  }
  const maxWidth = Math.max(1, ...widths);
  const maxChannels = Math.max(1, ...channels);
  const barLen = (w) => Math.round(36 + 180 * Math.sqrt(Math.max(1, w) / maxWidth));
  const branchLen = (w) => Math.round(24 + 110 * Math.sqrt(Math.max(1, w) / maxWidth));
  const chanLen = (c) => Math.round(110 + 130 * Math.sqrt(Math.max(1, c) / maxChannels));
  const chanBranchLen = (c) => Math.round(86 + 40 * Math.sqrt(Math.max(1, c) / maxChannels));

  // Horizontal extent of the widest block.
  let inner = Math.max(170, img ? 0 : barLen(Math.max(inputs, outputs)));
  for (const b of blocks) {
    if (b.image) {
      inner = Math.max(inner, imageExtent(b, chanLen, chanBranchLen));
    } else if (b.type === 'inception') {
      inner = Math.max(inner, b.branches.reduce((s, br) => s + branchLen(br.width) + 14, -14), barLen(b.projection || 1));
    } else {
      inner = Math.max(inner, barLen(b.width));
    }
  }
  const labelW = LABEL_W + (image ? STAGE_W : 0);
  const width = labelW + inner + SHORTCUT_W + 40;
  const cx = labelW + inner / 2 + 10;
  const right = cx + inner / 2 + SHORTCUT_W - 10;

  const root = svg('svg', { class: 'architecture', xmlns: NS, role: 'img' });
  const defs = svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: 'currentColor' })));
  root.append(defs);

  let y = 10;
  const edge = (x1, y1, x2, y2) => root.append(svg('path', { class: 'edge', d: `M${x1},${y1} L${x2},${y2}`, 'marker-end': 'url(#arrow)' }));
  const layerRect = (parent, x, yy, len, w, label, attrs = {}) => {
    parent.append(svg('rect', { class: 'layer', x: x - len / 2, y: yy, width: len, height: LAYER_H, rx: 4, 'data-width': w, ...attrs }));
    parent.append(text(x, yy + LAYER_H / 2, label));
  };

  // Input.
  const IO_MIN = 170;
  const inLen = Math.max(IO_MIN, img ? 0 : barLen(inputs || 1));
  root.append(svg('rect', { class: 'io', x: cx - inLen / 2, y, width: inLen, height: LAYER_H, rx: 11 }));
  root.append(text(cx, y + LAYER_H / 2, 'input · ' + (img ? shapeText(img) : (inputs || '?') + ' features')));
  y += LAYER_H;

  const geometry = { cx, right, labelW, chanLen, branchLen: chanBranchLen, layerRect };
  const stages = [];
  blocks.forEach((b, i) => {
    edge(cx, y, cx, y + EDGE);
    y += EDGE;
    const g = svg('g', { class: 'block', 'data-type': b.type, 'data-index': i });
    const top = y;
    if (b.image) {
      y = drawImageBlock(g, b, top, geometry);
      g.setAttribute('data-channels', b.out.c);
      g.setAttribute('data-height', b.out.h);
      g.setAttribute('data-width', b.out.w);
      const flat = blocks[i + 1] && blocks[i + 1].image ? '' : ' → flatten · ' + b.out.c * b.out.h * b.out.w;
      // Left of the edge: a residual shortcut leaves to the right at this height.
      g.append(svg('text', { class: 'shape muted', x: cx - 8, y: y + 4 + EDGE / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }));
      g.lastChild.textContent = shapeText(b.out) + flat;
      const last = stages[stages.length - 1];
      if (last && last.res === res(b.out)) last.bottom = y;
      else stages.push({ res: res(b.out), top, bottom: y });
    } else if (b.type === 'inception') {
      const lens = b.branches.map((br) => branchLen(br.width));
      const total = lens.reduce((s, l) => s + l + 14, -14);
      let x = cx - total / 2;
      const split = top;
      y = top + EDGE;
      let bottom = y;
      const ends = [];
      b.branches.forEach((br, j) => {
        const bx = x + lens[j] / 2;
        const bg = svg('g', { class: 'branch', 'data-index': j });
        bg.append(svg('path', { class: 'edge', d: `M${cx},${split} L${bx},${y}`, 'marker-end': 'url(#arrow)' }));
        let by = y;
        for (let k = 0; k < br.layers; k++) {
          if (k > 0) { bg.append(svg('path', { class: 'edge', d: `M${bx},${by} L${bx},${by + GAP}` })); by += GAP; }
          layerRect(bg, bx, by, lens[j], br.width, String(br.width));
          by += LAYER_H;
        }
        g.append(bg);
        ends.push(by);
        bottom = Math.max(bottom, by);
        x += lens[j] + 14;
      });
      const mergeY = bottom + EDGE + 10;
      const merge = svg('g', { class: 'merge' });
      let x2 = cx - total / 2;
      b.branches.forEach((br, j) => {
        const bx = x2 + lens[j] / 2;
        merge.append(svg('path', { class: 'edge', d: `M${bx},${ends[j]} L${bx},${bottom + 4} L${cx},${mergeY - 9}`, 'marker-end': 'url(#arrow)' }));
        x2 += lens[j] + 14;
      });
      merge.append(svg('circle', { cx, cy: mergeY, r: 9 }));
      merge.append(text(cx, mergeY, '∥'));
      merge.append(text(cx + 14, mergeY, 'concat ' + b.branches.reduce((s, br) => s + br.width, 0), 'start', 'muted'));
      g.append(merge);
      y = mergeY + 9;
      if (b.projection) {
        g.append(svg('path', { class: 'edge', d: `M${cx},${y} L${cx},${y + GAP + 4}`, 'marker-end': 'url(#arrow)' }));
        y += GAP + 4;
        layerRect(g, cx, y, barLen(b.projection), b.projection, 'projection ' + b.projection);
        y += LAYER_H;
      }
      g.append(text(labelW - 10, (top + y) / 2, 'inception · ' + b.branches.length + ' branches', 'end'));
    } else {
      const len = barLen(b.width);
      for (let k = 0; k < b.layers; k++) {
        if (k > 0) { g.append(svg('path', { class: 'edge', d: `M${cx},${y} L${cx},${y + GAP}`, 'marker-end': 'url(#arrow)' })); y += GAP; }
        layerRect(g, cx, y, len, b.width, b.width + (b.activation ? ' · ' + b.activation : ''));
        y += LAYER_H;
      }
      g.append(text(labelW - 10, (top + y) / 2, b.type + ' · ' + b.layers + ' × ' + b.width + ' units', 'end'));
      if (b.type === 'residual') {
        // The shortcut leaves above the block and rejoins below it, around the right side.
        const y0 = top - EDGE / 2;
        const y1 = y + EDGE / 2;
        g.append(svg('path', {
          class: 'shortcut', d: `M${cx},${y0} L${right - 10},${y0} Q${right},${y0} ${right},${y0 + 10} L${right},${y1 - 10} Q${right},${y1} ${right - 10},${y1} L${cx + 9},${y1}`,
          'marker-end': 'url(#arrow)',
        }));
        const add = svg('g', { class: 'add' });
        add.append(svg('circle', { cx, cy: y1, r: 8, class: 'io' }));
        add.append(text(cx, y1, '+'));
        g.append(svg('path', { class: 'edge', d: `M${cx},${y} L${cx},${y1 - 8}` }));
        g.append(add);
        y = y1 + 8;
      }
    }
    g.prepend(svg('rect', { class: 'frame', x: labelW - 2, y: top - 4, width: width - labelW - 10, height: y - top + 8, rx: 6 }));
    root.append(g);
    if (b.image) y += 8; // room for the shape under the block
  });

  // Stages: runs of image blocks at one resolution, bracketed on the left.
  stages.forEach((s, i) => {
    const sg = svg('g', { class: 'stage', 'data-index': i, 'data-resolution': s.res });
    sg.append(svg('path', { class: 'bracket', d: `M16,${s.top - 2} L10,${s.top - 2} L10,${s.bottom + 2} L16,${s.bottom + 2}` }));
    sg.append(text(18, (s.top + s.bottom) / 2 - 8, 'stage ' + (i + 1), 'start', 'muted small'));
    sg.append(text(18, (s.top + s.bottom) / 2 + 8, s.res, 'start', 'resolution'));
    root.append(sg);
  });

  edge(cx, y, cx, y + EDGE);
  y += EDGE;
  const outLen = Math.max(IO_MIN, barLen(outputs || 1));
  root.append(svg('rect', { class: 'io', x: cx - outLen / 2, y, width: outLen, height: LAYER_H, rx: 11 }));
  const outAct = typeof spec.outputActivation === 'string' ? ' · ' + spec.outputActivation : '';
  root.append(text(cx, y + LAYER_H / 2, 'output · ' + (outputs || '?') + outAct));
  y += LAYER_H + 10;

  root.setAttribute('viewBox', `0 0 ${width} ${y}`);
  root.setAttribute('width', width);
  root.setAttribute('height', y);
  const summary = blocks.map((b) => b.type).join(', ');
  root.setAttribute('aria-label', 'network with ' + blocks.length + ' blocks: ' + summary);
  root.dataset.blocks = blocks.length;
  return root;
}
