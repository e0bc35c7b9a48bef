// Plain-JS baseline: TextDecoder + JSON.parse + loops over columns, no library. It follows the
// engine's definitions for the bench's KPI set (see bench/README.md), so its numbers must equal
// the widget's on the same file.
import { calendar, dayLabel } from '../lib/tz.mjs';
import { summary } from '../lib/stats.mjs';

const RESOLVED = new Set(['solved', 'resolved', 'done', 'closed', 'completed']);
const OPEN = new Set([
  'new', 'unassigned', 'open', 'in_progress', 'active', 'reopened', 'pending',
  'waiting_on_customer', 'awaiting_customer', 'hold', 'on_hold', 'onhold',
  'waiting_on_third_party',
]);
const AGENT = new Set(['agent', 'admin', 'staff']);
const f32 = Math.fround;
const SATISFIED_AT = f32(0.8);
const MAX_STRING = 2 ** 29 - 24;

let cols = null;
let cal = null;
let period = null;

/** Unix seconds of an ISO timestamp, NaN when absent or unreadable. */
function sec(s) {
  return typeof s === 'string' && s !== '' ? Math.floor(Date.parse(s) / 1000) : NaN;
}

/** 1 satisfied, 0 not, -1 no usable rating (the engine's rules for numeric scores). */
function rating(sat) {
  if (sat === null || typeof sat !== 'object' || sat.score == null || sat.score === '') return -1;
  const scale = sat.scale == null ? 5 : Number(sat.scale);
  if (!(scale >= 1 && scale <= 100)) return -1;
  const lowest = scale >= 10 || scale === 1 ? 0 : 1;
  const score = Number(sat.score);
  if (!(score >= lowest && score <= scale)) return -1;
  return f32(score) >= f32(f32(SATISFIED_AT * f32(scale)) - f32(1e-6)) ? 1 : 0;
}

/** UTF-16 length of UTF-8 bytes: every byte but continuations, plus one per 4-byte sequence. */
function utf16Length(bytes) {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

export async function init() {}

export async function load(file, { timezone }) {
  // The file as a dropped File is read: whole, into the page's memory.
  const buf = await file.arrayBuffer();
  // One string of the whole file: V8 caps strings at 2^29 − 24 UTF-16 units (about 512 MiB), so
  // this is where very large exports fail, as they would for any JSON.parse-based page.
  // Decoding such a file crashed the whole renderer here (Chromium 156), hence the check.
  if (buf.byteLength > MAX_STRING && utf16Length(new Uint8Array(buf)) > MAX_STRING) {
    throw new RangeError(
      `the JSON text (${Math.round(buf.byteLength / 2 ** 20)} MiB) is longer than V8's longest ` +
        'string (512 MiB): TextDecoder/JSON.parse cannot take it whole',
    );
  }
  const text = new TextDecoder().decode(buf);
  const doc = JSON.parse(text);
  const tickets = Array.isArray(doc) ? doc : doc.tickets;
  cal = calendar(doc?.dataset?.timezone || timezone);
  const n = tickets.length;
  const created = new Float64Array(n);
  const firstReply = new Float64Array(n);
  const resolved = new Float64Array(n);
  const ratedAt = new Float64Array(n);
  const sat = new Int8Array(n);
  const day = new Int32Array(n);
  const channel = new Uint16Array(n);
  const channelIds = new Map();
  const channelNames = [];
  for (let i = 0; i < n; i++) {
    const t = tickets[i];
    const c = sec(t.created_at);
    created[i] = c;
    day[i] = cal.localDay(c);
    const name = typeof t.channel === 'string' && t.channel.trim() !== ''
      ? t.channel.toLowerCase()
      : '(none)';
    let id = channelIds.get(name);
    if (id === undefined) {
      id = channelNames.length;
      channelIds.set(name, id);
      channelNames.push(name);
    }
    channel[i] = id;
    // Times before creation are ignored, as the engine's cross-check does.
    const valid = (x) => (x >= c ? x : NaN);
    let fr = valid(sec(t.first_reply_at));
    if (fr !== fr && Array.isArray(t.messages)) {
      for (const m of t.messages) {
        if (!m || !AGENT.has(String(m.author).trim().toLowerCase()) || m.public === false) continue;
        const at = sec(m.at);
        if (at >= c && !(at >= fr)) fr = at;
      }
    }
    firstReply[i] = fr;
    const solvedAt = sec(t.solved_at);
    const closedAt = sec(t.closed_at);
    const st = typeof t.status === 'string' ? t.status.trim().toLowerCase().replace(/[- ]/g, '_') : '';
    const isResolved = RESOLVED.has(st) ||
      (!OPEN.has(st) && (closedAt === closedAt || solvedAt === solvedAt));
    const s = valid(solvedAt);
    const r = isResolved ? (s === s ? s : valid(closedAt)) : NaN;
    resolved[i] = r;
    sat[i] = rating(t.satisfaction);
    const ra = sat[i] >= 0 ? sec(t.satisfaction.at) : NaN;
    ratedAt[i] = ra === ra ? ra : r === r ? r : c;
  }
  cols = { n, created, firstReply, resolved, ratedAt, sat, day, channel, channelNames };
  period = null;
  return { tickets: n };
}

/** The report period: first to last local day with a ticket created or resolved. */
function resolvePeriod() {
  if (period) return period;
  const { n, created, resolved } = cols;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = created[i];
    if (c < lo) lo = c;
    if (c > hi) hi = c;
    const r = resolved[i];
    if (r > hi) hi = r;
  }
  const firstDay = cal.localDay(lo);
  const lastDay = cal.localDay(hi);
  period = { firstDay, lastDay, start: cal.dayStart(firstDay), end: cal.dayStart(lastDay + 1) };
  return period;
}

function compute(only) {
  const { n, created, firstReply, resolved, ratedAt, sat, day, channel, channelNames } = cols;
  const { firstDay, lastDay, start, end } = resolvePeriod();
  const perDay = new Uint32Array(lastDay - firstDay + 1);
  const perChannel = new Float64Array(channelNames.length);
  const frt = channelNames.map(() => []);
  let createdN = 0;
  let solved = 0;
  let rated = 0;
  let satisfied = 0;
  for (let i = 0; i < n; i++) {
    const ch = channel[i];
    if (only >= 0 && ch !== only) continue;
    const c = created[i];
    if (c >= start && c < end) {
      createdN++;
      perDay[day[i] - firstDay]++;
      perChannel[ch]++;
      const fr = firstReply[i];
      if (fr === fr) frt[ch].push(fr - c);
    }
    const r = resolved[i];
    if (r >= start && r < end) solved++;
    if (sat[i] >= 0) {
      const rt = ratedAt[i];
      if (rt >= start && rt < end) {
        rated++;
        satisfied += sat[i];
      }
    }
  }
  const out = {
    days: Array.from(perDay, (count, k) => [dayLabel(firstDay + k), count]),
    channels: {},
    frt: {},
    resolution: { solved, created: createdN, rate: createdN ? (solved * 100) / createdN : null },
    csat: { satisfied, rated, rate: rated ? (satisfied * 100) / rated : null },
  };
  channelNames.forEach((name, ch) => {
    if (perChannel[ch] === 0) return;
    out.channels[name] = perChannel[ch];
    out.frt[name] = summary(Float64Array.from(frt[ch]));
  });
  return out;
}

export async function first() {
  return compute(-1);
}

export async function refilter(channelName) {
  const id = cols.channelNames.indexOf(channelName.toLowerCase());
  return compute(id < 0 ? 1 << 30 : id);
}
