// Small DOM and formatting helpers shared by the view modules in www/views/.
//
// Rules every view keeps (they run inside a shadow root, beside other widgets on one page):
// - no document.getElementById, no globals: every node is made from the container's own
//   document and found from the container;
// - ticket-derived text (agent names, channels, tags, warnings, words) only through
//   textContent / text nodes, never innerHTML;
// - every user-visible string through locale.t('views.…', 'English');
// - charts through hooks.draw(canvas, kind, title); the canvas is sized to its CSS box ×
//   devicePixelRatio here, before the host draws.
import { CSS } from './styles.js';

/** A node factory bound to the document of `container`. */
export function maker(container) {
  const doc = container.ownerDocument;
  /**
   * h('td', {className: 'x', text: 'y', dataset: {key: 'frt'}, on: {click: fn}}, child, …)
   * Children are nodes or strings (made text nodes); null/false are skipped.
   */
  function h(tag, props = {}, ...children) {
    const n = doc.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'className') n.className = v;
      else if (k === 'text') n.textContent = v;
      else if (k === 'dataset') Object.assign(n.dataset, v);
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) n.addEventListener(ev, fn);
      else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled') n[k] = v;
      else n.setAttribute(k, v === true ? '' : String(v));
    }
    append(n, children);
    return n;
  }
  function append(n, children) {
    for (const c of children.flat(Infinity)) {
      if (c == null || c === false) continue;
      n.append(typeof c === 'object' ? c : doc.createTextNode(String(c)));
    }
    return n;
  }
  /** An SVG element (for the agent view's own sparklines). */
  function svg(tag, attrs = {}) {
    const n = doc.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [k, v] of Object.entries(attrs)) if (v != null) n.setAttribute(k, String(v));
    return n;
  }
  return { h, svg, doc, text: (s) => doc.createTextNode(String(s)) };
}

