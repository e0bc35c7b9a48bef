// The widget's side of its engine: one Web Worker per widget (engine-worker.js), requests and
// answers matched by id, progress, cancel and crash recovery. When the page's
// Content-Security-Policy refuses the worker (the single-file build needs `worker-src blob:`),
// the same engine code runs on the main thread instead: files are still read in slices with
// progress between them, but the parse itself is one step that the page waits for.
import * as assets from './assets.js';
import initGlue from './pkg/ticket_kpis.js';
import { createEngineHost, messageOf } from './engine-core.js';

// ---- shared by every widget of the page (immutable once made) -------------------------------

let compiledModule = null;
let glueReady = null;
let workerBlobUrl = null;

function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function compile() {
  if (assets.inline) return WebAssembly.compile(decodeBase64(assets.inline.wasmBase64));
  let resp;
  try {
    resp = await fetch(assets.wasmUrl, { credentials: 'same-origin' });
  } catch {
    throw new Error(
      `could not fetch the engine (${assets.wasmUrl}): the page's Content-Security-Policy may ` +
        'need its origin in connect-src',
    );
  }
  if (!resp.ok) throw new Error(`the engine ${assets.wasmUrl} answered ${resp.status}`);
  // Streaming compilation needs the application/wasm MIME type; servers that send another one
  // (some wikis' attachment stores) still work through an ArrayBuffer.
  const type = resp.headers.get('content-type') || '';
  if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/i.test(type)) {
    return WebAssembly.compileStreaming(resp);
  }
  return WebAssembly.compile(await resp.arrayBuffer());
}

/** The compiled engine (WebAssembly.Module), compiled once per page. */
export function engineModule() {
  if (!compiledModule) compiledModule = compile();
  return compiledModule;
}

/** The main thread's engine instance, used only to draw charts (and to check file sizes). */
export function mainThreadEngine() {
  if (!glueReady) glueReady = engineModule().then((module) => initGlue({ module_or_path: module }));
  return glueReady;
}

function workerUrl() {
  if (!assets.inline) return assets.workerUrl;
  if (!workerBlobUrl) {
    workerBlobUrl = URL.createObjectURL(
      new Blob([assets.inline.workerSource], { type: 'text/javascript' }),
    );
  }
  return workerBlobUrl;
}

// ---- one engine per widget --------------------------------------------------------------------

