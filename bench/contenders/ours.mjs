// The widget's engine (www/pkg, built by scripts/build.sh): the file streamed in once
// (Engine.begin_load / feed / finish_load, as the widget's worker does), Engine.report per view. The report has FRT median and p90 for the whole selection but only the median per
// channel (breakdown rows), so the first dashboard's "p90 FRT by channel" takes one filtered
// report per channel; `splits` says how long the single grouped report took.
import initWasm, { Engine } from '/www/pkg/ticket_kpis.js';

let engine = null;
const splits = {};

export async function init() {
  const t0 = performance.now();
  await initWasm();
  engine = new Engine();
  splits.wasm_init_ms = performance.now() - t0;
}

/** Bytes read per slice of the file, as the widget's worker reads a dropped file. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export async function load(file, { timezone }) {
  // As the widget does: the file is read slice by slice and each slice is parsed as it comes
  // (the next slice is read while this one is parsed); the whole file is never in memory.
  engine.begin_load('tickets', file.size, timezone, null, null);
  let next = file.slice(0, CHUNK_BYTES).arrayBuffer();
  for (let at = 0; at < file.size; at += CHUNK_BYTES) {
    const part = new Uint8Array(await next);
    if (at + CHUNK_BYTES < file.size) next = file.slice(at + CHUNK_BYTES, at + 2 * CHUNK_BYTES).arrayBuffer();
    engine.feed(part);
  }
  const imp = engine.finish_load();
  return {
    tickets: imp.tickets,
    format: imp.format,
    warnings: imp.warnings.length,
    csv_mapping: imp.csv ? imp.csv.mapping : undefined,
  };
}

const kpi = (r, key) => r.kpis.find((k) => k.key === key);

function frtOf(r) {
  const s = kpi(r, 'frt').summary;
  return s ? { count: s.count, median: s.median, p90: s.p90 } : null;
}

/** The bench's KPI set from a report (FRT per channel left to the caller). */
function fromReport(r) {
  const rate = (key, a, b) => {
    const k = kpi(r, key);
    const ratio = k.ratio || { numerator: 0, denominator: 0 };
    return { [a]: ratio.numerator, [b]: ratio.denominator, rate: k.value ?? null };
  };
  const res = rate('resolution_rate', 'solved', 'created');
  const csat = rate('csat', 'satisfied', 'rated');
  return {
    days: r.series.labels.map((l, i) => [l, r.series.created[i]]),
    channels: Object.fromEntries(r.channels.map((c) => [c.name, c.count])),
    frt: {},
    resolution: res,
    csat,
  };
}

export async function first() {
  const t0 = performance.now();
  const r = engine.report({ bucket: 'day', group_by: 'channel' });
  splits.grouped_report_ms = performance.now() - t0;
  const set = fromReport(r);
  const b = r.breakdown;
  const frtCol = b.keys.indexOf('frt');
  const medians = Object.fromEntries(b.rows.map((row) => [row.name, row.values[frtCol]]));
  const t1 = performance.now();
  for (const { name } of r.channels) {
    const rc = engine.report({ bucket: 'day', filters: { channel: [name] } });
    set.frt[name] = frtOf(rc);
    // The breakdown's median and the filtered report's must agree.
    if ((medians[name] ?? null) !== (set.frt[name]?.median ?? null)) {
      splits.breakdown_mismatch = `${name}: breakdown ${medians[name]} vs filtered ${set.frt[name]?.median}`;
    }
  }
  splits.per_channel_reports_ms = performance.now() - t1;
  return set;
}

export async function refilter(channel) {
  const r = engine.report({ bucket: 'day', filters: { channel: [channel] } });
  const set = fromReport(r);
  set.frt[channel] = set.channels[channel] ? frtOf(r) : undefined;
  if (set.frt[channel] === undefined) delete set.frt[channel];
  return set;
}

export function info() {
  return splits;
}

/** Draws the page's charts once (volume, channels, frt) into an offscreen-sized canvas. */
export async function draw() {
  engine.report({ bucket: 'day' });
  const canvas = document.createElement('canvas');
  canvas.width = 800;
  canvas.height = 300;
  document.body.append(canvas);
  const t0 = performance.now();
  for (const kind of ['volume', 'channels', 'frt', 'backlog', 'heatmap', 'satisfaction']) {
    engine.draw(kind, canvas, 1, kind, 'no data');
  }
  canvas.remove();
  return performance.now() - t0;
}
