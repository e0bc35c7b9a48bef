// The engine side of the widget: owns one wasm engine and the loaded dataset, answers the
// widget's messages. Runs in a Web Worker (engine-worker.js) so parsing and KPI computation never
// block the host page; when a page's Content-Security-Policy refuses the worker, the widget runs
// the same code on the main thread (engine-client.js).
//
// Messages in (each with an `id` but `init`):
//   {type: 'init', module, helper}      a compiled WebAssembly.Module of the engine (shared);
//                                       helper: {url, type} of this worker's script, to start
//                                       helpers that read parts of a large file in parallel
//   {id, type: 'part', blob, from, limit}   (to a helper) read the part of the file that starts
//                                       at the first ticket record from byte `from` and stops
//                                       before the first one from byte `limit` (-1: the end)
//   {id, type: 'load', sources, timezone, format, mapping, workers}
//       workers: how many workers read a large file (default: one per core; 1: no helpers)
//       sources: [{name, blob}] (File or Blob, read here in chunks) | [{name, chunks}]
//       (ArrayBuffers already downloaded) | [{name, sample: {tickets, seed}}]
//   {id, type: 'report', options}       the engine's ReportOptions
//   {id, type: 'tickets', options}      one row per ticket for those options (the CSV export)
//   {type: 'crash', how}                a test hook: 'throw' (uncaught error) or 'trap'
// Messages out:
//   {type: 'ready'} | {type: 'init-failed', message}
//   {id, type: 'progress', phase, bytes, total, records}   (records: tickets parsed so far)
//   {id, type: 'done', result} | {id, type: 'error', message, fatal}
//   (from a helper) {id, type: 'part-progress', bytes, records} | {id, type: 'done', result:
//   {part}} where part is the part's bytes for Engine.take_part, or null when no ticket record
//   starts near `from`
// `fatal` marks a wasm trap (a panic: the engine's state can no longer be trusted); the widget
// then replaces this engine with a fresh one.
import init, {
  Engine,
  LoadPart,
  check_file_size,
  panic_for_test,
  part_lookback,
  part_start,
  part_window,
  sample_export,
} from './pkg/ticket_kpis.js';

/** Bytes read per slice of a file: small enough for a progress bar that moves. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Files at least this large are read by helper workers in parallel (one per further core): below
 * it, starting a helper costs about what it saves.
 */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/** At most this many helpers per file (each holds its part's tickets until the merge). */
const MAX_HELPERS = 3;

/**
 * Slices of a Blob read ahead while the engine parses: a File's bytes come through the browser
 * process, and keeping a few reads in flight hides their latency.
 */
const READ_AHEAD = 3;

/**
 * Reads `blob` from byte `from` in CHUNK_BYTES slices, READ_AHEAD of them in flight.
 * `next()` is a promise of the next slice's ArrayBuffer, or null after the last;
 * `seek(byte)` goes on from another byte (what was read ahead is dropped).
 */
function sliceReader(blob, from) {
  let at = from;
  let queue = [];
  const fill = () => {
    while (queue.length < READ_AHEAD && at < blob.size) {
      queue.push(blob.slice(at, at + CHUNK_BYTES).arrayBuffer());
      at += CHUNK_BYTES;
    }
  };
  return {
    next() {
      fill();
      const slice = queue.shift() ?? null;
      fill();
      return slice;
    },
    seek(to) {
      queue = [];
      at = to;
    },
  };
}

/**
 * Makes the message handler. `post(message, transfer)` sends to the widget; `cancelled(id)` is
 * asked between chunks (the main-thread fallback's cancel; a worker is terminated instead).
 */
