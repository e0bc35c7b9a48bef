// DuckDB-WASM (npm `@duckdb/duckdb-wasm`), served from node_modules: duckdb-browser.mjs on the
// page (it imports `apache-arrow`, mapped by bench/page.html's import map), the eh or mvp worker
// and its .wasm. Nothing is fetched from extension repositories: autoload/autoinstall are
// switched off, so only what is built into the bundle can run (see `info()` for the JSON
// extension probe). Input: the CSV made by bench/to-csv.mjs. The ICU extension is not built in
// either: timestamps' offsets are parsed by hand, and local days in the dataset's zone come from
// the browser's Intl as an offset table.
import * as duckdb from '/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
import { calendar, dayLabel, transitions } from '../lib/tz.mjs';

const DIST = new URL('/node_modules/@duckdb/duckdb-wasm/dist/', location.href).href;
let db = null;
let conn = null;
let period = null;
const facts = {};

async function rows(sql) {
  const t = await conn.query(sql);
  return t.toArray().map((r) => {
    const o = r.toJSON();
    for (const k in o) if (typeof o[k] === 'bigint') o[k] = Number(o[k]);
    return o;
  });
}

const quote = (s) => `'${String(s).replaceAll("'", "''")}'`;

export async function init() {
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: DIST + 'duckdb-mvp.wasm', mainWorker: DIST + 'duckdb-browser-mvp.worker.js' },
    eh: { mainModule: DIST + 'duckdb-eh.wasm', mainWorker: DIST + 'duckdb-browser-eh.worker.js' },
  });
  facts.bundle = bundle.mainModule.split('/').pop();
  const worker = new Worker(bundle.mainWorker);
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  conn = await db.connect();
  await conn.query('SET autoinstall_known_extensions = false');
  await conn.query('SET autoload_known_extensions = false');
  facts.version = (await rows('SELECT version() AS v'))[0].v;
  // Is JSON reading built in (it cannot be downloaded here)?
  try {
    await db.registerFileText('probe.json', '[{"a": 1}]');
    facts.json = (await rows("SELECT a FROM read_json('probe.json')"))[0].a === 1 ? 'built in' : '?';
  } catch (e) {
    facts.json = `unavailable: ${String(e.message || e).split('\n')[0]}`;
  }
}

