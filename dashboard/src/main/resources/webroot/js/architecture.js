// Draws a network spec as an SVG diagram: blocks top to bottom, each layer as a bar whose length
// grows with its width (square root scale); residual shortcuts as dashed arrows around their block;
// inception branches side by side, merging into a concatenation and an optional projection.
//
// Test hooks: each block is <g class="block" data-type="plain|residual|inception" data-index="i">,
// each layer <rect class="layer" data-width="w">, residual arrows <path class="shortcut">,
// inception branches <g class="branch">, merges <g class="merge">.

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

/** Renders the spec into a new <svg> element. */
export function drawArchitecture(spec) {
  const blocks = (Array.isArray(spec.blocks) ? spec.blocks : []).map(normalise);
  const inputs = num(spec.inputs, 0);
  const outputs = num(spec.outputs, 0);
  const widths = [inputs, outputs];
  for (const b of blocks) {
    widths.push(b.width, b.projection, ...b.branches.map((x) => x.width));
  }
  const maxWidth = Math.max(1, ...widths);
  const barLen = (w) => Math.round(36 + 180 * Math.sqrt(Math.max(1, w) / maxWidth));
  const branchLen = (w) => Math.round(24 + 110 * Math.sqrt(Math.max(1, w) / maxWidth));

  // Horizontal extent of the widest block.
  let inner = Math.max(170, barLen(Math.max(inputs, outputs)));
  for (const b of blocks) {
    if (b.type === 'inception') {
      inner = Math.max(inner, b.branches.reduce((s, br) => s + branchLen(br.width) + 14, -14), barLen(b.projection || 1));
    } else {
      inner = Math.max(inner, barLen(b.width));
    }
  }
  const width = LABEL_W + inner + SHORTCUT_W + 40;
  const cx = LABEL_W + inner / 2 + 10;

  const root = svg('svg', { class: 'architecture', xmlns: NS, role: 'img' });
  const defs = svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: 'currentColor' })));
  root.append(defs);

  let y = 10;
  const edge = (x1, y1, x2, y2) => root.append(svg('path', { class: 'edge', d: `M${x1},${y1} L${x2},${y2}`, 'marker-end': 'url(#arrow)' }));
  const layerRect = (parent, x, yy, len, w, label) => {
    parent.append(svg('rect', { class: 'layer', x: x - len / 2, y: yy, width: len, height: LAYER_H, rx: 4, 'data-width': w }));
    parent.append(text(x, yy + LAYER_H / 2, label));
  };

  // Input.
  const IO_MIN = 170;
  const inLen = Math.max(IO_MIN, barLen(inputs || 1));
  root.append(svg('rect', { class: 'io', x: cx - inLen / 2, y, width: inLen, height: LAYER_H, rx: 11 }));
  root.append(text(cx, y + LAYER_H / 2, 'input · ' + (inputs || '?') + ' features'));
  y += LAYER_H;

  blocks.forEach((b, i) => {
    edge(cx, y, cx, y + EDGE);
    y += EDGE;
    const g = svg('g', { class: 'block', 'data-type': b.type, 'data-index': i });
    const top = y;
    if (b.type === 'inception') {
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
      g.append(text(LABEL_W - 10, (top + y) / 2, 'inception · ' + b.branches.length + ' branches', 'end'));
    } else {
      const len = barLen(b.width);
      for (let k = 0; k < b.layers; k++) {
        if (k > 0) { g.append(svg('path', { class: 'edge', d: `M${cx},${y} L${cx},${y + GAP}`, 'marker-end': 'url(#arrow)' })); y += GAP; }
        layerRect(g, cx, y, len, b.width, b.width + (b.activation ? ' · ' + b.activation : ''));
        y += LAYER_H;
      }
      g.append(text(LABEL_W - 10, (top + y) / 2, b.type + ' · ' + b.layers + ' × ' + b.width + ' units', 'end'));
      if (b.type === 'residual') {
        // The shortcut leaves above the block and rejoins below it, around the right side.
        const right = cx + inner / 2 + SHORTCUT_W - 10;
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
    g.prepend(svg('rect', { class: 'frame', x: LABEL_W - 2, y: top - 4, width: width - LABEL_W - 10, height: y - top + 8, rx: 6 }));
    root.append(g);
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
