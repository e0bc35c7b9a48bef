// Browser side of the benchmark: one contender per page. The steps fetch the data file as a
// Blob (as a dropped file is: its bytes are not in the page's heap until read), then time the
// contender's load (reading the Blob included), first result (the whole KPI set), and the
// re-filter (one channel, the KPI set again) `refilterRuns` times. `run` does them all and
// returns the timings, the longest main-thread task, and the KPI sets (unfiltered and per
// channel) for the agreement check done by bench/run.mjs; the runner calls the steps one by
// one when it profiles them.

const longTasks = [];
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // No long-task timing in this browser: the column stays empty.
}

const now = () => performance.now();
const pause = () => new Promise((r) => setTimeout(r, 0));

let mod = null;
let buf = null;
let opts = null;
let out = null;
let t0 = 0;

async function guarded(stage, fn) {
  if (out.error) return out;
  out.stage = stage;
  // The runner follows the stage here: a crashed renderer returns nothing.
  console.debug(`bench-stage:${stage}`);
  try {
    await fn();
  } catch (e) {
    out.error = `${e && e.name ? e.name + ': ' : ''}${e && e.message ? e.message : String(e)}`;
  }
  return out;
}

/** Imports and initialises the contender, fetches the data. */
export async function prepare(options) {
  opts = { refilterRuns: 20, draw: false, ...options };
  out = { contender: opts.contender, timings: {}, error: null, stage: 'import' };
  await guarded('import', async () => {
    mod = await import(`./contenders/${opts.contender}.mjs`);
  });
  await guarded('init', async () => {
    const t = now();
    await mod.init();
    out.timings.init = now() - t;
  });
  await guarded('fetch', async () => {
    const t = now();
    buf = await (await fetch(opts.dataUrl)).blob();
    out.timings.fetch = now() - t;
    out.bytes = buf.size;
  });
  // Long tasks are counted from here: the load step runs in a later task.
  t0 = now();
  await pause();
  return out.error ? out : { ok: true };
}

let loadSpan = null;

export async function load() {
  await guarded('load', async () => {
    const t = now();
    out.load = await mod.load(buf, { timezone: opts.timezone });
    out.timings.load = now() - t;
    loadSpan = [t, now()];
    buf = null;
  });
  await pause();
  return out.error ? out : { ok: true };
}

export async function first() {
  await guarded('first', async () => {
    const t = now();
    out.kpis = { all: await mod.first(), byChannel: {} };
    out.timings.first = now() - t;
  });
  await pause();
  return out.error ? out : { ok: true };
}

export async function refilter() {
  await guarded('refilter', async () => {
    const channels = Object.keys(out.kpis.all.channels).sort();
    const times = [];
    for (let i = 0; i < opts.refilterRuns; i++) {
      const c = channels[i % channels.length];
      const t = now();
      const r = await mod.refilter(c);
      times.push(now() - t);
      if (!(c in out.kpis.byChannel)) out.kpis.byChannel[c] = r;
      await pause();
    }
    out.timings.refilter = times;
  });
  return out.error ? out : { ok: true };
}

/** The results so far (after the last step). */
export async function finish() {
  await guarded('extra', async () => {
    if (opts.draw && mod.draw) out.timings.draw = await mod.draw();
  });
  if (mod && mod.info) out.info = mod.info();
  if (!out.error) out.stage = 'done';
  await pause();
  out.longestTask = longTasks.filter((e) => e.start >= t0).reduce((m, e) => Math.max(m, e.ms), 0);
  // During the ingest only: the load step, or what the contender says its ingest was (the
  // widget: from the drop until its worker has read and parsed the last slice).
  if (mod && mod.ingestSpan && mod.ingestSpan()) loadSpan = mod.ingestSpan();
  out.longestIngestTask = loadSpan
    ? longTasks
        .filter((e) => e.start + e.ms > loadSpan[0] && e.start < loadSpan[1])
        .reduce((m, e) => Math.max(m, e.ms), 0)
    : null;
  return out;
}

export async function run(options) {
  await prepare(options);
  await load();
  await first();
  await refilter();
  return finish();
}