/** Removes every child of `node` (and stops watching the canvases among them). */
export function clear(node) {
  const win = node.ownerDocument && node.ownerDocument.defaultView;
  const ro = win && observers.get(win);
  if (ro) for (const c of node.querySelectorAll('canvas')) if (c._tkv) ro.unobserve(c);
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Unique ids inside one widget (labels need `for`; shadow roots keep ids apart per widget). */
let idCounter = 0;
export function uid(prefix = 'tkv') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

const sheets = new WeakMap(); // document or shadow root → its constructed sheet

/**
 * Applies the views' stylesheet once to the container's root: its shadow root, or the page.
 * A constructed stylesheet (adoptedStyleSheets) needs no file and no 'unsafe-inline'.
 */
export function ensureStyles(container) {
  const root = container.getRootNode();
  const doc = container.ownerDocument;
  const target = root && root.nodeType === 11 ? root : doc;
  if (sheets.has(target)) return;
  const win = doc.defaultView || globalThis;
  try {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(CSS);
    target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
    sheets.set(target, sheet);
  } catch (e) {
    console.warn(`[ticket-kpis] the views' styles could not be applied: ${e && e.message ? e.message : e}`);
  }
}

// ---------------------------------------------------------------------------------------------
// KPI values

/** The KPI's label in the locale (catalogue key `kpi.<key>`), else the engine's English. */
export function kpiLabel(locale, key, english) {
  return locale.t(`kpi.${key}`, english || key);
}

/** A value in its unit, or a dash. */
export function valueText(locale, unit, v) {
  if (v == null || !Number.isFinite(v)) return '—';
  // A median of counts can fall between two (1.5 of 1 and 2): not rounded to a whole number.
  if (unit === 'count' && !Number.isInteger(v)) return locale.number(v);
  return locale.value(unit, v);
}

/** A signed change (value − previous) in the KPI's unit: "+2", "−1 h 30 min", "+12.5 pts". */
export function changeText(locale, unit, change) {
  if (change == null || !Number.isFinite(change)) return '—';
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const abs = Math.abs(change);
  let body;
  if (unit === 'percent') {
    body = locale.t('views.change.points', '{n} pts', { n: locale.number(abs) });
  } else {
    body = locale.value(unit, abs);
  }
  return `${sign}${body}`;
}

/** A signed percent change: "+66.7%", "−50%". */
export function percentChangeText(locale, pct) {
  if (pct == null || !Number.isFinite(pct)) return '';
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  return `${sign}${locale.percent(Math.abs(pct))}`;
}

/**
 * Whether a change is better or worse, by the KPI's direction (not up or down):
 * 'better', 'worse', 'same' or 'neutral' (volume-like KPIs, or no change known).
 */
export function changeQuality(direction, change) {
  if (change == null || !Number.isFinite(change)) return 'neutral';
  if (direction === 'neutral') return 'neutral';
  if (change === 0) return 'same';
  const up = change > 0;
  return (direction === 'higher') === up ? 'better' : 'worse';
}

/** The word for a quality, translated. */
export function qualityWord(locale, q) {
  switch (q) {
    case 'better':
      return locale.t('views.quality.better', 'better');
    case 'worse':
      return locale.t('views.quality.worse', 'worse');
    case 'same':
      return locale.t('views.quality.same', 'no change');
    default:
      return '';
  }
}

/** "lower is better" / "higher is better" / "neither way is better". */
export function directionText(locale, direction) {
  switch (direction) {
    case 'lower':
      return locale.t('views.direction.lower', 'lower is better');
    case 'higher':
      return locale.t('views.direction.higher', 'higher is better');
    default:
      return locale.t('views.direction.neutral', 'neither way is better');
  }
}

/** The comparison a target uses: ≤ for lower-is-better KPIs, ≥ otherwise. */
export function targetSign(direction) {
  return direction === 'lower' ? '≤' : '≥';
}

/** Section names of the catalogue. */
export function sectionLabel(locale, section) {
  const names = {
    speed: 'Speed',
    volume: 'Volume and flow',
    outcome: 'Outcome',
    customer: 'Customer',
    team: 'Team',
  };
  return locale.t(`views.section.${section}`, names[section] || section);
}

/** Dimension names (agent, team, channel, priority, tag, tier). */
export function dimensionLabel(locale, dim) {
  const names = {
    agent: 'Agent',
    team: 'Team',
    channel: 'Channel',
    priority: 'Priority',
    tag: 'Tag',
    tier: 'Customer tier',
  };
  return locale.t(`views.dimension.${dim}`, names[dim] || dim);
}

/**
 * Parses an amount typed for a KPI of `unit` into the KPI's unit: durations accept "4h",
 * "30 min", "1 h 30 min", "1.5h", "90" (seconds); percents accept "90%" or "90"; others a
 * plain number. Returns null when it cannot be read.
 */
export function parseAmount(unit, text) {
  // Persian (and Arabic-Indic) digits, the Persian decimal and percent signs read as typed.
  const s = String(text ?? '')
    .replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) & 0xf))
    .replace(/\u066B/g, '.')
    .replace(/\u066A/g, '%')
    .trim()
    .replace(',', '.');
  if (!s) return null;
  if (unit === 'seconds') {
    if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
    const re = /(\d+(?:\.\d+)?)\s*(d|days?|h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b/gi;
    const mult = { d: 86400, h: 3600, m: 60, s: 1 };
    let total = 0;
    let matched = '';
    for (const m of s.matchAll(re)) {
      const u = m[2].toLowerCase();
      const k = u.startsWith('mi') || u === 'm' ? 'm' : u[0];
      total += Number(m[1]) * mult[k];
      matched += m[0];
    }
    if (!matched || s.replace(re, '').trim() !== '') return null;
    return total;
  }
  const n = Number(s.replace(/%$/, '').trim());
  return Number.isFinite(n) ? n : null;
}