export async function load(file, { timezone }) {
  // The file as a dropped File is read: whole, into the page's memory.
  const buf = await file.arrayBuffer();
  await db.registerFileBuffer('tickets.csv', new Uint8Array(buf));
  // ISO 8601 with an offset → Unix seconds. Without ICU, DuckDB's casts drop the offset (and
  // TIMESTAMPTZ functions need the extension), so the offset is read by hand.
  const ts = (c) => `epoch(substr(${c}, 1, 19)::TIMESTAMP)::BIGINT - CASE
      WHEN substr(${c}, 20, 1) IN ('+', '-') THEN (CASE substr(${c}, 20, 1) WHEN '+' THEN 1 ELSE -1 END)
        * (substr(${c}, 21, 2)::INTEGER * 3600 + substr(${c}, 24, 2)::INTEGER * 60)
      ELSE 0 END`;
  await conn.query(`
    CREATE OR REPLACE TABLE raw AS
    SELECT
      coalesce(nullif(lower(trim(channel)), ''), '(none)') AS channel,
      ${ts('created_at')} AS created,
      ${ts('first_reply_at')} AS fr,
      ${ts('solved_at')} AS solved_at,
      ${ts('closed_at')} AS closed_at,
      ${ts('satisfaction_at')} AS rating_at,
      replace(replace(lower(trim(coalesce(status, ''))), '-', '_'), ' ', '_') AS st,
      satisfaction_score AS score,
      coalesce(satisfaction_scale, 5) AS scale
    FROM read_csv('tickets.csv', header = true, auto_detect = false, columns = {
      'id': 'VARCHAR', 'created_at': 'VARCHAR', 'channel': 'VARCHAR', 'status': 'VARCHAR',
      'first_reply_at': 'VARCHAR', 'solved_at': 'VARCHAR', 'closed_at': 'VARCHAR',
      'satisfaction_score': 'DOUBLE', 'satisfaction_scale': 'DOUBLE', 'satisfaction_at': 'VARCHAR'
    })`);
  await conn.query(`
    CREATE OR REPLACE TABLE t0 AS
    WITH v AS (
      SELECT *,
        CASE WHEN fr >= created THEN fr END AS first_reply,
        CASE WHEN solved_at >= created THEN solved_at END AS solved_ok,
        CASE WHEN closed_at >= created THEN closed_at END AS closed_ok,
        (st IN ('solved', 'resolved', 'done', 'closed', 'completed')
          OR (st NOT IN ('new', 'unassigned', 'open', 'in_progress', 'active', 'reopened',
                         'pending', 'waiting_on_customer', 'awaiting_customer', 'hold',
                         'on_hold', 'onhold', 'waiting_on_third_party')
              AND (solved_at IS NOT NULL OR closed_at IS NOT NULL))) AS is_resolved,
        CASE
          WHEN score IS NULL OR NOT (scale BETWEEN 1 AND 100) THEN NULL
          WHEN score < (CASE WHEN scale >= 10 OR scale = 1 THEN 0 ELSE 1 END) OR score > scale THEN NULL
          ELSE score::FLOAT >= (0.8::FLOAT * scale::FLOAT - 0.000001::FLOAT)
        END AS sat
      FROM raw
    ), w AS (
      SELECT *, CASE WHEN is_resolved THEN coalesce(solved_ok, closed_ok) END AS resolved FROM v
    )
    SELECT channel, created, first_reply - created AS frt, resolved, sat,
      coalesce(rating_at, resolved, created) AS rated_at
    FROM w`);
  await conn.query('DROP TABLE raw');
  await db.dropFile('tickets.csv');
  // Local day of creation: the zone's offsets over the data's span, from Intl, as a CASE.
  const span = (await rows(
    'SELECT min(created) AS lo, max(created) AS hi, max(resolved) AS hr, count(*) AS n FROM t0',
  ))[0];
  const hi = span.hr != null && span.hr > span.hi ? span.hr : span.hi;
  const steps = transitions(timezone, span.lo - 86_400, hi + 86_400);
  let offset = String(steps[steps.length - 1][1]);
  for (let i = steps.length - 1; i >= 1; i--) {
    offset = `CASE WHEN created < ${steps[i][0]} THEN ${steps[i - 1][1]} ELSE ${offset} END`;
  }
  await conn.query(`CREATE OR REPLACE TABLE t AS
    SELECT *, floor((created + ${offset}) / 86400)::INTEGER AS day FROM t0`);
  await conn.query('DROP TABLE t0');
  const cal = calendar(timezone);
  const firstDay = cal.localDay(span.lo);
  const lastDay = cal.localDay(hi);
  period = { firstDay, lastDay, start: cal.dayStart(firstDay), end: cal.dayStart(lastDay + 1) };
  return { tickets: span.n };
}

async function compute(channel) {
  const { firstDay, lastDay, start, end } = period;
  const only = channel == null ? 'TRUE' : `channel = ${quote(channel)}`;
  const inPeriod = `${only} AND created >= ${start} AND created < ${end}`;
  const perDay = new Map(
    (await rows(`SELECT day, count(*) AS n FROM t WHERE ${inPeriod} GROUP BY day`)).map((r) => [
      r.day,
      r.n,
    ]),
  );
  const byChannel = await rows(`
    SELECT channel, count(*) AS n, count(frt) AS replied,
      quantile_cont(frt, 0.5) AS median, quantile_cont(frt, 0.9) AS p90
    FROM t WHERE ${inPeriod} GROUP BY channel`);
  const totals = (await rows(`
    SELECT
      count(*) FILTER (WHERE created >= ${start} AND created < ${end}) AS created,
      count(*) FILTER (WHERE resolved >= ${start} AND resolved < ${end}) AS solved,
      count(sat) FILTER (WHERE rated_at >= ${start} AND rated_at < ${end}) AS rated,
      count(*) FILTER (WHERE sat AND rated_at >= ${start} AND rated_at < ${end}) AS satisfied
    FROM t WHERE ${only}`))[0];
  const out = {
    days: [],
    channels: {},
    frt: {},
    resolution: {
      solved: totals.solved,
      created: totals.created,
      rate: totals.created ? (totals.solved * 100) / totals.created : null,
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

export function info() {
  return facts;
}