export function createEngineHost(post, cancelled = () => false) {
  let engine = null;
  let starting = null;
  let compiled = null;
  let helperScript = null;

  async function start(module) {
    await init(module ? { module_or_path: module } : undefined);
    compiled = module || null;
    engine = new Engine();
  }

  /**
   * How many helpers read a file of `size` bytes beside this engine (0: it reads alone):
   * `workers - 1` when the page asked for a number of workers, else one per further core.
   * Measured on 2 cores: 117 MB in ~0.8 s instead of ~1.0 s, 1.17 GB in ~10.7 s instead of
   * ~13.2 s (medians), at ~300 MiB more peak memory for the larger file (the helper's part).
   */
  function helpersFor(size, workers) {
    if (!helperScript || !compiled || size < PARALLEL_MIN_BYTES) return 0;
    const asked = Number.isInteger(workers) && workers >= 1;
    const cores = (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1;
    return Math.max(0, Math.min(MAX_HELPERS, (asked ? workers : cores) - 1));
  }

  /**
   * Starts a helper worker (its wasm instance is made from the compiled module at once, while
   * this engine reads the file's first slice). `helper.read(blob, from, limit, onProgress)`
   * resolves to the bytes of the part of `blob` from byte `from` to `limit` (see
   * src/ingest/parallel.rs), or to null if the helper could not start, found no record start
   * or failed: the engine then reads that part itself. `helper.stop()` ends it.
   */
  function startHelper() {
    let worker = null;
    let resolveReady;
    const ready = new Promise((resolve) => {
      resolveReady = resolve;
    });
    let settle = () => {};
    let onProgressOf = () => {};
    try {
      worker = new Worker(helperScript.url, { type: helperScript.type, name: 'ticket-kpis helper' });
      worker.addEventListener('message', (e) => {
        const m = e.data;
        if (m.type === 'ready') resolveReady(true);
        else if (m.type === 'init-failed') resolveReady(false);
        else if (m.type === 'part-progress') onProgressOf(m);
        else if (m.type === 'done') settle(m.result.part);
        else if (m.type === 'error') settle(null);
      });
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        resolveReady(false);
        settle(null);
      });
      worker.postMessage({ type: 'init', module: compiled });
    } catch {
      resolveReady(false);
    }
    const stop = () => {
      if (worker) worker.terminate();
      worker = null;
    };
    const read = (blob, from, limit, onProgress) =>
      new Promise((resolve) => {
        settle = (part) => {
          stop();
          resolve(part);
        };
        onProgressOf = onProgress;
        ready.then((ok) => {
          if (ok && worker) worker.postMessage({ id: 1, type: 'part', blob, from, limit });
          else settle(null);
        });
      });
    return { read, stop };
  }

  /** A helper's work: one part of a file, as bytes for the main engine's take_part. */
  async function readPart(msg) {
    const { id, blob, from, limit } = msg;
    const first = Math.max(0, from - part_lookback());
    const window = new Uint8Array(await blob.slice(first, from + part_window()).arrayBuffer());
    const found = part_start(window, from - first);
    if (found < 0) return { part: null };
    const start = first + found;
    const reader = new LoadPart(start, limit);
    const slices = sliceReader(blob, start);
    for (let at = start; at < blob.size; at += CHUNK_BYTES) {
      const buffer = await slices.next();
      const stopped = reader.push(new Uint8Array(buffer));
      post({ id, type: 'part-progress', bytes: at + buffer.byteLength - start, records: reader.records() });
      if (stopped) break;
    }
    const part = reader.finish();
    return { part, transfer: [part.buffer] };
  }

  async function readBlob(id, blob, done, total) {
    const out = new Uint8Array(blob.size);
    for (let at = 0; at < blob.size; at += CHUNK_BYTES) {
      if (cancelled(id)) throw new Error('cancelled');
      const part = new Uint8Array(await blob.slice(at, at + CHUNK_BYTES).arrayBuffer());
      out.set(part, at);
      post({ id, type: 'progress', phase: 'read', bytes: done + at + part.length, total });
    }
    return out;
  }

  function concat(chunks) {
    let size = 0;
    for (const c of chunks) size += c.byteLength;
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      out.set(new Uint8Array(c), at);
      at += c.byteLength;
    }
    return out;
  }

  /**
   * Streams one source into the engine: each slice of the file goes to the engine as soon as it
   * is read, and the engine parses the tickets it completes (canonical JSON is never held whole,
   * neither here nor in wasm memory). The next slice is read while the engine parses this one.
   */
  async function streamSource(id, s, msg) {
    let size;
    // next(): a promise of the file's next slice (an ArrayBuffer), or null after the last one;
    // nextFrom(byte): the same, reading on from that byte (after the helpers' parts).
    let next;
    let nextFrom = null;
    let blob = s.blob;
    if (s.blob) {
      size = s.blob.size;
      const slices = sliceReader(s.blob, 0);
      next = () => slices.next();
      nextFrom = (from) => {
        slices.seek(from);
        return slices.next();
      };
    } else if (s.chunks) {
      size = s.chunks.reduce((n, c) => n + c.byteLength, 0);
      let i = 0;
      next = () => (i < s.chunks.length ? Promise.resolve(s.chunks[i++]) : null);
      blob = new Blob(s.chunks);
    } else if (s.sample) {
      const text = sample_export(s.sample.tickets, s.sample.seed);
      const bytes = new TextEncoder().encode(text);
      size = bytes.length;
      let given = false;
      next = () => (given ? null : ((given = true), Promise.resolve(bytes.buffer)));
      // Kept for "Download sample" and for reading it again with another format.
      blob = new Blob([bytes], { type: 'application/json' });
    } else {
      throw new Error(`nothing to read for ${s.name}`);
    }
    engine.begin_load(s.name, size, msg.timezone, msg.format || null, msg.mapping || null);
    const t0 = performance.now();
    let done = 0;
    let records = 0;
    // Helpers read the later parts of a large file while this engine reads the first; their
    // bytes and records count in the progress as they go. They start once the first slice
    // has shown that the file is canonical JSON, which is read as a stream (another format
    // is read whole, by this engine alone).
    let helpers = s.blob && !msg.format ? helpersFor(size, msg.workers) : 0;
    const parallel = { helpers: 0, taken: 0 };
    const helped = [];
    let parts = null;
    // The helpers start now and are given their parts once the first slice has shown that
    // the file streams. This engine's share is a little larger than a helper's: a helper
    // starts later and sends its part as bytes at the end.
    const team = helpers > 0 ? Array.from({ length: helpers }, startHelper) : [];
    function startHelpers() {
      parallel.helpers = helpers;
      const weight = 1.2;
      const cuts = team.map((_, i) => Math.floor((size * (weight + i)) / (weight + helpers)));
      engine.split_load_at(cuts[0]);
      parts = team.map((helper, i) => {
        helped[i] = { bytes: 0, records: 0 };
        return helper.read(s.blob, cuts[i], i + 1 < cuts.length ? cuts[i + 1] : -1, (m) => {
          helped[i] = m;
          progress();
        });
      });
    }
    function progress() {
      let bytes = done;
      let count = records;
      if (parts) {
        for (const h of helped) {
          bytes += h.bytes;
          count += h.records;
        }
      }
      post({ id, type: 'progress', phase: 'read', bytes: Math.min(bytes, size), total: size, records: count });
    }
    try {
      // The next slice is read while the engine parses this one.
      let pending = next();
      while (pending) {
        const buffer = await pending;
        pending = next();
        if (cancelled(id)) throw new Error('cancelled');
        const part = new Uint8Array(buffer);
        records = engine.feed(part);
        done += part.length;
        if (helpers > 0 && !parts) {
          if (engine.load_streams()) startHelpers();
          else for (const helper of team) helper.stop();
          helpers = 0;
        }
        if (parts && engine.load_stopped_at() >= 0) {
          // This engine reached the first helper's part: take the parts in order, as far as
          // each starts where the last stopped, then read on after them (or, if none fit,
          // from here).
          const results = await Promise.all(parts);
          parts = null;
          for (const p of results) {
            if (!p || !engine.take_part(p)) break;
            parallel.taken += 1;
          }
          const from = engine.resume_load();
          if (from >= 0) {
            done = from;
            pending = nextFrom(from);
          }
        }
        progress();
      }
      if (cancelled(id)) throw new Error('cancelled');
      post({ id, type: 'progress', phase: 'parse', bytes: size, total: size, records });
      const imp = engine.finish_load();
      return { imp, size, blob, parseMs: performance.now() - t0, parallel };
    } catch (e) {
      engine.cancel_load();
      throw e;
    } finally {
      for (const helper of team) helper.stop();
    }
  }

  async function load(msg) {
    const { id, sources } = msg;
    if (sources.length === 1) {
      const s = sources[0];
      const { imp, size, blob, parseMs, parallel } = await streamSource(id, s, msg);
      const keep = [{ name: s.name, blob, ...(s.sample ? { sample: s.sample } : {}) }];
      return { import: imp, info: datasetInfo(), keep, bytes: size, parseMs, parallel };
    }
    const total = sources.reduce((n, s) => n + (s.blob ? s.blob.size : 0), 0);
    const names = [];
    const contents = [];
    const keep = [];
    let done = 0;
    for (const s of sources) {
      let bytes;
      if (s.blob) {
        bytes = await readBlob(id, s.blob, done, total);
        done += bytes.length;
        keep.push({ name: s.name, blob: s.blob });
      } else if (s.chunks) {
        bytes = concat(s.chunks);
        keep.push({ name: s.name, blob: new Blob(s.chunks) });
      } else if (s.sample) {
        const text = sample_export(s.sample.tickets, s.sample.seed);
        bytes = new TextEncoder().encode(text);
        keep.push({ name: s.name, sample: s.sample, blob: new Blob([bytes], { type: 'application/json' }) });
      } else {
        throw new Error(`nothing to read for ${s.name}`);
      }
      names.push(s.name);
      contents.push(bytes);
    }
    if (cancelled(id)) throw new Error('cancelled');
    const size = contents.reduce((n, c) => n + c.length, 0);
    post({ id, type: 'progress', phase: 'parse', bytes: size, total: size });
    const t0 = performance.now();
    const imp = engine.load_files(names, contents, msg.timezone, msg.format || null, msg.mapping || null);
    const parseMs = performance.now() - t0;
    return { import: imp, info: datasetInfo(), keep, bytes: size, parseMs };
  }

  function datasetInfo() {
    try {
      return engine.dataset_info();
    } catch {
      return null; // no dataset info
    }
  }

  async function handle(msg) {
    if (msg.type === 'init') {
      helperScript = msg.helper || null;
      starting = start(msg.module);
      try {
        await starting;
        post({ type: 'ready' });
      } catch (e) {
        post({ type: 'init-failed', message: messageOf(e) });
      }
      return;
    }
    if (msg.type === 'crash') {
      // Test hook: an uncaught error (the worker's 'error' event) or a wasm trap.
      if (msg.how === 'trap') {
        // A real panic in the engine (a Rust panic is a wasm trap), as a bug would raise.
        try {
          panic_for_test('engine panic requested by a test');
        } catch (e) {
          post({ id: msg.id, type: 'error', message: messageOf(e), fatal: true });
        }
      } else {
        setTimeout(() => {
          throw new Error('simulated engine crash');
        }, 0);
      }
      return;
    }
    const { id } = msg;
    try {
      if (!engine) await starting;
      if (!engine) throw new Error('the engine did not start');
      let result;
      if (msg.type === 'load') result = await load(msg);
      else if (msg.type === 'part') {
        const { part, transfer } = await readPart(msg);
        post({ id, type: 'done', result: { part } }, transfer);
        return;
      }
      else if (msg.type === 'report') {
        const t0 = performance.now();
        result = { report: engine.report(msg.options || {}), ms: performance.now() - t0 };
      } else if (msg.type === 'tickets') result = { rows: engine.ticket_rows(msg.options || {}) };
      else throw new Error(`unknown message ${msg.type}`);
      post({ id, type: 'done', result });
    } catch (e) {
      post({ id, type: 'error', message: messageOf(e), fatal: e instanceof WebAssembly.RuntimeError });
    }
  }

  return handle;
}

export { check_file_size };

export function messageOf(e) {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}