/** A request that was cancelled by the user. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export class EngineClient {
  #mode = 'worker';
  #worker = null;
  #host = null;
  #ready = null;
  #pending = new Map();
  #cancelledIds = new Set();
  #nextId = 1;
  #loaded = null; // what to reload into a fresh engine: {sources, opts}
  #engineHas = null; // which of those the current engine holds
  #onCrash;

  /** `onCrash(message)` is called when the engine died (it has already been replaced). */
  constructor({ onCrash = () => {} } = {}) {
    this.#onCrash = onCrash;
  }

  /** 'worker' or 'main' (the fallback when no worker may be started). */
  get mode() {
    return this.#mode;
  }

  /** Starts the engine now (it also starts on first use). */
  start() {
    if (!this.#ready) {
      this.#ready = this.#spawn().catch((e) => {
        this.#ready = null;
        throw e;
      });
    }
    return this.#ready;
  }

  async #spawn() {
    const module = await engineModule();
    if (this.#mode === 'worker') {
      try {
        await this.#spawnWorker(module);
        return;
      } catch (e) {
        console.warn(
          `[ticket-kpis] no Web Worker (${messageOf(e)}): the engine runs on the page's main thread`,
        );
        this.#mode = 'main';
      }
    }
    await this.#spawnMain(module);
  }

  #spawnWorker(module) {
    return new Promise((resolve, reject) => {
      let worker;
      try {
        worker = assets.inline
          ? new Worker(workerUrl())
          : new Worker(workerUrl(), { type: 'module', name: 'ticket-kpis engine' });
      } catch (e) {
        reject(e);
        return;
      }
      let started = false;
      worker.addEventListener('message', (e) => {
        const msg = e.data;
        if (!started) {
          if (msg.type === 'ready') {
            started = true;
            this.#worker = worker;
            resolve();
          } else if (msg.type === 'init-failed') {
            worker.terminate();
            reject(new Error(msg.message));
          }
          return;
        }
        if (this.#worker === worker) this.#onMessage(msg);
      });
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        const message = e.message || 'the engine worker could not run';
        if (!started) {
          worker.terminate();
          reject(new Error(message));
        } else if (this.#worker === worker) {
          this.#crash(message);
        }
      });
      worker.addEventListener('messageerror', () => {
        if (this.#worker === worker) this.#crash('a message from the engine could not be read');
      });
      // The worker starts helpers from its own script to read large files in parallel.
      const helper = { url: String(workerUrl()), type: assets.inline ? 'classic' : 'module' };
      worker.postMessage({ type: 'init', module, helper });
    });
  }

  async #spawnMain(module) {
    let ready;
    const started = new Promise((resolve, reject) => {
      ready = { resolve, reject };
    });
    const host = createEngineHost(
      (msg) => {
        if (msg.type === 'ready') ready.resolve();
        else if (msg.type === 'init-failed') ready.reject(new Error(msg.message));
        else if (this.#host === host) this.#onMessage(msg);
      },
      (id) => this.#cancelledIds.has(id),
    );
    this.#host = host;
    host({ type: 'init', module });
    await started;
  }

  #onMessage(msg) {
    if (msg.type === 'error' && msg.fatal) {
      this.#crash(msg.message);
      return;
    }
    const p = this.#pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg);
    } else if (msg.type === 'done') {
      this.#pending.delete(msg.id);
      p.resolve(msg.result);
    } else if (msg.type === 'error') {
      this.#pending.delete(msg.id);
      p.reject(new Error(msg.message));
    }
  }

  #rejectAll(error) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }

  /** Drops the engine (a crash or a cancel): pending requests fail, a fresh engine starts. */
  #replace(error) {
    if (this.#worker) this.#worker.terminate();
    this.#worker = null;
    if (this.#mode === 'main') {
      for (const id of this.#pending.keys()) this.#cancelledIds.add(id);
      this.#host = null;
    }
    this.#ready = null;
    this.#engineHas = null;
    this.#rejectAll(error);
    // Warm up the replacement so the next request does not wait for it.
    this.start().catch(() => {});
  }

  #crash(message) {
    const error = new Error(`the engine stopped: ${message}`);
    error.crashed = true;
    this.#replace(error);
    this.#onCrash(message);
  }

  #request(msg, { onProgress, transfer = [] } = {}) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      const full = { ...msg, id };
      if (this.#worker) this.#worker.postMessage(full, transfer);
      else if (this.#host) Promise.resolve().then(() => this.#host?.(full));
      else reject(new Error('the engine is not running'));
    });
  }

  /**
   * Loads sources ({name, blob} | {name, chunks: ArrayBuffer[]} | {name, sample}) with
   * `opts` {timezone, format, mapping}. Resolves to {import, info, keep, bytes, parseMs, parallel}
   * (parallel: {helpers, taken}, for a single streamed file).
   */
  async load(sources, opts = {}, onProgress) {
    await this.start();
    const transfer = sources.flatMap((s) => s.chunks || []);
    const result = await this.#request({ type: 'load', sources, ...opts }, { onProgress, transfer });
    this.#loaded = { sources: result.keep.map(({ name, blob, sample }) => (sample ? { name, sample } : { name, blob })), opts };
    this.#engineHas = this.#loaded;
    return result;
  }

  /** The report for `options` on the loaded data (reloaded first into a fresh engine). */
  async report(options) {
    await this.start();
    if (this.#loaded && this.#engineHas !== this.#loaded) {
      const want = this.#loaded;
      await this.#request({ type: 'load', sources: want.sources, ...want.opts });
      this.#engineHas = want;
    }
    return this.#request({ type: 'report', options });
  }

  /** One row per ticket for `options` (Engine.ticket_rows: the per-ticket CSV export). */
  async ticketRows(options) {
    await this.start();
    if (this.#loaded && this.#engineHas !== this.#loaded) {
      const want = this.#loaded;
      await this.#request({ type: 'load', sources: want.sources, ...want.opts });
      this.#engineHas = want;
    }
    const { rows } = await this.#request({ type: 'tickets', options });
    return rows;
  }

  /** Stops what the engine is doing; the data loaded before stays. */
  cancel() {
    if (this.#pending.size === 0) return false;
    this.#replace(new CancelledError());
    return true;
  }

  /** Test hook: makes the engine fail as a crash would ('throw': worker error; 'trap'). */
  simulateCrash(how = 'throw') {
    const msg = { type: 'crash', how, id: 0 };
    if (this.#worker) this.#worker.postMessage(msg);
    else if (this.#host) this.#host(msg);
  }

  /**
   * Stops the engine (the widget left the page). The next request starts a fresh one and loads
   * the same data into it first.
   */
  suspend() {
    if (this.#worker) this.#worker.terminate();
    this.#worker = null;
    this.#host = null;
    this.#ready = null;
    this.#engineHas = null;
    this.#rejectAll(new CancelledError());
  }
}
