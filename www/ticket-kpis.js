// <ticket-kpis>: the help-desk KPI widget as one custom element.
//
//   <script type="module" src="ticket-kpis.js"></script>
//   <ticket-kpis src="tickets.json" timezone="Europe/Istanbul" lang="tr"></ticket-kpis>
//
// Attributes: src, from, to, bucket, timezone, calendar, lang, calendar-system, kpis, charts,
// targets, sample, view (docs/embedding.md). JS API: loadBytes, loadFiles, loadUrl, loadObject,
// setOptions, setFilters, report, cancel. Events (bubbling, composed): tk-load, tk-report, tk-error,
// tk-progress.
//
// Rules this file keeps:
// - All state is per element (private fields); the module only shares what is immutable once
//   made (the compiled engine, the stylesheet). DOM lookups go through this.shadowRoot.
// - Ticket-derived text (agent names, channels, warnings, file names) only ever goes through
//   textContent / DOM nodes, never innerHTML.
// - Parsing and KPI computation run in the widget's own Web Worker (engine-client.js); the main
//   thread only draws the charts of the report it gets back.
// - No request other than the widget's own files and the URL the user names.
import * as assets from './assets.js';
import { CancelledError, EngineClient, mainThreadEngine } from './engine-client.js';
import { Locale, pickLanguage } from './i18n.js';
import './locales/index.js';
import { Engine as DrawEngine, check_file_size, import_formats, sample_export } from './pkg/ticket_kpis.js';
import { createViews } from './views/index.js';
import { createExporter } from './export.js';
import {
  DEFAULT_CHARTS,
  DEFAULT_TILES,
  chartId,
  chartTitle,
  tileLabel,
  widgetHtml,
} from './widget-template.js';

const SAMPLE_TICKETS = 1500;
const SAMPLE_SEED = 7;
const CHART_KINDS = ['volume', 'channels', 'frt', 'backlog', 'heatmap', 'satisfaction'];
const OPTION_ATTRIBUTES = ['from', 'to', 'bucket', 'timezone', 'calendar', 'targets'];

// The widget's stylesheet, made once per page (single-file build: from the inlined text).
let inlineSheet = null;
function styleInto(shadow) {
  if (assets.inline) {
    if (!inlineSheet) {
      inlineSheet = new CSSStyleSheet();
      inlineSheet.replaceSync(assets.inline.css);
    }
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, inlineSheet];
    return Promise.resolve();
  }
  const link = shadow.ownerDocument.createElement('link');
  link.rel = 'stylesheet';
  link.href = assets.cssUrl.href;
  const loaded = new Promise((resolve) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', resolve, { once: true });
  });
  shadow.append(link);
  return loaded;
}

const viewerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
// A new task at once: a message to ourselves is not clamped to 4 ms as nested timeouts are (the
// charts are drawn one per task, and six 4 ms waits were a quarter of a redraw).
const taskChannel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
const taskQueue = [];
if (taskChannel) taskChannel.port1.onmessage = () => taskQueue.shift()?.();
const nextTask = () =>
  new Promise((resolve) => {
    if (!taskChannel) return setTimeout(resolve, 0);
    taskQueue.push(resolve);
    taskChannel.port2.postMessage(null);
  });
const nextPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const list = (text) =>
  String(text || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function messageOf(e) {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** `targets="frt=1h, csat=90%"` or JSON → {key: value}. */
export function parseTargets(text) {
  const s = String(text || '').trim();
  if (!s) return {};
  if (s.startsWith('{')) return JSON.parse(s);
  const out = {};
  for (const part of list(s)) {
    const at = part.indexOf('=');
    if (at < 1) throw new Error(`targets: expected key=value, found ${JSON.stringify(part)}`);
    const value = part.slice(at + 1).trim();
    out[part.slice(0, at).trim()] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return out;
}

/** `calendar="mon-fri"` (a preset) or a JSON calendar object. */
export function parseCalendar(text) {
  const s = String(text || '').trim();
  if (!s) return undefined;
  return s.startsWith('{') ? JSON.parse(s) : s;
}

export class TicketKpisElement extends HTMLElement {
  static observedAttributes = [
    'src',
    'from',
    'to',
    'bucket',
    'timezone',
    'calendar',
    'lang',
    'calendar-system',
    'kpis',
    'charts',
    'targets',
    'sample',
    'view',
  ];

  #locale = new Locale('en');
  #gate; // resolves to true once the engine runs (false when it could not start)
  #openGate;
  #client = null;
  #draw = null; // the main thread's Engine: draws charts from the worker's report
  #el = {};
  #built = false;
  #started = null;
  #tiles = DEFAULT_TILES;
  #charts = DEFAULT_CHARTS;
  #report = null;
  #import = null;
  #info = null;
  #dataRange = null;
  #source = null;
  #loadToken = 0;
  #reportToken = 0;
  #drawToken = 0;
  #loading = false;
  #fetchAbort = null;
  #loads = 0;
  #errors = 0;
  #apiOptions = {};
  #filters = {};
  #sampleBlob = null;
  #sampleUrl = null;
  #resizeObserver = null;
  #pendingDraw = new Set();
  #drawScheduled = false;
  #cleanup = [];
  #views = null; // the view modules (www/views/): controls, All KPIs, team/agent/management views
  #lastKeep = null; // the sources of the data shown, for reading them again (another format)
  #viewsImport = null;
  #exporter = null; // the export buttons (export.js)

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.#gate = new Promise((resolve) => {
      this.#openGate = resolve;
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  connectedCallback() {
    if (!this.#client) {
      this.#client = new EngineClient({ onCrash: (m) => this.#onCrash(m) });
    }
    if (!this.#built) this.#build();
    this.#wireWindow();
    if (!this.#started) this.#started = this.#start();
    else if (this.#report) this.#drawAll();
  }

  disconnectedCallback() {
    // Off the page the worker stops; back on the page a fresh one gets the same data again.
    for (const undo of this.#cleanup.splice(0)) undo();
    if (this.#loading) this.cancel();
    this.#client?.suspend();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (!this.#built || oldValue === value) return;
    if (name === 'lang' || name === 'calendar-system' || name === 'kpis' || name === 'charts') {
      this.#rebuild();
    } else if (OPTION_ATTRIBUTES.includes(name)) {
      if (name === 'from' || name === 'to' || name === 'bucket') this.#resetControls();
      if (this.#report) this.#refresh();
    } else if (name === 'src') {
      if (value) this.#gate.then((ok) => ok && this.loadUrl(value).catch(() => {}));
    } else if (name === 'sample') {
      if (value != null && !this.#report) this.#gate.then((ok) => ok && this.#loadSample());
    } else if (name === 'view') {
      this.#el.root.dataset.view = value || 'dashboard';
    }
  }

  #build() {
    const lang = this.getAttribute('lang') || pickLanguage(navigator.languages || [navigator.language]);
    // calendar-system="persian": Solar Hijri dates, in any language.
    this.#locale = new Locale(lang, { calendar: this.getAttribute('calendar-system') || undefined });
    this.#tiles = list(this.getAttribute('kpis'));
    if (this.#tiles.length === 0) this.#tiles = DEFAULT_TILES;
    this.#charts = list(this.getAttribute('charts')).filter(
      (k) => CHART_KINDS.includes(k) || /^kpi:[a-z0-9_]+$/.test(k),
    );
    if (this.#charts.length === 0) this.#charts = DEFAULT_CHARTS;

    const shadow = this.shadowRoot;
    const stale = shadow.getElementById('app');
    if (stale) stale.remove();
    const box = shadow.ownerDocument.createElement('template');
    box.innerHTML = widgetHtml(this.#locale, { tiles: this.#tiles, charts: this.#charts });
    shadow.append(box.content);
    if (!this.#built) this.#styled = styleInto(shadow);
    this.#built = true;
    this.#lookup();
    this.#el.root.dataset.view = this.getAttribute('view') || 'dashboard';
    this.#mountViews();
    this.#wireControls();
    this.#wireDragAndDrop();
    this.#watchCanvases();
    // CSV, PNG/SVG, HTML snapshot and print (export.js); it puts its buttons back after a rebuild.
    this.#exporter ??= createExporter(shadow, {
      report: () => this.#report,
      locale: () => this.#locale,
      source: () => this.#source,
      charts: () => this.#charts,
      svg: (kind, w, h, title) => this.#draw.chart_svg_with(kind, w, h, title, this.#chartLabels(this.#report)),
      draw: (canvas, kind, scale, title) => this.#draw.draw_with(kind, canvas, scale, title, this.#chartLabels(this.#report)),
      ticketRows: () => this.#client.ticketRows(this.#reportOptions()),
      view: () => this.#el.root.dataset.view,
      setView: (v) => this.shadowRoot.querySelector(`.tkv-view-button[data-view="${v}"]`)?.click(),
      error: (title, message) => this.#showError(title, message),
    });
  }

  #styled = Promise.resolve();

  /** New markup (language, tiles or charts changed), showing the same data. */
  #rebuild() {
    const state = this.#el.root.dataset.state;
    this.#resizeObserver?.disconnect();
    this.#build();
    this.#el.root.dataset.loads = String(this.#loads);
    this.#el.root.dataset.errors = String(this.#errors);
    this.#setState(state);
    if (this.#report) {
      this.#el.empty.hidden = true;
      this.#el.dashboard.hidden = false;
      if (this.#import) this.#renderImport(this.#import.import, this.#source, this.#import.timing);
      this.#renderDatasetInfo();
      this.#fillFilters(this.#report);
      this.#render(this.#report);
      this.#drawAll();
    } else if (state !== 'starting' && state !== 'loading') {
      this.#el.empty.hidden = false;
    }
  }

  #mountViews() {
    const el = this.#el;
    this.#views = createViews(el.views, this.#locale, {
      apply: () => this.#report && this.#refresh(),
      draw: (canvas, kind, title) =>
        this.#draw?.draw_with(kind, canvas, window.devicePixelRatio || 1, title, this.#chartLabels(this.#report)),
      reimport: (o) => this.#reimport(o),
      view: (v) => {
        el.root.dataset.view = v;
        const charts = this.shadowRoot.getElementById('charts');
        for (const n of [el.tiles, el.agentsBody.closest('section'), charts]) n.hidden = v !== 'dashboard';
      },
    }, this.#views?.snapshot()); // rebuilt (another language): same view, options, import and report
  }

  /** The data shown, read again with another format or CSV mapping (the import panel). */
  #reimport(o = {}) {
    if (!this.#lastKeep) return Promise.resolve();
    const keep = this.#lastKeep;
    const format = o.format === 'auto' ? null : o.format;
    return this.#load(
      this.#source,
      async () => keep.map(({ name, blob, sample }) => (sample && !format && !o.csv_mapping ? { name, sample } : { name, blob })),
      { format, mapping: o.csv_mapping },
    ).catch(() => {});
  }

  #lookup() {
    const $ = (id) => this.shadowRoot.getElementById(id);
    const ids = {
      root: 'app',
      datasetName: 'dataset-name',
      datasetMeta: 'dataset-meta',
      fileInput: 'file-input',
      urlForm: 'url-form',
      urlInput: 'url-input',
      sampleLink: 'sample-link',
      sampleButton: 'sample-button',
      status: 'status',
      statusText: 'status-text',
      progress: 'progress',
      cancel: 'cancel',
      error: 'error',
      errorTitle: 'error-title',
      errorMessage: 'error-message',
      errorHint: 'error-hint',
      errorClose: 'error-close',
      empty: 'empty',
      dashboard: 'dashboard',
      controls: 'controls',
      from: 'from',
      to: 'to',
      bucket: 'bucket',
      channel: 'channel',
      agent: 'agent',
      reset: 'reset',
      periodText: 'period-text',
      tiles: 'tiles',
      views: 'views',
      agentsMissing: 'agents-missing',
      dropOverlay: 'drop-overlay',
      importSummary: 'import-summary',
      importSource: 'import-source',
      importFormat: 'import-format',
      importRecords: 'import-records',
      importTickets: 'import-tickets',
      importSkipped: 'import-skipped',
      importTimezone: 'import-timezone',
      importTime: 'import-time',
      importWarnings: 'import-warnings',
      importNoWarnings: 'import-no-warnings',
      importFields: 'import-fields',
    };
    this.#el = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, $(id)]));
    this.#el.agentsBody = this.shadowRoot.querySelector('#agents-table tbody');
  }

  async #start() {
    const t = (k, en) => this.#locale.t(k, en);
    this.#setBusy(true, t('widget.starting', 'Starting the engine…'));
    try {
      await Promise.all([mainThreadEngine(), this.#styled]);
      this.#draw = new DrawEngine();
      await this.#client.start();
      this.#openGate(true);
    } catch (e) {
      this.#openGate(false);
      this.#setBusy(false);
      this.#setState('error');
      this.#el.datasetName.textContent = t('widget.engine_failed', 'The engine could not start');
      this.#showError(t('widget.error.engine', 'The KPI engine could not start'), messageOf(e));
      return;
    }
    const src = this.getAttribute('src');
    if (src) {
      this.#el.urlInput.value = src;
      await this.loadUrl(src).catch(() => {});
    } else if (this.hasAttribute('sample')) {
      await this.#loadSample();
    } else {
      this.#setBusy(false);
      this.#setState('empty');
    }
    if (!this.#report) {
      this.#el.datasetName.textContent = t('widget.no_data', 'No data loaded');
      this.#el.empty.hidden = false;
    }
  }

  // ---- state, status and errors ----------------------------------------------------------------

  #setState(state) {
    this.#el.root.dataset.state = state;
    this.dataset.state = state;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #setStatus(text, { progress = null, cancellable = false } = {}) {
    const el = this.#el;
    el.statusText.textContent = text;
    el.status.hidden = false;
    el.cancel.hidden = !cancellable;
    if (progress == null) {
      el.progress.hidden = true;
    } else {
      el.progress.hidden = false;
      if (progress === 'indeterminate') el.progress.removeAttribute('value');
      else el.progress.value = Math.max(0, Math.min(1, progress));
    }
  }

  #setBusy(busy, text) {
    const root = this.#el.root;
    root.setAttribute('aria-busy', busy ? 'true' : 'false');
    root.classList.toggle('is-loading', busy);
    if (busy) {
      this.#setState('loading');
      this.#setStatus(text || this.#locale.t('widget.loading', 'Loading…'), {
        cancellable: this.#loading,
      });
    } else {
      this.#el.status.hidden = true;
    }
  }

  #showError(title, message) {
    const t = (k, en, v) => this.#locale.t(k, en, v);
    this.#errors += 1;
    this.#el.root.dataset.errors = String(this.#errors);
    this.dataset.errors = String(this.#errors);
    this.#el.errorTitle.textContent = title;
    this.#el.errorMessage.textContent = message;
    this.#el.errorHint.textContent = this.#report
      ? t(
          'widget.error.hint_kept',
          'The dashboard below still shows {source}. Drop or open another file to try again.',
          { source: this.#source || t('widget.previous_data', 'the previous data') },
        )
      : t('widget.error.hint', 'Drop, open or fetch another file to try again.');
    this.#el.error.hidden = false;
    console.warn(`[ticket-kpis] ${title}: ${message}`);
    this.#emit('tk-error', { title, message });
  }

  #hideError() {
    this.#el.error.hidden = true;
  }

  #onCrash(message) {
    this.#showError(
      this.#locale.t('widget.error.crash', 'The KPI engine stopped'),
      `${message}. ${this.#locale.t('widget.error.restarted', 'A fresh engine was started.')}`,
    );
  }

  #bytes(n) {
    if (n < 1024) return `${this.#locale.integer(n)} B`;
    const units = ['KB', 'MB', 'GB'];
    let v = n / 1024;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${this.#locale.number(Math.round(v * 10) / 10)} ${units[i]}`;
  }

  // ---- loading ---------------------------------------------------------------------------------

  /**
   * Loads what `getSources(progress)` gives (engine sources, see EngineClient.load) and shows its
   * report. A newer load cancels an older one still running. Resolves to the import report;
   * rejects with the error the widget showed.
   */
  async #load(name, getSources, { format, mapping } = {}) {
    const t = (k, en, v) => this.#locale.t(k, en, v);
    if (this.#loading) this.#abortLoad();
    if (!(await this.#gate)) throw new Error('the KPI engine could not start');
    const token = ++this.#loadToken;
    this.#loading = true;
    this.#hideError();
    this.#setBusy(true, t('widget.reading', 'Reading {name}…', { name }));
    const t0 = performance.now();
    try {
      const sources = await getSources((text, fraction, detail) => {
        if (token !== this.#loadToken) return;
        this.#setStatus(text, { progress: fraction, cancellable: true });
        if (detail) this.#emit('tk-progress', detail);
      });
      if (token !== this.#loadToken) throw new CancelledError();
      const tRead = performance.now();
      // `workers`: how many workers read a large file (default one per core; 1: one).
      const workers = Number.parseInt(this.getAttribute('workers') ?? '', 10) || undefined;
      const res = await this.#client.load(sources, { timezone: viewerTimeZone(), format, mapping, workers }, (p) =>
        this.#onProgress(token, name, p),
      );
      if (token !== this.#loadToken) throw new CancelledError();
      const tParsed = performance.now();
      this.#lastKeep = res.keep;
      this.#viewsImport = { formats: import_formats(), format, csv_mapping: mapping };
      this.#views?.setImport(res.import, this.#viewsImport);
      this.#source = name;
      this.#dataRange = null;
      this.#info = res.info;
      this.#resetControls();
      this.#fillFilters(null);
      this.#setStatus(t('widget.computing', 'Computing the KPIs…'), { progress: 'indeterminate', cancellable: true });
      const ok = await this.#refresh({ fresh: true, token });
      const tDone = performance.now();
      const timing = { read: tRead - t0, parse: tParsed - tRead, report: tDone - tParsed };
      this.#import = { import: res.import, timing };
      this.#renderImport(res.import, name, timing);
      this.#renderDatasetInfo();
      this.#keepSample(res.keep);
      if (!ok) throw new Error('the report could not be computed');
      this.#el.empty.hidden = true;
      this.#el.dashboard.hidden = false;
      // Draw after the dashboard is visible so the canvases have their CSS size.
      await this.#drawAll();
      if (token !== this.#loadToken) return res.import;
      this.#loads += 1;
      this.#el.root.dataset.loads = String(this.#loads);
      this.dataset.loads = String(this.#loads);
      this.#setState('ready');
      this.#emit('tk-load', { name, import: res.import, info: res.info, parallel: res.parallel ?? null });
      console.info(
        `[ticket-kpis] loaded ${name}: ${res.import.tickets} tickets in ` +
          `${Math.round(performance.now() - t0)} ms (read ${Math.round(tRead - t0)} ms, ` +
          `engine ${Math.round(tParsed - tRead)} ms, report ${Math.round(tDone - tParsed)} ms` +
          (res.parallel?.helpers ? `, ${res.parallel.taken} of ${res.parallel.helpers} helper parts taken)` : ')'),
      );
      return res.import;
    } catch (e) {
      if (token === this.#loadToken && !(e instanceof CancelledError) && !e.crashed && !e.shown) {
        this.#showError(t('widget.error.load', 'Could not load {name}', { name }), messageOf(e));
      }
      throw e;
    } finally {
      if (token === this.#loadToken) {
        this.#loading = false;
        this.#fetchAbort = null;
        this.#setBusy(false);
        if (this.#el.root.dataset.state === 'loading') this.#setState(this.#report ? 'ready' : 'error');
        this.#el.empty.hidden = Boolean(this.#report);
      }
    }
  }

  #onProgress(token, name, p) {
    if (token !== this.#loadToken) return;
    const t = (k, en, v) => this.#locale.t(k, en, v);
    if (p.phase === 'read') {
      const vars = { done: this.#bytes(p.bytes), total: this.#bytes(p.total) };
      this.#setStatus(
        p.records
          ? t('widget.progress.read_records', 'Reading {done} of {total} · {records} tickets so far', {
              ...vars,
              records: p.records,
            })
          : t('widget.progress.read', 'Reading {done} of {total}', vars),
        { progress: p.total ? p.bytes / p.total : 'indeterminate', cancellable: true },
      );
    } else if (p.phase === 'parse') {
      // The engine parses the whole file in one step: no record count until it is done.
      this.#setStatus(
        t('widget.progress.parse', 'Analysing {size} (records are counted when the file is read)', {
          size: this.#bytes(p.bytes),
        }),
        { progress: 'indeterminate', cancellable: true },
      );
    }
    this.#emit('tk-progress', { phase: p.phase, bytes: p.bytes, total: p.total, records: p.records ?? null });
  }

  #abortLoad() {
    this.#loadToken++;
    this.#fetchAbort?.abort();
    this.#fetchAbort = null;
    this.#client?.cancel();
    this.#loading = false;
  }

  #keepSample(keep) {
    const sample = keep && keep.find((k) => k.sample);
    if (sample && !this.#sampleBlob) this.#setSampleBlob(sample.blob);
  }

  #setSampleBlob(blob) {
    this.#sampleBlob = blob;
    if (this.#sampleUrl) URL.revokeObjectURL(this.#sampleUrl);
    // "Download sample": a Blob of the same export the demo shows, made in the page.
    this.#sampleUrl = URL.createObjectURL(blob);
    this.#el.sampleLink.href = this.#sampleUrl;
  }

  #loadSample() {
    const name = this.#locale.t('widget.sample_name', 'the built-in sample');
    return this.#load(name, async () => [
      { name, sample: { tickets: SAMPLE_TICKETS, seed: SAMPLE_SEED } },
    ]).catch(() => {});
  }

  #checkSize(bytes, files) {
    // Refused before anything is read: the engine's own limit (check_file_size throws its
    // message).
    check_file_size(bytes, files);
  }

  /** Loads files (File objects) of one export; `format` and `mapping` as Engine.load_files. */
  loadFiles(files, { format, mapping } = {}) {
    const arr = Array.from(files || []);
    if (this.#el.fileInput) this.#el.fileInput.value = '';
    if (arr.length === 0) return Promise.reject(new Error('no file given'));
    const name =
      arr.length === 1
        ? arr[0].name || this.#locale.t('widget.dropped_file', 'the dropped file')
        : this.#locale.t('widget.n_files', '{n} files', { n: arr.length });
    return this.#load(
      name,
      async (progress) => {
        const total = arr.reduce((n, f) => n + f.size, 0);
        this.#checkSize(total, arr.length);
        progress(
          this.#locale.t('widget.reading_size', 'Reading {name} ({size})…', { name, size: this.#bytes(total) }),
          0,
        );
        return arr.map((f, i) => ({ name: f.name || `file-${i + 1}`, blob: f }));
      },
      { format, mapping },
    );
  }

  /** Loads an export given as bytes (Uint8Array or ArrayBuffer). */
  loadBytes(bytes, name = 'data.json') {
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    // A copy: the engine takes it over (transferred to the worker), the caller keeps theirs.
    const copy = view.slice().buffer;
    return this.#load(name, async () => {
      this.#checkSize(copy.byteLength, 1);
      return [{ name, chunks: [copy] }];
    });
  }

  /** Loads an export given as a JSON value (an array of tickets or a {tickets: […]} object). */
  loadObject(value, name = 'data.json') {
    return this.loadBytes(new TextEncoder().encode(JSON.stringify(value)), name);
  }

  /** Fetches and loads the export at `url` (http or https, relative to the page). */
  loadUrl(text) {
    const t = (k, en, v) => this.#locale.t(k, en, v);
    let url;
    try {
      url = this.#parseUrl(text);
    } catch (e) {
      this.#showError(t('widget.error.url', 'Could not load the URL'), messageOf(e));
      return Promise.reject(e);
    }
    if (this.#el.urlInput && this.#el.urlInput.value !== text) this.#el.urlInput.value = text;
    const name = decodeURIComponent(url.pathname.split('/').pop() || url.host);
    return this.#load(name, async (progress) => {
      progress(t('widget.downloading_url', 'Downloading {url}…', { url: url.href }), 'indeterminate');
      const chunks = await this.#fetchChunks(url, progress);
      return [{ name, chunks }];
    });
  }

  #parseUrl(text) {
    const trimmed = (text || '').trim();
    if (!trimmed) throw new Error('enter the address of a ticket export first');
    let url;
    try {
      url = new URL(trimmed, this.ownerDocument.baseURI);
    } catch {
      throw new Error(`${JSON.stringify(trimmed)} is not a web address`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`only http and https addresses can be loaded; found ${url.protocol}`);
    }
    return url;
  }

  /** Downloads `url` on the main thread (async, in chunks) and hands the chunks to the engine. */
  async #fetchChunks(url, progress) {
    const t = (k, en, v) => this.#locale.t(k, en, v);
    const abort = new AbortController();
    this.#fetchAbort = abort;
    let resp;
    try {
      resp = await fetch(url.href, { credentials: 'same-origin', cache: 'no-cache', signal: abort.signal });
    } catch (e) {
      if (abort.signal.aborted) throw new CancelledError();
      throw new Error(
        `could not fetch ${url.href}: the server did not answer, or it does not allow this page ` +
          'to read it (CORS, or the Content-Security-Policy connect-src)',
      );
    }
    if (!resp.ok) {
      throw new Error(`the server answered ${resp.status} ${resp.statusText} for ${url.href}`.trim());
    }
    const total = Number(resp.headers.get('content-length')) || 0;
    const reader = resp.body.getReader();
    if (total) {
      // Refused from the header alone: the body is not downloaded.
      try {
        this.#checkSize(total, 1);
      } catch (e) {
        reader.cancel().catch(() => {});
        throw e;
      }
    }
    const chunks = [];
    let received = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value.buffer.byteLength === value.byteLength ? value.buffer : value.slice().buffer);
        received += value.byteLength;
        // Without a Content-Length, refused as soon as the limit is passed, not after the tab
        // has run out of memory.
        this.#checkSize(received, 1);
        progress(
          total
            ? t('widget.progress.download', 'Downloading {done} of {total}', {
                done: this.#bytes(received),
                total: this.#bytes(total),
              })
            : t('widget.progress.download_unknown', 'Downloading {done}', { done: this.#bytes(received) }),
          total ? received / total : 'indeterminate',
          { phase: 'download', bytes: received, total, records: null },
        );
      }
    } catch (e) {
      if (abort.signal.aborted) throw new CancelledError();
      reader.cancel().catch(() => {});
      throw e;
    }
    return chunks;
  }

  // ---- JS API ----------------------------------------------------------------------------------

  /** The last report (a plain object, see docs/kpis.md), or null. */
  get report() {
    return this.#report;
  }

  /** The last import report, or null. */
  get importReport() {
    return this.#import ? this.#import.import : null;
  }

  /** The widget's Locale (language, formatting). */
  get locale() {
    return this.#locale;
  }

  /** Merges report options (the engine's ReportOptions) and recomputes. */
  setOptions(options = {}) {
    const o = { ...options };
    const el = this.#el;
    for (const k of ['from', 'to', 'bucket']) {
      if (k in o) {
        if (el[k]) el[k].value = o[k] || (k === 'bucket' ? 'auto' : '');
        delete o[k];
      }
    }
    if ('filters' in o) {
      this.#setFilterState(o.filters || {});
      delete o.filters;
    }
    this.#apiOptions = { ...this.#apiOptions, ...o };
    return this.#report ? this.#refresh() : Promise.resolve(false);
  }

  /** Sets the filters ({channel: [...], agent: [...], team, priority, tag, tier}) and recomputes. */
  setFilters(filters = {}) {
    this.#setFilterState(filters);
    return this.#report ? this.#refresh() : Promise.resolve(false);
  }

  #setFilterState(filters) {
    this.#filters = {};
    for (const [k, v] of Object.entries(filters || {})) {
      const values = (Array.isArray(v) ? v : [v]).filter((x) => x != null && x !== '').map(String);
      if (values.length) this.#filters[k] = values;
    }
    for (const dim of ['channel', 'agent']) {
      const select = this.#el[dim];
      if (!select) continue;
      const one = this.#filters[dim] && this.#filters[dim].length === 1 ? this.#filters[dim][0] : '';
      if (one && [...select.options].some((o) => o.value === one)) {
        select.value = one;
        delete this.#filters[dim];
      } else {
        select.value = '';
      }
    }
  }

  /** Stops a load in progress (the dashboard keeps what it showed). True when one was stopped. */
  cancel() {
    if (!this.#loading) return false;
    this.#abortLoad();
    this.#setBusy(false);
    this.#setState(this.#report ? 'ready' : 'empty');
    this.#el.empty.hidden = Boolean(this.#report);
    this.#emit('tk-progress', { phase: 'cancelled', bytes: 0, total: 0, records: null });
    return true;
  }

  /** Test hook: makes the engine fail as a crash would ('throw' or 'trap'). */
  _simulateEngineCrash(how = 'throw') {
    this.#client?.simulateCrash(how);
  }

  /** 'worker' or 'main': where this widget's engine runs. */
  get engineMode() {
    return this.#client ? this.#client.mode : null;
  }

  // ---- report ----------------------------------------------------------------------------------

  #reportOptions() {
    const el = this.#el;
    const o = { ...this.#apiOptions };
    const tz = this.getAttribute('timezone');
    if (tz && o.timezone == null) o.timezone = tz;
    // Weeks start on the language's first day unless the host set one (setOptions).
    if (o.week_start == null) o.week_start = this.#locale.weekStart;
    try {
      const cal = parseCalendar(this.getAttribute('calendar'));
      if (cal !== undefined && o.calendar == null) o.calendar = cal;
      const targets = parseTargets(this.getAttribute('targets'));
      if (Object.keys(targets).length) o.targets = { ...targets, ...(o.targets || {}) };
    } catch (e) {
      throw new Error(`bad attribute: ${messageOf(e)}`);
    }
    o.bucket = el.bucket.value || 'auto';
    if (el.from.value) o.from = el.from.value;
    if (el.to.value) o.to = el.to.value;
    const filters = { ...(o.filters || {}), ...this.#filters };
    if (el.channel.value) filters.channel = [el.channel.value];
    if (el.agent.value) filters.agent = [el.agent.value];
    if (Object.keys(filters).length) o.filters = filters;
    return this.#views ? this.#views.options(o) : o;
  }

  #resetControls() {
    const el = this.#el;
    el.from.value = this.getAttribute('from') || '';
    el.to.value = this.getAttribute('to') || '';
    const bucket = this.getAttribute('bucket') || 'auto';
    el.bucket.value = [...el.bucket.options].some((o) => o.value === bucket) ? bucket : 'auto';
    el.channel.value = '';
    el.agent.value = '';
  }

  /**
   * Computes the report for the current controls in the engine and shows it. Resolves to false
   * when the engine refused (the error is shown).
   */
  async #refresh({ fresh = false, token = this.#loadToken } = {}) {
    const mine = ++this.#reportToken;
    let r;
    try {
      const res = await this.#client.report(this.#reportOptions());
      r = res.report;
    } catch (e) {
      if (mine !== this.#reportToken || e instanceof CancelledError) return false;
      if (!e.crashed) {
        this.#showError(this.#locale.t('widget.error.report', 'Could not compute the report'), messageOf(e));
        e.shown = true;
      }
      if (fresh) throw e;
      return false;
    }
    if (mine !== this.#reportToken || token !== this.#loadToken) return false;
    if (!fresh) this.#hideError();
    this.#report = r;
    try {
      this.#draw.set_report(r);
    } catch (e) {
      console.warn(`[ticket-kpis] the charts could not read the report: ${messageOf(e)}`);
    }
    if (fresh || !this.#dataRange) {
      this.#dataRange = { from: r.period.from, to: r.period.to };
      this.#fillFilters(r);
    }
    this.#render(r);
    this.#views?.setReport(r);
    this.#emit('tk-report', { report: r });
    if (!fresh) this.#drawAll();
    return true;
  }

  #fillFilters(r) {
    const t = (k, en) => this.#locale.t(k, en);
    const doc = this.ownerDocument;
    const fill = (select, allLabel, items) => {
      const keep = select.value;
      clear(select);
      const all = doc.createElement('option');
      all.value = '';
      all.textContent = allLabel;
      select.append(all);
      for (const [value, label] of items) {
        const o = doc.createElement('option');
        o.value = value;
        o.textContent = label;
        select.append(o);
      }
      select.value = items.some(([v]) => v === keep) ? keep : '';
      select.disabled = items.length === 0;
    };
    fill(this.#el.channel, t('widget.all_channels', 'All channels'), r ? r.all_channels.map((c) => [c, c]) : []);
    fill(
      this.#el.agent,
      t('widget.all_agents', 'All agents'),
      r ? r.all_agents.map(([id, name]) => [id, name && name !== id ? `${name}` : id]) : [],
    );
  }

  #h(tag, props = {}, ...children) {
    const n = this.ownerDocument.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (v == null) continue;
      if (k === 'className') n.className = v;
      else if (k === 'text') n.textContent = v;
      else n.setAttribute(k, v);
    }
    for (const c of children) {
      if (c == null) continue;
      n.append(c instanceof Node ? c : this.ownerDocument.createTextNode(String(c)));
    }
    return n;
  }

  #formatPeriod(p) {
    const L = this.#locale;
    const days =
      p.days === 1 ? L.t('widget.one_day', '1 day') : L.t('widget.days', '{n} days', { n: p.days });
    const bucket = L.t(`views.bucket.${p.bucket}`, p.bucket).toLocaleLowerCase(L.tag);
    return L.t('widget.period', '{range} · {days} · by {bucket} · times in {timezone}', {
      range: L.dayRange(p.from, p.to),
      days,
      bucket,
      timezone: p.timezone,
    });
  }

  #render(r) {
    const el = this.#el;
    const range = this.#dataRange || r.period;
    for (const input of [el.from, el.to]) {
      input.min = range.from;
      input.max = range.to;
    }
    el.from.value = r.period.from;
    el.to.value = r.period.to;
    el.periodText.textContent = this.#formatPeriod(r.period);
    for (const key of this.#tiles) this.#renderTile(key, r);
    this.#renderAgents(r);
    this.#renderChartText(r);
    el.root.dataset.renders = String((Number(el.root.dataset.renders) || 0) + 1);
  }

  /** Sets a tile's detail line from parts joined by " · ", each part kept on one line. */
  #setDetail(node, parts) {
    clear(node);
    parts.filter(Boolean).forEach((part, i) => {
      if (i > 0) node.append(' · ');
      node.append(this.#h('span', { className: 'tk-nowrap' }, part));
    });
  }

  #renderTile(key, r) {
    const L = this.#locale;
    const t = (k, en, v) => L.t(k, en, v);
    const box = this.#el.tiles.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!box) return;
    const tile = r.tiles.find((x) => x.key === key) || r.kpis.find((x) => x.key === key);
    const label = box.querySelector('.tk-tile-label');
    if (tile && !DEFAULT_TILES.includes(key)) {
      label.textContent = tileLabel(L, key, tile.label)[0];
    }
    const value = box.querySelector('.tk-tile-value');
    const detail = box.querySelector('.tk-tile-detail');
    const note = box.querySelector('.tk-tile-note');
    value.classList.remove('is-missing', 'is-empty');
    box.removeAttribute('title');
    detail.textContent = '';
    if (!tile) {
      box.classList.add('is-unavailable');
      value.classList.add('is-missing');
      value.textContent = t('widget.tile.unknown', 'not a KPI of the catalogue: {key}', { key });
      note.textContent = '';
      return;
    }
    box.classList.toggle('is-unavailable', Boolean(tile.missing));
    // The engine's one note ("2 awaiting first reply"), in the widget's language.
    const awaiting = /^(\d+) awaiting first reply$/.exec(tile.note || '');
    note.textContent = awaiting
      ? t('views.kpis.awaiting', '{n} awaiting first reply', { n: L.integer(Number(awaiting[1])) })
      : tile.note || '';

    if (tile.missing) {
      // The data cannot support this KPI: say which field would, never show a made-up zero.
      value.classList.add('is-missing');
      value.textContent = tile.missing;
      detail.textContent = t('widget.tile.not_available', 'Not available in this export');
      return;
    }
    if (tile.value == null) {
      value.classList.add('is-empty');
      value.textContent = t('widget.tile.no_data', 'No data');
      detail.textContent =
        tile.unit === 'seconds'
          ? t('widget.tile.nothing_to_measure', 'nothing to measure in this period')
          : t('widget.tile.none', 'none in this period');
      return;
    }
    switch (tile.unit) {
      case 'seconds': {
        value.textContent = L.duration(tile.value);
        const s = tile.summary;
        if (s) {
          this.#setDetail(detail, [
            t('widget.tile.p90', 'p90 {value}', { value: L.duration(s.p90) }),
            t('widget.tile.mean', 'mean {value}', { value: L.duration(s.mean) }),
            t('widget.tile.n', 'n = {n}', { n: L.integer(s.count) }),
          ]);
        }
        break;
      }
      case 'percent': {
        value.textContent = L.percent(tile.value);
        const q = tile.ratio;
        if (q) {
          const vars = { n: L.integer(q.numerator), d: L.integer(q.denominator) };
          this.#setDetail(
            detail,
            key === 'csat'
              ? [t('widget.tile.satisfied', '{n} of {d} satisfied', vars), t('widget.tile.n', 'n = {n}', { n: vars.d })]
              : key === 'resolution_rate'
                ? [t('widget.tile.solved', '{n} of {d} tickets solved', vars)]
                : [t('widget.tile.of', '{n} of {d}', vars)],
          );
          box.title = `${q.numerator} / ${q.denominator}`;
        }
        break;
      }
      case 'count': {
        value.textContent = L.integer(tile.value);
        if (key === 'created') {
          detail.textContent =
            r.tickets_in_dataset !== tile.value
              ? t('widget.tile.of_export', 'of {n} in the export', { n: L.integer(r.tickets_in_dataset) })
              : t('widget.tile.all_export', 'all tickets in the export');
        }
        break;
      }
      default:
        value.textContent = L.value(tile.unit, tile.value);
    }
  }

  #renderAgents(r) {
    const L = this.#locale;
    const el = this.#el;
    const h = (...a) => this.#h(...a);
    clear(el.agentsBody);
    const missing = r.missing.find((m) => m.view === 'agents');
    el.agentsMissing.hidden = !missing;
    el.agentsMissing.textContent = missing
      ? L.t('widget.agents.missing', 'No per-agent figures: {needs}.', { needs: missing.needs })
      : '';
    if (r.agents.length === 0) {
      el.agentsBody.append(
        h('tr', { className: 'tk-empty-row' }, h('td', { colspan: '6' }, this.#emptyText())),
      );
      return;
    }
    for (const a of r.agents) {
      const csat =
        a.csat == null
          ? '—'
          : `${L.percent(a.csat)} (${L.integer(a.csat_ratio.numerator)}/${L.integer(a.csat_ratio.denominator)})`;
      const name = h('th', { scope: 'row' }, a.id ? a.name : L.t('export.unassigned', '(unassigned)'));
      if (!a.id) name.classList.add('tk-muted');
      else if (a.name !== a.id) name.title = a.id;
      el.agentsBody.append(
        h(
          'tr',
          { 'data-agent': a.id },
          name,
          h('td', { className: 'tk-num' }, L.integer(a.tickets)),
          h('td', { className: 'tk-num' }, L.integer(a.solved)),
          h('td', { className: 'tk-num' }, L.duration(a.frt_median)),
          h('td', { className: 'tk-num' }, L.duration(a.resolution_median)),
          h('td', { className: 'tk-num' }, csat),
        ),
      );
    }
  }

  #emptyText() {
    return this.#locale.t('widget.chart.empty', 'No data in this period');
  }

  /** The text alternative of each chart: an aria-label summary and a visually hidden table. */
  #renderChartText(r) {
    const L = this.#locale;
    const t = (k, en, v) => L.t(k, en, v);
    const h = (...a) => this.#h(...a);
    const $ = (id) => this.shadowRoot.getElementById(id);
    const table = (kind, caption, head, rows) => {
      const tb = $(`table-${chartId(kind)}`);
      if (!tb) return;
      clear(tb);
      tb.append(h('caption', {}, caption));
      tb.append(h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))));
      const body = h('tbody');
      for (const row of rows) {
        body.append(h('tr', {}, h('th', { scope: 'row' }, row[0]), ...row.slice(1).map((c) => h('td', {}, c))));
      }
      tb.append(body);
    };
    const label = (kind, text) => $(`chart-${chartId(kind)}`)?.setAttribute('aria-label', text);
    const s = r.series;
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    const missingFor = (view) => r.missing.find((m) => m.view === view);
    const bucket = L.t(`views.bucket.${r.period.bucket}`, r.period.bucket).toLocaleLowerCase(L.tag);
    const count = (n) => L.integer(n);

    for (const kind of this.#charts) {
      if (kind === 'volume') {
        label(
          kind,
          t(
            'widget.alt.volume',
            'Bar chart of tickets created and solved per {bucket}: {created} created and {solved} solved over {n} periods. The numbers follow in a table.',
            { bucket, created: count(sum(s.created)), solved: count(sum(s.solved)), n: s.labels.length },
          ),
        );
        table(
          kind,
          t('widget.alt.volume_caption', 'Tickets created and solved per {bucket}', { bucket }),
          [bucket, t('widget.alt.created', 'Created'), t('widget.alt.solved', 'Solved'), t('widget.alt.net', 'Net flow')],
          s.labels.map((l, i) => [l, count(s.created[i]), count(s.solved[i]), String(s.net_flow[i])]),
        );
      } else if (kind === 'channels') {
        const miss = missingFor('channels');
        label(
          kind,
          miss
            ? t('widget.alt.channels_missing', 'Tickets by channel: not available, {needs}.', { needs: miss.needs })
            : t('widget.alt.channels', 'Tickets by channel: {list}.', {
                list:
                  r.channels
                    .slice(0, 5)
                    .map((c) => `${c.name} ${count(c.count)} (${L.percent(c.percent)})`)
                    .join(', ') + (r.channels.length > 5 ? ', …' : ''),
              }),
        );
        table(
          kind,
          t('widget.alt.channels_caption', 'Tickets created by channel'),
          [t('widget.channel', 'Channel'), t('widget.agents.tickets', 'Tickets'), t('widget.alt.share', 'Share')],
          r.channels.map((c) => [c.name, count(c.count), L.percent(c.percent)]),
        );
      } else if (kind === 'frt') {
        const miss = missingFor('frt_distribution');
        label(
          kind,
          miss
            ? t('widget.alt.frt_missing', 'First response time distribution: not available, {needs}.', { needs: miss.needs })
            : t('widget.alt.frt', 'First response time distribution: {list}.', {
                list: r.frt_distribution.map((b) => `${b.name} ${count(b.count)}`).join(', '),
              }),
        );
        table(
          kind,
          t('widget.chart.frt', 'First response time distribution'),
          [t('widget.alt.frt_within', 'First response within'), t('widget.agents.tickets', 'Tickets'), t('widget.alt.share', 'Share')],
          r.frt_distribution.map((b) => [b.name, count(b.count), L.percent(b.percent)]),
        );
      } else if (kind === 'backlog') {
        const last = s.backlog.length ? s.backlog[s.backlog.length - 1] : null;
        label(
          kind,
          last == null
            ? t('widget.alt.backlog_empty', 'Line chart of open tickets at the end of each {bucket}.', { bucket })
            : t(
                'widget.alt.backlog',
                'Line chart of open tickets at the end of each {bucket}, ending at {n} open. The numbers follow in a table.',
                { bucket, n: count(last) },
              ),
        );
        table(
          kind,
          t('widget.alt.backlog_caption', 'Open tickets at the end of each {bucket}', { bucket }),
          [bucket, t('widget.alt.open', 'Open')],
          s.labels.map((l, i) => [l, count(s.backlog[i])]),
        );
      } else if (kind === 'heatmap') {
        const days = L.weekdays(r.period.week_start);
        const total = sum(r.heatmap.map(sum));
        label(
          kind,
          t('widget.alt.heatmap', 'Tickets created by weekday and hour ({n} tickets). The numbers follow in a table.', {
            n: count(total),
          }),
        );
        table(
          kind,
          t('widget.chart.heatmap', 'Busiest hours (tickets created)'),
          ['', ...Array.from({ length: 24 }, (_, i) => String(i).padStart(2, '0'))],
          r.heatmap.map((row, d) => [days[d] || String(d), ...row.map(count)]),
        );
      } else if (kind === 'satisfaction') {
        label(
          kind,
          t(
            'widget.alt.satisfaction',
            'Stacked bars of satisfied and dissatisfied ratings per {bucket}: {good} satisfied, {bad} dissatisfied. The numbers follow in a table.',
            { bucket, good: count(sum(s.satisfied)), bad: count(sum(s.dissatisfied)) },
          ),
        );
        table(
          kind,
          t('widget.chart.satisfaction', 'Satisfaction ratings'),
          [bucket, t('widget.alt.satisfied', 'Satisfied'), t('widget.alt.dissatisfied', 'Dissatisfied')],
          s.labels.map((l, i) => [l, count(s.satisfied[i]), count(s.dissatisfied[i])]),
        );
      } else if (kind.startsWith('kpi:')) {
        const key = kind.slice(4);
        const row = r.kpis.find((k) => k.key === key);
        const values = (s.kpis && s.kpis[key]) || [];
        const title = chartTitle(L, kind, row && row.label);
        const fig = this.shadowRoot.querySelector(`[data-chart="${CSS.escape(kind)}"] .tk-chart-title`);
        if (fig) fig.textContent = title;
        label(kind, t('widget.alt.kpi', '{title}. The numbers follow in a table.', { title }));
        table(
          kind,
          title,
          [bucket, t('widget.alt.value', 'Value')],
          s.labels.map((l, i) => [l, values[i] == null ? '—' : L.value(row ? row.unit : 'number', values[i])]),
        );
      }
    }

    // A visible note under charts whose field is missing from the data.
    for (const [kind, miss] of [
      ['channels', missingFor('channels')],
      ['frt', missingFor('frt_distribution')],
    ]) {
      const fig = this.shadowRoot.querySelector(`[data-chart="${kind}"]`);
      if (!fig) continue;
      let note = fig.querySelector('.tk-chart-missing');
      if (miss && !note) {
        note = h('p', { className: 'tk-chart-missing tk-missing' });
        fig.append(note);
      }
      if (note) {
        note.textContent = miss ? t('widget.chart.missing', 'Not available: {needs}.', { needs: miss.needs }) : '';
        note.hidden = !miss;
      }
    }
  }

  #renderImport(imp, name, timing) {
    const L = this.#locale;
    const t = (k, en, v) => L.t(k, en, v);
    const h = (...a) => this.#h(...a);
    const el = this.#el;
    const warnings = imp.warnings || [];
    el.importSummary.textContent =
      t('widget.import.summary', 'Import: {tickets} tickets kept from {records} records', {
        tickets: L.integer(imp.tickets),
        records: L.integer(imp.records),
      }) +
      (imp.skipped ? ` · ${t('widget.import.n_skipped', '{n} skipped', { n: L.integer(imp.skipped) })}` : '') +
      (warnings.length
        ? ` · ${
            warnings.length === 1
              ? t('widget.import.one_warning', '1 warning')
              : t('widget.import.n_warnings', '{n} warnings', { n: L.integer(warnings.length) })
          }`
        : '');
    el.importSource.textContent = name;
    el.importFormat.textContent = imp.format;
    el.importRecords.textContent = L.integer(imp.records);
    el.importTickets.textContent = L.integer(imp.tickets);
    el.importSkipped.textContent = L.integer(imp.skipped);
    el.importTimezone.textContent = imp.timezone;
    el.importTime.textContent = t('widget.import.timing', '{total} ms (read {read}, parse {parse}, report {report})', {
      total: L.integer(timing.read + timing.parse + timing.report),
      read: L.integer(timing.read),
      parse: L.integer(timing.parse),
      report: L.integer(timing.report),
    });

    clear(el.importWarnings);
    el.importNoWarnings.hidden = warnings.length > 0;
    for (const w of warnings) {
      const head = h(
        'p',
        { className: 'tk-warning-head' },
        h('span', { className: 'tk-badge' }, `× ${L.integer(w.count)}`),
        w.skipped ? h('span', { className: 'tk-badge tk-badge-bad' }, t('widget.import.skipped_badge', 'skipped')) : null,
        h('span', { className: 'tk-warning-message' }, w.message),
      );
      const examples = h('ul', { className: 'tk-examples' });
      for (const ex of w.examples || []) examples.append(h('li', {}, h('code', {}, ex)));
      el.importWarnings.append(h('li', { className: w.skipped ? 'is-skipped' : '' }, head, examples));
    }

    clear(el.importFields);
    for (const [field, count] of Object.entries(imp.fields || {})) {
      el.importFields.append(h('li', {}, h('code', {}, field), ` ${L.integer(count)}`));
    }
  }

  #renderDatasetInfo() {
    const info = this.#info;
    if (!info) return;
    const L = this.#locale;
    this.#el.datasetName.textContent = info.name || this.#source || L.t('widget.export', 'Ticket export');
    this.#el.datasetMeta.textContent = ` · ${L.t('widget.n_tickets', '{n} tickets', {
      n: L.integer(info.tickets),
    })} · ${info.timezone || viewerTimeZone()}`;
  }

  // ---- charts: canvas pixel size = CSS box × devicePixelRatio, redrawn on resize ---------------

  #chartLabels(r) {
    const t = (k, en) => this.#locale.t(k, en);
    return {
      created: t('widget.alt.created', 'Created'),
      solved: t('widget.alt.solved', 'Solved'),
      other: t('widget.chart.other', 'Other'),
      satisfied: t('widget.alt.satisfied', 'Satisfied'),
      dissatisfied: t('widget.alt.dissatisfied', 'Dissatisfied'),
      target: t('widget.chart.target', 'Target'),
      empty: this.#emptyText(),
      weekdays: this.#locale.weekdays(r.period.week_start),
    };
  }

  #drawChart(kind) {
    const canvas = this.shadowRoot.getElementById(`chart-${chartId(kind)}`);
    if (!canvas || !this.#report || !this.#draw) return;
    const dpr = window.devicePixelRatio || 1;
    const rect = canvas.getBoundingClientRect();
    const w = Math.round(rect.width * dpr);
    const hgt = Math.round(rect.height * dpr);
    if (w < 2 || hgt < 2) return; // hidden or collapsed
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== hgt) canvas.height = hgt;
    try {
      // The figure caption already names the chart: no title inside the canvas.
      this.#draw.draw_with(kind, canvas, dpr, '', this.#chartLabels(this.#report));
      canvas.dataset.drawn = String((Number(canvas.dataset.drawn) || 0) + 1);
    } catch (e) {
      console.warn(`[ticket-kpis] could not draw ${kind}: ${messageOf(e)}`);
    }
  }

  /** Draws every chart, one per task so the host page stays responsive. */
  async #drawAll() {
    if (!this.#report) return;
    const mine = ++this.#drawToken;
    for (const kind of this.#charts) {
      if (mine !== this.#drawToken) return;
      this.#drawChart(kind);
      await nextTask();
    }
  }

  #scheduleDraw(kind) {
    this.#pendingDraw.add(kind);
    if (this.#drawScheduled) return;
    this.#drawScheduled = true;
    requestAnimationFrame(() => {
      this.#drawScheduled = false;
      const kinds = [...this.#pendingDraw];
      this.#pendingDraw.clear();
      if (!this.#report) return;
      for (const k of kinds) this.#drawChart(k);
    });
  }

  #watchCanvases() {
    this.#resizeObserver?.disconnect();
    const ro = new ResizeObserver((entries) => {
      for (const entry of entries) this.#scheduleDraw(entry.target.closest('[data-chart]').dataset.chart);
    });
    for (const fig of this.shadowRoot.querySelectorAll('[data-chart] canvas')) ro.observe(fig);
    this.#resizeObserver = ro;
  }

  #downloadSvg(kind) {
    if (!this.#report || !this.#draw) return;
    let svg;
    try {
      const title = chartTitle(this.#locale, kind, (this.#report.kpis.find((k) => `kpi:${k.key}` === kind) || {}).label);
      svg = this.#draw.chart_svg_with(kind, 960, 480, title, this.#chartLabels(this.#report));
    } catch (e) {
      this.#showError(this.#locale.t('widget.error.svg', 'Could not export the chart'), messageOf(e));
      return;
    }
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const a = this.#h('a', { href: url, download: `${chartId(kind)}.svg`, hidden: '' });
    this.#el.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  // ---- wiring ----------------------------------------------------------------------------------

  #wireWindow() {
    // A file dropped just outside the widget must not make the browser navigate away; zooming
    // or moving to another screen changes devicePixelRatio without a resize.
    const prevent = (e) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files')) e.preventDefault();
    };
    const hide = () => this.#hideOverlay();
    window.addEventListener('dragover', prevent);
    window.addEventListener('drop', prevent);
    window.addEventListener('dragend', hide);
    let mq = null;
    const onDpr = () => {
      this.#drawAll();
      watchDpr();
    };
    const watchDpr = () => {
      mq?.removeEventListener('change', onDpr);
      mq = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
      mq.addEventListener('change', onDpr, { once: true });
    };
    watchDpr();
    this.#cleanup.push(() => {
      window.removeEventListener('dragover', prevent);
      window.removeEventListener('drop', prevent);
      window.removeEventListener('dragend', hide);
      mq?.removeEventListener('change', onDpr);
    });
  }

  #hideOverlay() {
    this.#dragDepth = 0;
    this.#el.dropOverlay.hidden = true;
    this.#el.root.classList.remove('is-dragging');
  }

  #dragDepth = 0;

  #wireDragAndDrop() {
    const root = this.#el.root;
    const hasFiles = (e) =>
      e.dataTransfer && Array.from(e.dataTransfer.types || []).some((t) => t === 'Files' || t === 'text/uri-list');
    const show = () => {
      this.#el.dropOverlay.hidden = false;
      root.classList.add('is-dragging');
    };
    root.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      this.#dragDepth += 1;
      show();
    });
    root.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      show();
    });
    root.addEventListener('dragleave', (e) => {
      if (!hasFiles(e)) return;
      this.#dragDepth = Math.max(0, this.#dragDepth - 1);
      if (this.#dragDepth === 0) this.#hideOverlay();
    });
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      e.stopPropagation();
      this.#hideOverlay();
      const files = e.dataTransfer ? e.dataTransfer.files : null;
      if (files && files.length > 0) {
        this.loadFiles(files).catch(() => {});
        return;
      }
      const uri = e.dataTransfer && e.dataTransfer.getData('text/uri-list');
      if (uri) {
        const first = uri.split(/\r?\n/).find((l) => l && !l.startsWith('#'));
        if (first) {
          this.#el.urlInput.value = first;
          this.loadUrl(first).catch(() => {});
        }
      }
    });
  }

  #wireControls() {
    const el = this.#el;
    el.fileInput.addEventListener('change', () => {
      const files = el.fileInput.files;
      if (files && files.length) this.loadFiles(files).catch(() => {});
    });
    el.urlForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.loadUrl(el.urlInput.value).catch(() => {});
    });
    el.sampleButton.addEventListener('click', () => this.#loadSample());
    el.sampleLink.addEventListener('click', (e) => {
      // The link's href is a Blob URL of the sample, made on first use (the click's default
      // action then downloads it).
      if (this.#sampleBlob) return;
      if (!this.#draw) {
        e.preventDefault();
        return;
      }
      this.#setSampleBlob(
        new Blob([sample_export(SAMPLE_TICKETS, SAMPLE_SEED)], { type: 'application/json' }),
      );
    });
    el.cancel.addEventListener('click', () => this.cancel());
    el.errorClose.addEventListener('click', () => this.#hideError());
    for (const input of [el.from, el.to, el.bucket, el.channel, el.agent]) {
      input.addEventListener('change', () => {
        if (input === el.channel) delete this.#filters.channel;
        if (input === el.agent) delete this.#filters.agent;
        if (this.#report) this.#refresh();
      });
    }
    el.controls.addEventListener('submit', (e) => e.preventDefault());
    el.reset.addEventListener('click', (e) => {
      e.preventDefault();
      this.#resetControls();
      this.#filters = {};
      // The views' period and filters start over too (as after an import).
      if (this.#import && this.#viewsImport) this.#views?.setImport(this.#import.import, this.#viewsImport);
      if (this.#report) this.#refresh();
    });
    for (const b of this.shadowRoot.querySelectorAll('[data-svg]')) {
      b.addEventListener('click', () => this.#downloadSvg(b.dataset.svg));
    }
  }
}

if (!customElements.get('ticket-kpis')) customElements.define('ticket-kpis', TicketKpisElement);
