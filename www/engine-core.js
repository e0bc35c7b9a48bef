// The engine side of the widget: owns one wasm engine and the loaded dataset, answers the
// widget's messages. Runs in a Web Worker (engine-worker.js) so parsing and KPI computation never
// block the host page; when a page's Content-Security-Policy refuses the worker, the widget runs
// the same code on the main thread (engine-client.js).
//
// Messages in (each with an `id` but `init`):
//   {type: 'init', module}              a compiled WebAssembly.Module of the engine (shared)
//   {id, type: 'load', sources, timezone, format, mapping}
//       sources: [{name, blob}] (File or Blob, read here in chunks) | [{name, chunks}]
//       (ArrayBuffers already downloaded) | [{name, sample: {tickets, seed}}]
//   {id, type: 'report', options}       the engine's ReportOptions
//   {id, type: 'tickets', options}      one row per ticket for those options (the CSV export)
//   {type: 'crash', how}                a test hook: 'throw' (uncaught error) or 'trap'
// Messages out:
//   {type: 'ready'} | {type: 'init-failed', message}
//   {id, type: 'progress', phase, bytes, total, records}   (records: tickets parsed so far)
//   {id, type: 'done', result} | {id, type: 'error', message, fatal}
// `fatal` marks a wasm trap (a panic: the engine's state can no longer be trusted); the widget
// then replaces this engine with a fresh one.
import init, { Engine, check_file_size, panic_for_test, sample_export } from './pkg/ticket_kpis.js';

/** Bytes read per slice of a file: small enough for a progress bar that moves. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Makes the message handler. `post(message, transfer)` sends to the widget; `cancelled(id)` is
 * asked between chunks (the main-thread fallback's cancel; a worker is terminated instead).
 */
export function createEngineHost(post, cancelled = () => false) {
  let engine = null;
  let starting = null;

  async function start(module) {
    await init(module ? { module_or_path: module } : undefined);
    engine = new Engine();
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
    let parts;
    let blob = s.blob;
    if (s.blob) {
      size = s.blob.size;
      parts = (async function* slices() {
        for (let at = 0; at < size; at += CHUNK_BYTES) {
          yield s.blob.slice(at, at + CHUNK_BYTES).arrayBuffer();
        }
      })();
    } else if (s.chunks) {
      size = s.chunks.reduce((n, c) => n + c.byteLength, 0);
      parts = s.chunks.map((c) => Promise.resolve(c));
      blob = new Blob(s.chunks);
    } else if (s.sample) {
      const text = sample_export(s.sample.tickets, s.sample.seed);
      const bytes = new TextEncoder().encode(text);
      size = bytes.length;
      parts = [Promise.resolve(bytes.buffer)];
      // Kept for "Download sample" and for reading it again with another format.
      blob = new Blob([bytes], { type: 'application/json' });
    } else {
      throw new Error(`nothing to read for ${s.name}`);
    }
    engine.begin_load(s.name, size, msg.timezone, msg.format || null, msg.mapping || null);
    const t0 = performance.now();
    let done = 0;
    let records = 0;
    try {
      for await (const buffer of parts) {
        if (cancelled(id)) throw new Error('cancelled');
        const part = new Uint8Array(buffer);
        records = engine.feed(part);
        done += part.length;
        post({ id, type: 'progress', phase: 'read', bytes: done, total: size, records });
      }
      if (cancelled(id)) throw new Error('cancelled');
      post({ id, type: 'progress', phase: 'parse', bytes: size, total: size, records });
      const imp = engine.finish_load();
      return { imp, size, blob, parseMs: performance.now() - t0 };
    } catch (e) {
      engine.cancel_load();
      throw e;
    }
  }

  async function load(msg) {
    const { id, sources } = msg;
    if (sources.length === 1) {
      const s = sources[0];
      const { imp, size, blob, parseMs } = await streamSource(id, s, msg);
      const keep = [{ name: s.name, blob, ...(s.sample ? { sample: s.sample } : {}) }];
      return { import: imp, info: datasetInfo(), keep, bytes: size, parseMs };
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
