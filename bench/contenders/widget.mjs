// The product as a user meets it: the <ticket-kpis> element (www/), the file handed over as a
// dropped File, parsed in the element's Web Worker (streamed in 4 MB slices), the dashboard
// rendered and every chart drawn on the main thread. Same engine as `ours`; what this adds is
// the worker, the messages and the drawing, and the main thread's long tasks are the page's own
// (the engine never runs there).
//
//   load    = loadFiles → the first report arrives (read + parse + report, in the worker)
//   first   = from there until the report is shown and every chart drawn (loadFiles resolves)
//   refilter = setFilters({channel}) → report shown and every chart drawn again
//
// The KPI set for the agreement check is read from the reports the element shows (days,
// channels, resolution rate, CSAT); FRT by channel is not on the dashboard, so it is not compared.
import '/www/ticket-kpis.js';

let el = null;
let last = null;
const splits = {};

const kpi = (r, key) => r.kpis.find((k) => k.key === key);

function fromReport(r) {
  const rate = (key, a, b) => {
    const k = kpi(r, key);
    const ratio = k.ratio || { numerator: 0, denominator: 0 };
    return { [a]: ratio.numerator, [b]: ratio.denominator, rate: k.value ?? null };
  };
  return {
    days: r.series.labels.map((l, i) => [l, r.series.created[i]]),
    channels: Object.fromEntries(r.channels.map((c) => [c.name, c.count])),
    frt: {},
    resolution: rate('resolution_rate', 'solved', 'created'),
    csat: rate('csat', 'satisfied', 'rated'),
  };
}

/** How often each chart has been drawn (a hidden chart stays at 0). */
function drawCounts() {
  return [...el.shadowRoot.querySelectorAll('canvas')].map((c) => Number(c.dataset.drawn) || 0);
}

/**
 * Resolves once every chart drawn before has been drawn again since `before`. Reads only the
 * canvases' counters: asking for their layout here would force layouts the widget does not.
 */
async function drawnSince(before) {
  for (;;) {
    const now = drawCounts();
    if (now.length === before.length && now.every((n, i) => before[i] === 0 || n > before[i])) return;
    await new Promise((r) => setTimeout(r, 0));
  }
}

export async function init() {
  const t0 = performance.now();
  el = document.createElement('ticket-kpis');
  el.setAttribute('bucket', 'day');
  el.style.cssText = 'display:block;width:1200px';
  el.addEventListener('tk-report', (e) => {
    last = e.detail.report;
  });
  const ready = new Promise((resolve) => {
    const poll = () =>
      el.shadowRoot?.querySelector('[data-state="empty"]') ? resolve() : setTimeout(poll, 5);
    poll();
  });
  document.body.append(el);
  await ready;
  splits.widget_start_ms = performance.now() - t0;
}

let loading = null;
let ingest = null;

/** From the drop until the worker has parsed the last slice (it then computes the report). */
export function ingestSpan() {
  return ingest && ingest[1] ? ingest : null;
}

export async function load(file) {
  ingest = [performance.now(), null];
  const parsed = (e) => {
    if (e.detail.phase === 'parse') ingest[1] = performance.now();
  };
  el.addEventListener('tk-progress', parsed);
  const reported = new Promise((resolve) => el.addEventListener('tk-report', resolve, { once: true }));
  // The file as the drop handler gets it: a File of the fetched Blob (no copy of its bytes).
  const dropped = new File([file], 'tickets.json', { type: 'application/json' });
  loading = el.loadFiles([dropped]);
  // Read, parsed and the first report computed (in the worker): the element is now drawing.
  await Promise.race([reported, loading]);
  el.removeEventListener('tk-progress', parsed);
  return { tickets: last ? last.tiles.find((t) => t.key === 'created')?.value : null };
}

export async function first() {
  // The report shown and every chart drawn: loadFiles resolves then.
  await loading;
  return fromReport(last);
}

export async function refilter(channel) {
  const before = drawCounts();
  await el.setFilters({ channel: [channel] });
  await drawnSince(before);
  const set = fromReport(last);
  return set;
}

export function info() {
  return splits;
}
