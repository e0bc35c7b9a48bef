#!/usr/bin/env node
// Streams a gen-sample export (JSON envelope or NDJSON: one ticket object per line) into a CSV
// with one row per ticket and the columns the bench's KPI set needs:
//   id, created_at, channel, status, first_reply_at, solved_at, closed_at,
//   satisfaction_score, satisfaction_scale, satisfaction_at
// Timestamps are copied as written (ISO 8601 with their offset). A ticket without
// first_reply_at gets its first public agent message instead (what a help desk's CSV export
// reports as the first reply); the count of such tickets is printed.
//
//   node bench/to-csv.mjs IN.json OUT.csv
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node bench/to-csv.mjs IN.json OUT.csv');
  process.exit(2);
}

const COLUMNS = [
  'id', 'created_at', 'channel', 'status', 'first_reply_at', 'solved_at', 'closed_at',
  'satisfaction_score', 'satisfaction_scale', 'satisfaction_at',
];
const AGENT = new Set(['agent', 'admin', 'staff']);

function cell(v) {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function firstReply(t) {
  if (t.first_reply_at) return [t.first_reply_at, false];
  const created = Date.parse(t.created_at);
  let best = null;
  for (const m of Array.isArray(t.messages) ? t.messages : []) {
    if (!m || !AGENT.has(String(m.author).toLowerCase()) || m.public === false) continue;
    const at = Date.parse(m.at);
    if (at >= created && (best === null || at < best[0])) best = [at, m.at];
  }
  return best ? [best[1], true] : [null, false];
}

const out = createWriteStream(output);
const write = (s) => (out.write(s) ? null : new Promise((r) => out.once('drain', r)));
await write(COLUMNS.join(',') + '\n');
let tickets = 0;
let filled = 0;
const lines = createInterface({ input: createReadStream(input), crlfDelay: Infinity });
for await (const raw of lines) {
  let line = raw.trim();
  // Ticket objects are one per line in gen-sample's layout; envelope lines are skipped.
  if (!line.startsWith('{"')) continue;
  if (line.endsWith(',')) line = line.slice(0, -1);
  const t = JSON.parse(line);
  if (typeof t.created_at !== 'string') continue;
  const [fr, derived] = firstReply(t);
  filled += derived;
  const sat = t.satisfaction && typeof t.satisfaction === 'object' ? t.satisfaction : {};
  const row = [
    t.id, t.created_at, t.channel, t.status, fr, t.solved_at, t.closed_at,
    sat.score, sat.score != null ? (sat.scale ?? 5) : null, sat.score != null ? sat.at : null,
  ];
  const p = write(row.map(cell).join(',') + '\n');
  if (p) await p;
  tickets++;
}
await new Promise((r) => out.end(r));
if (tickets === 0) {
  console.error(`to-csv: no tickets found in ${input} (expected gen-sample output)`);
  process.exit(1);
}
console.log(`to-csv: ${tickets} tickets${filled ? `, ${filled} first replies from messages` : ''}`);