/** A target value written back as text the engine reads ("1h 30m", "90%", "4.5"). */
export function amountInput(unit, v) {
  if (v == null || !Number.isFinite(v)) return '';
  if (unit === 'seconds') {
    let s = Math.round(v);
    const parts = [];
    for (const [u, n] of [
      ['d', 86400],
      ['h', 3600],
      ['m', 60],
    ]) {
      if (s >= n) {
        parts.push(`${Math.floor(s / n)}${u}`);
        s %= n;
      }
    }
    if (s || parts.length === 0) parts.push(`${s}s`);
    return parts.join(' ');
  }
  const n = Math.round(v * 100) / 100;
  return unit === 'percent' ? `${n}%` : String(n);
}

// ---------------------------------------------------------------------------------------------
// Charts

/**
 * Sizes `canvas` to its CSS box × devicePixelRatio and asks the host to draw `kind` into it.
 * Skips canvases that are hidden (no box yet); they are drawn when shown (see watchCanvas).
 */
export function drawInto(canvas, kind, title, hooks) {
  if (!hooks || typeof hooks.draw !== 'function' || !canvas.isConnected) return false;
  const win = canvas.ownerDocument.defaultView || globalThis;
  const dpr = win.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const w = Math.round(rect.width * dpr);
  const hgt = Math.round(rect.height * dpr);
  if (w < 2 || hgt < 2) return false;
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== hgt) canvas.height = hgt;
  try {
    const done = hooks.draw(canvas, kind, title || '');
    canvas.dataset.kind = kind;
    if (done && typeof done.then === 'function') {
      done.then(
        () => (canvas.dataset.drawn = String((Number(canvas.dataset.drawn) || 0) + 1)),
        () => {},
      );
    } else {
      canvas.dataset.drawn = String((Number(canvas.dataset.drawn) || 0) + 1);
    }
  } catch (e) {
    console.warn(`[ticket-kpis] could not draw ${kind}: ${e && e.message ? e.message : e}`);
    return false;
  }
  return true;
}

const observers = new WeakMap();

/**
 * Draws `canvas` now and again whenever its box changes size (shown, resized, zoomed). The
 * canvas keeps its latest kind/title in `canvas._tkv`.
 */
export function watchCanvas(canvas, kind, title, hooks) {
  canvas._tkv = { kind, title, hooks };
  const win = canvas.ownerDocument.defaultView || globalThis;
  if (typeof win.ResizeObserver === 'function') {
    let ro = observers.get(win);
    if (!ro) {
      ro = new win.ResizeObserver((entries) => {
        for (const e of entries) {
          const spec = e.target._tkv;
          if (spec && e.contentRect.width > 1) drawInto(e.target, spec.kind, spec.title, spec.hooks);
        }
      });
      observers.set(win, ro);
    }
    ro.observe(canvas);
  }
  drawInto(canvas, kind, title, hooks);
}

/** Redraws every watched canvas inside `root` (after a new report). */
export function redrawAll(root) {
  for (const c of root.querySelectorAll('canvas')) {
    const spec = c._tkv;
    if (spec) drawInto(c, spec.kind, spec.title, spec.hooks);
  }
}

/** A caption + canvas + text alternative figure. Returns {figure, canvas}. */
export function chartFigure(h, { kind, title, description, className = '' }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': description || title });
  const figure = h(
    'figure',
    { className: `tkv-chart ${className}`.trim(), dataset: { chart: kind } },
    h('figcaption', { text: title }),
    h('div', { className: 'tkv-canvas-box' }, canvas),
  );
  return { figure, canvas };
}

/** A table from a caption, header cells and rows of cells (strings or nodes). */
export function table(h, { caption, head, rows, className = '' }) {
  const t = h('table', { className: `tk-table tkv-table ${className}`.trim() });
  if (caption) t.append(h('caption', { className: 'tkv-caption', text: caption }));
  t.append(h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))));
  const body = h('tbody');
  for (const r of rows) body.append(r && r.nodeType ? r : h('tr', {}, r));
  t.append(body);
  return t;
}
