// Arquero (npm `arquero`), loaded without a bundler: dist/arquero.min.js is a UMD build with its
// dependencies (flechette, acorn) inlined, so a classic <script> gives `window.aq`. (The
// package's ES entry, src/index.js, imports bare specifiers and relies on the `browser` field.)
// Input: the CSV made by bench/to-csv.mjs, parsed by aq.fromCSV with per-column parsers.
import { calendar, dayLabel } from '../lib/tz.mjs';

let aq = null;
let op = null;
let table = null;
let period = null;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

const sec = (s) => (s ? Math.floor(Date.parse(s) / 1000) : null);
const num = (s) => (s === '' ? null : Number(s));
const f32 = Math.fround;
const RESOLVED = ['solved', 'resolved', 'done', 'closed', 'completed'];
const OPEN = [
  'new', 'unassigned', 'open', 'in_progress', 'active', 'reopened', 'pending',
  'waiting_on_customer', 'awaiting_customer', 'hold', 'on_hold', 'onhold',
  'waiting_on_third_party',
];

export async function init() {
  await loadScript('/node_modules/arquero/dist/arquero.min.js');
  aq = window.aq;
  op = aq.op;
}

export async function load(file, { timezone }) {
  // The file as a dropped File is read: whole, into the page's memory.
  const buf = await file.arrayBuffer();
  const text = new TextDecoder().decode(buf);
  const cal = calendar(timezone);
  // Helpers the table expressions call (Arquero compiles expressions; plain JS needs op.*).
  aq.addFunction('local_day', (t) => cal.localDay(t), { override: true });
  aq.addFunction('status_resolved', (st, solved, closed) => {
    const s = (st || '').trim().toLowerCase().replace(/[- ]/g, '_');
    return RESOLVED.includes(s) || (!OPEN.includes(s) && (solved != null || closed != null));
  }, { override: true });
  aq.addFunction('satisfied', (score, scale) => {
    const sc = scale == null ? 5 : scale;
    if (score == null || !(sc >= 1 && sc <= 100)) return null;
    const lowest = sc >= 10 || sc === 1 ? 0 : 1;
    if (!(score >= lowest && score <= sc)) return null;
    return f32(score) >= f32(f32(f32(0.8) * f32(sc)) - f32(1e-6)) ? 1 : 0;
  }, { override: true });
  const raw = aq.fromCSV(text, {
    autoType: false,
    parse: {
      created_at: sec,
      first_reply_at: sec,
      solved_at: sec,
      closed_at: sec,
      satisfaction_at: sec,
      satisfaction_score: num,
      satisfaction_scale: num,
    },
  });
  table = raw
    .derive({
      channel: (d) => (d.channel ? op.lower(d.channel) : '(none)'),
      created: (d) => d.created_at,
      day: (d) => op.local_day(d.created_at),
      first_reply: (d) =>
        d.first_reply_at != null && d.first_reply_at >= d.created_at ? d.first_reply_at : null,
      solved_ok: (d) => (d.solved_at != null && d.solved_at >= d.created_at ? d.solved_at : null),
      closed_ok: (d) => (d.closed_at != null && d.closed_at >= d.created_at ? d.closed_at : null),
      is_resolved: (d) => op.status_resolved(d.status, d.solved_at, d.closed_at),
      sat: (d) => op.satisfied(d.satisfaction_score, d.satisfaction_scale),
    })
    .derive({
      resolved: (d) => (d.is_resolved ? (d.solved_ok != null ? d.solved_ok : d.closed_ok) : null),
    })
    .derive({
      rated_at: (d) =>
        d.satisfaction_at != null ? d.satisfaction_at : d.resolved != null ? d.resolved : d.created,
      frt: (d) => (d.first_reply != null ? d.first_reply - d.created : null),
    })
    .select('channel', 'created', 'day', 'frt', 'resolved', 'sat', 'rated_at');
  const lo = table
    .rollup({ lo: op.min('created'), hi: op.max('created'), hr: op.max('resolved') })
    .object();
  const hi = lo.hr != null && lo.hr > lo.hi ? lo.hr : lo.hi;
  const firstDay = cal.localDay(lo.lo);
  const lastDay = cal.localDay(hi);
  period = { firstDay, lastDay, start: cal.dayStart(firstDay), end: cal.dayStart(lastDay + 1) };
  return { tickets: table.numRows() };
}

function compute(channel) {
  const { firstDay, lastDay, start, end } = period;
  let t = table.params({ start, end, channel });
  if (channel != null) t = t.filter((d, $) => d.channel === $.channel);
  const inPeriod = t.filter((d, $) => d.created >= $.start && d.created < $.end);
  const perDay = new Map(
    inPeriod.groupby('day').count().objects().map((r) => [r.day, r.count]),
  );
  const byChannel = inPeriod
    .groupby('channel')
    .rollup({
      n: op.count(),
      replied: op.valid('frt'),
      median: op.median('frt'),
      p90: op.quantile('frt', 0.9),
    })
    .objects();
  const totals = t
    .rollup({
      solved: (d, $) =>
        op.sum(d.resolved != null && d.resolved >= $.start && d.resolved < $.end ? 1 : 0),
      rated: (d, $) =>
        op.sum(d.sat != null && d.rated_at >= $.start && d.rated_at < $.end ? 1 : 0),
      satisfied: (d, $) =>
        op.sum(d.sat === 1 && d.rated_at >= $.start && d.rated_at < $.end ? 1 : 0),
    })
    .object();
  const created = inPeriod.numRows();
  const out = {
    days: [],
    channels: {},
    frt: {},
    resolution: {
      solved: totals.solved,
      created,
      rate: created ? (totals.solved * 100) / created : null,
    },
    csat: {
      satisfied: totals.satisfied,
      rated: totals.rated,
      rate: totals.rated ? (totals.satisfied * 100) / totals.rated : null,
    },
  };
  for (let d = firstDay; d <= lastDay; d++) out.days.push([dayLabel(d), perDay.get(d) || 0]);
  for (const r of byChannel) {
    out.channels[r.channel] = r.n;
    out.frt[r.channel] = r.replied ? { count: r.replied, median: r.median, p90: r.p90 } : null;
  }
  return out;
}

export async function first() {
  return compute(null);
}

export async function refilter(channel) {
  return compute(channel);
}
