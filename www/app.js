// The help-desk KPI widget page: loads a ticket export into the wasm engine and shows its report.
//
// Rules this file keeps:
// - Ticket-derived text (agent names, channels, warnings, file names) only ever goes through
//   textContent / DOM nodes, never innerHTML.
// - No request other than the page's own files and the URL the user names.
// - The engine parses once per file; period, bucket and filter changes call report() again.
import init, { Engine, sample_export } from './pkg/ticket_kpis.js';

const SAMPLE_TICKETS = 1500;
const SAMPLE_SEED = 7;
const EMPTY_TEXT = 'No data in this period';

const $ = (id) => document.getElementById(id);
const root = $('app');
const el = {
  datasetName: $('dataset-name'),
  datasetMeta: $('dataset-meta'),
  fileInput: $('file-input'),
  urlForm: $('url-form'),
  urlInput: $('url-input'),
  sampleLink: $('sample-link'),
  sampleButton: $('sample-button'),
  status: $('status'),
  statusText: $('status-text'),
  error: $('error'),
  errorTitle: $('error-title'),
  errorMessage: $('error-message'),
  errorHint: $('error-hint'),
  errorClose: $('error-close'),
  empty: $('empty'),
  dashboard: $('dashboard'),
  controls: $('controls'),
  from: $('from'),
  to: $('to'),
  bucket: $('bucket'),
  channel: $('channel'),
  agent: $('agent'),
  reset: $('reset'),
  periodText: $('period-text'),
  tiles: $('tiles'),
  agentsBody: document.querySelector('#agents-table tbody'),
  agentsMissing: $('agents-missing'),
  dropOverlay: $('drop-overlay'),
  importSummary: $('import-summary'),
  importSource: $('import-source'),
  importFormat: $('import-format'),
  importRecords: $('import-records'),
  importTickets: $('import-tickets'),
  importSkipped: $('import-skipped'),
  importTimezone: $('import-timezone'),
  importTime: $('import-time'),
  importWarnings: $('import-warnings'),
  importNoWarnings: $('import-no-warnings'),
  importFields: $('import-fields'),
};

const CHARTS = [
  { kind: 'volume', title: 'Tickets created and solved' },
  { kind: 'channels', title: 'Tickets by channel' },
  { kind: 'frt', title: 'First response time distribution' },
  { kind: 'backlog', title: 'Open tickets at the end of each period' },
];

// ---------------------------------------------------------------------------------------------
// Formatting (Intl, in the viewer's locale)

const viewerTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const intFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 1,
});
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

const formatCount = (n) => intFormat.format(n);
const formatPercent = (p) => percentFormat.format(p / 100);

/** Seconds as "45 s", "22 min", "2 h 15 min", "3 d 4 h". */
export function formatDuration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, seconds);
  if (Math.round(s) < 60) return `${intFormat.format(Math.round(s))} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${intFormat.format(minutes)} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${intFormat.format(h)} h ${intFormat.format(m)} min` : `${intFormat.format(h)} h`;
  }
  const hours = Math.round(s / 3600);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${intFormat.format(d)} d ${intFormat.format(h)} h` : `${intFormat.format(d)} d`;
}

function formatBytes(n) {
  if (n < 1024) return `${intFormat.format(n)} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(v)} ${units[i]}`;
}

function formatDay(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dayFormat.format(d);
}

function formatPeriod(p) {
  const range =
    typeof dayFormat.formatRange === 'function'
      ? dayFormat.formatRange(new Date(`${p.from}T00:00:00Z`), new Date(`${p.to}T00:00:00Z`))
      : `${formatDay(p.from)} – ${formatDay(p.to)}`;
  const days = p.days === 1 ? '1 day' : `${formatCount(p.days)} days`;
  return `${range} · ${days} · by ${p.bucket} · times in ${p.timezone}`;
}

function messageOf(e) {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

/** Replaces the children of `node` with text-only nodes built by `make`. */
function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function h(tag, props = {}, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null) continue;
    if (k === 'className') n.className = v;
    else if (k === 'text') n.textContent = v;
    else n.setAttribute(k, v);
  }
  for (const c of children) {
    if (c == null) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

const nextPaint = () =>
  new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

// ---------------------------------------------------------------------------------------------
// State

const state = {
  engine: null,
  report: null,
  dataRange: null, // { from, to } of the loaded dataset
  source: null, // name of what is loaded
  loadToken: 0,
  loads: 0,
  errors: 0,
  sampleText: null,
  sampleUrl: null,
};

function setStatus(text) {
  el.statusText.textContent = text;
  el.status.hidden = false;
}

function setBusy(busy, text) {
  root.setAttribute('aria-busy', busy ? 'true' : 'false');
  root.classList.toggle('is-loading', busy);
  if (busy) {
    root.dataset.state = 'loading';
    setStatus(text || 'Loading…');
  } else {
    el.status.hidden = true;
  }
}

function showError(title, message) {
  state.errors += 1;
  root.dataset.errors = String(state.errors);
  el.errorTitle.textContent = title;
  el.errorMessage.textContent = message;
  el.errorHint.textContent = state.report
    ? `The dashboard below still shows ${state.source || 'the previous data'}. Drop or open another file to try again.`
    : 'Drop, open or fetch another file to try again.';
  el.error.hidden = false;
  console.warn(`[ticket-kpis] ${title}: ${message}`);
}

function hideError() {
  el.error.hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Loads bytes from `getBytes` (async, may report progress) into the engine.
 * A newer load supersedes an older one still reading.
 */
async function loadFrom(name, getBytes) {
  const token = ++state.loadToken;
  hideError();
  setBusy(true, `Reading ${name}…`);
  const t0 = performance.now();
  try {
    const bytes = await getBytes((text) => {
      if (token === state.loadToken) setStatus(text);
    });
    if (token !== state.loadToken) return;
    setStatus(`Analysing ${name} (${formatBytes(bytes.length)})…`);
    await nextPaint();
    if (token !== state.loadToken) return;
    const tRead = performance.now();
    const importReport = state.engine.load(bytes, viewerTimeZone);
    const tParsed = performance.now();
    state.source = name;
    state.dataRange = null;
    resetControls();
    fillFilters(null);
    const ok = refresh({ fresh: true });
    const tDone = performance.now();
    renderImport(importReport, name, {
      read: tRead - t0,
      parse: tParsed - tRead,
      report: tDone - tParsed,
    });
    renderDatasetInfo();
    if (!ok) return;
    state.loads += 1;
    root.dataset.loads = String(state.loads);
    root.dataset.state = 'ready';
    el.empty.hidden = true;
    el.dashboard.hidden = false;
    // Draw after the dashboard is visible so the canvases have their CSS size.
    drawAll();
    console.info(
      `[ticket-kpis] loaded ${name}: ${importReport.tickets} tickets in ` +
        `${Math.round(performance.now() - t0)} ms (read ${Math.round(tRead - t0)} ms, ` +
        `parse ${Math.round(tParsed - tRead)} ms, report ${Math.round(tDone - tParsed)} ms)`,
    );
  } catch (e) {
    if (token !== state.loadToken) return;
    showError(`Could not load ${name}`, messageOf(e));
    root.dataset.state = 'error';
  } finally {
    if (token === state.loadToken) {
      setBusy(false);
      if (root.dataset.state === 'loading') root.dataset.state = state.report ? 'ready' : 'error';
      el.empty.hidden = Boolean(state.report);
    }
  }
}

function loadFile(file) {
  el.fileInput.value = '';
  return loadFrom(file.name || 'the dropped file', async (progress) => {
    progress(`Reading ${file.name} (${formatBytes(file.size)})…`);
    return new Uint8Array(await file.arrayBuffer());
  });
}

function parseUserUrl(text) {
  const trimmed = (text || '').trim();
  if (!trimmed) throw new Error('enter the address of a ticket export first');
  let url;
  try {
    url = new URL(trimmed, window.location.href);
  } catch {
    throw new Error(`${JSON.stringify(trimmed)} is not a web address`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`only http and https addresses can be loaded; found ${url.protocol}`);
  }
  return url;
}

async function fetchBytes(url, progress) {
  let resp;
  try {
    resp = await fetch(url.href, { credentials: 'same-origin', cache: 'no-cache' });
  } catch {
    throw new Error(
      `could not fetch ${url.href}: the server did not answer, or it does not allow this page ` +
        'to read it (CORS)',
    );
  }
  if (!resp.ok) {
    throw new Error(`the server answered ${resp.status} ${resp.statusText} for ${url.href}`.trim());
  }
  const total = Number(resp.headers.get('content-length')) || 0;
  if (!resp.body || !resp.body.getReader) return new Uint8Array(await resp.arrayBuffer());
  const reader = resp.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    progress(
      total
        ? `Downloading… ${formatBytes(received)} of ${formatBytes(total)} (${Math.floor((received * 100) / total)} %)`
        : `Downloading… ${formatBytes(received)}`,
    );
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function loadUrl(text) {
  let url;
  try {
    url = parseUserUrl(text);
  } catch (e) {
    showError('Could not load the URL', messageOf(e));
    return Promise.resolve();
  }
  const name = decodeURIComponent(url.pathname.split('/').pop() || url.host);
  return loadFrom(name, (progress) => {
    progress(`Downloading ${url.href}…`);
    return fetchBytes(url, progress);
  });
}

function sampleText() {
  if (state.sampleText == null) state.sampleText = sample_export(SAMPLE_TICKETS, SAMPLE_SEED);
  if (!state.sampleUrl) {
    // "Download sample": a Blob of the same export the demo shows, made in the page.
    state.sampleUrl = URL.createObjectURL(
      new Blob([state.sampleText], { type: 'application/json' }),
    );
    el.sampleLink.href = state.sampleUrl;
  }
  return state.sampleText;
}

function loadSample() {
  return loadFrom('the built-in sample', async () => new TextEncoder().encode(sampleText()));
}

// ---------------------------------------------------------------------------------------------
// Report and rendering

function reportOptions() {
  const o = { bucket: el.bucket.value || 'auto' };
  if (el.from.value) o.from = el.from.value;
  if (el.to.value) o.to = el.to.value;
  if (el.channel.value) o.channels = [el.channel.value];
  if (el.agent.value) o.agents = [el.agent.value];
  return o;
}

function resetControls() {
  el.from.value = '';
  el.to.value = '';
  el.bucket.value = 'auto';
  el.channel.value = '';
  el.agent.value = '';
}

/** Computes the report for the current controls and shows it. False when the engine refused. */
function refresh({ fresh = false } = {}) {
  let r;
  try {
    r = state.engine.report(reportOptions());
  } catch (e) {
    showError('Could not compute the report', messageOf(e));
    return false;
  }
  if (!fresh) hideError();
  state.report = r;
  if (fresh || !state.dataRange) {
    state.dataRange = { from: r.period.from, to: r.period.to };
    fillFilters(r);
  }
  render(r);
  if (!fresh) drawAll();
  return true;
}

function fillFilters(r) {
  const fill = (select, allLabel, items) => {
    const keep = select.value;
    clear(select);
    select.append(h('option', { value: '' }, allLabel));
    for (const [value, label] of items) select.append(h('option', { value }, label));
    select.value = items.some(([v]) => v === keep) ? keep : '';
    select.disabled = items.length === 0;
  };
  fill(el.channel, 'All channels', r ? r.all_channels.map((c) => [c, c]) : []);
  fill(
    el.agent,
    'All agents',
    r ? r.all_agents.map(([id, name]) => [id, name && name !== id ? `${name}` : id]) : [],
  );
}

function render(r) {
  const range = state.dataRange || r.period;
  for (const input of [el.from, el.to]) {
    input.min = range.from;
    input.max = range.to;
  }
  el.from.value = r.period.from;
  el.to.value = r.period.to;
  el.periodText.textContent = formatPeriod(r.period);
  for (const tile of r.tiles) renderTile(tile, r);
  renderAgents(r);
  renderChartText(r);
}

/** Sets a tile's detail line from parts joined by " · ", each part kept on one line. */
function setDetail(node, parts) {
  clear(node);
  parts.filter(Boolean).forEach((part, i) => {
    if (i > 0) node.append(' · ');
    node.append(h('span', { className: 'tk-nowrap' }, part));
  });
}

function renderTile(tile, r) {
  const box = el.tiles.querySelector(`[data-key="${CSS.escape(tile.key)}"]`);
  if (!box) return;
  const value = box.querySelector('.tk-tile-value');
  const detail = box.querySelector('.tk-tile-detail');
  const note = box.querySelector('.tk-tile-note');
  value.classList.remove('is-missing', 'is-empty');
  box.classList.toggle('is-unavailable', Boolean(tile.missing));
  box.removeAttribute('title');
  detail.textContent = '';
  note.textContent = tile.note || '';

  if (tile.missing) {
    // The data cannot support this KPI: say which field would, never show a made-up zero.
    value.classList.add('is-missing');
    value.textContent = tile.missing;
    detail.textContent = 'Not available in this export';
    return;
  }
  if (tile.value == null) {
    value.classList.add('is-empty');
    value.textContent = 'No data';
    detail.textContent =
      tile.unit === 'seconds' ? 'nothing to measure in this period' : 'none in this period';
    return;
  }
  switch (tile.unit) {
    case 'seconds': {
      value.textContent = formatDuration(tile.value);
      const s = tile.summary;
      if (s) {
        setDetail(detail, [
          `p90 ${formatDuration(s.p90)}`,
          `mean ${formatDuration(s.mean)}`,
          `n = ${formatCount(s.count)}`,
        ]);
      }
      break;
    }
    case 'percent': {
      value.textContent = formatPercent(tile.value);
      const q = tile.ratio;
      if (q) {
        const of = `${formatCount(q.numerator)} of ${formatCount(q.denominator)}`;
        setDetail(
          detail,
          tile.key === 'csat'
            ? [`${of} satisfied`, `n = ${formatCount(q.denominator)}`]
            : [tile.key === 'resolution_rate' ? `${of} tickets solved` : of],
        );
        box.title = `${q.numerator} / ${q.denominator}`;
      }
      break;
    }
    default: {
      value.textContent = formatCount(tile.value);
      if (tile.key === 'created') {
        detail.textContent =
          r.tickets_in_dataset !== tile.value
            ? `of ${formatCount(r.tickets_in_dataset)} in the export`
            : 'all tickets in the export';
      }
    }
  }
}

function renderAgents(r) {
  clear(el.agentsBody);
  const missing = r.missing.find((m) => m.view === 'agents');
  el.agentsMissing.hidden = !missing;
  el.agentsMissing.textContent = missing ? `No per-agent figures: ${missing.needs}.` : '';
  if (r.agents.length === 0) {
    el.agentsBody.append(
      h('tr', { className: 'tk-empty-row' }, h('td', { colspan: '6' }, EMPTY_TEXT)),
    );
    return;
  }
  for (const a of r.agents) {
    const csat =
      a.csat == null
        ? '—'
        : `${formatPercent(a.csat)} (${formatCount(a.csat_ratio.numerator)}/${formatCount(a.csat_ratio.denominator)})`;
    const name = h('th', { scope: 'row' }, a.name);
    if (!a.id) name.classList.add('tk-muted');
    else if (a.name !== a.id) name.title = a.id;
    el.agentsBody.append(
      h(
        'tr',
        { 'data-agent': a.id },
        name,
        h('td', { className: 'tk-num' }, formatCount(a.tickets)),
        h('td', { className: 'tk-num' }, formatCount(a.solved)),
        h('td', { className: 'tk-num' }, formatDuration(a.frt_median)),
        h('td', { className: 'tk-num' }, formatDuration(a.resolution_median)),
        h('td', { className: 'tk-num' }, csat),
      ),
    );
  }
}

/** The text alternative of each chart: an aria-label summary and a visually hidden table. */
function renderChartText(r) {
  const table = (id, caption, head, rows) => {
    const t = $(id);
    clear(t);
    t.append(h('caption', {}, caption));
    t.append(h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))));
    const body = h('tbody');
    for (const row of rows) {
      body.append(
        h('tr', {}, h('th', { scope: 'row' }, row[0]), ...row.slice(1).map((c) => h('td', {}, c))),
      );
    }
    t.append(body);
  };
  const s = r.series;
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const missingFor = (view) => r.missing.find((m) => m.view === view);
  const label = (kind, text) => $(`chart-${kind}`).setAttribute('aria-label', text);

  label(
    'volume',
    `Bar chart of tickets created and solved per ${r.period.bucket}: ` +
      `${formatCount(sum(s.created))} created and ${formatCount(sum(s.solved))} solved ` +
      `over ${s.labels.length} ${r.period.bucket}s. The numbers follow in a table.`,
  );
  table(
    'table-volume',
    `Tickets created and solved per ${r.period.bucket}`,
    [r.period.bucket, 'Created', 'Solved', 'Net flow'],
    s.labels.map((l, i) => [l, formatCount(s.created[i]), formatCount(s.solved[i]), String(s.net_flow[i])]),
  );

  const chMissing = missingFor('channels');
  label(
    'channels',
    chMissing
      ? `Tickets by channel: not available, ${chMissing.needs}.`
      : `Tickets by channel: ${r.channels
          .slice(0, 5)
          .map((c) => `${c.name} ${formatCount(c.count)} (${formatPercent(c.percent)})`)
          .join(', ')}${r.channels.length > 5 ? ', …' : ''}.`,
  );
  table(
    'table-channels',
    'Tickets created by channel',
    ['Channel', 'Tickets', 'Share'],
    r.channels.map((c) => [c.name, formatCount(c.count), formatPercent(c.percent)]),
  );

  const frtMissing = missingFor('frt_distribution');
  label(
    'frt',
    frtMissing
      ? `First response time distribution: not available, ${frtMissing.needs}.`
      : `First response time distribution: ${r.frt_distribution
          .map((b) => `${b.name} ${formatCount(b.count)}`)
          .join(', ')}.`,
  );
  table(
    'table-frt',
    'First response time distribution',
    ['First response within', 'Tickets', 'Share'],
    r.frt_distribution.map((b) => [b.name, formatCount(b.count), formatPercent(b.percent)]),
  );

  const last = s.backlog.length ? s.backlog[s.backlog.length - 1] : null;
  label(
    'backlog',
    `Line chart of open tickets at the end of each ${r.period.bucket}` +
      (last == null ? '.' : `, ending at ${formatCount(last)} open.`) +
      ' The numbers follow in a table.',
  );
  table(
    'table-backlog',
    `Open tickets at the end of each ${r.period.bucket}`,
    [r.period.bucket, 'Open'],
    s.labels.map((l, i) => [l, formatCount(s.backlog[i])]),
  );

  // A visible note under charts whose field is missing from the data.
  for (const [kind, miss] of [
    ['channels', chMissing],
    ['frt', frtMissing],
  ]) {
    const fig = document.querySelector(`[data-chart="${kind}"]`);
    let note = fig.querySelector('.tk-chart-missing');
    if (miss && !note) {
      note = h('p', { className: 'tk-chart-missing tk-missing' });
      fig.append(note);
    }
    if (note) {
      note.textContent = miss ? `Not available: ${miss.needs}.` : '';
      note.hidden = !miss;
    }
  }
}

function renderImport(imp, name, timing) {
  const warnings = imp.warnings || [];
  el.importSummary.textContent =
    `Import: ${formatCount(imp.tickets)} tickets kept from ${formatCount(imp.records)} records` +
    (imp.skipped ? ` · ${formatCount(imp.skipped)} skipped` : '') +
    (warnings.length ? ` · ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '');
  el.importSource.textContent = name;
  el.importFormat.textContent = imp.format;
  el.importRecords.textContent = formatCount(imp.records);
  el.importTickets.textContent = formatCount(imp.tickets);
  el.importSkipped.textContent = formatCount(imp.skipped);
  el.importTimezone.textContent = imp.timezone;
  el.importTime.textContent =
    `${formatCount(timing.read + timing.parse + timing.report)} ms ` +
    `(read ${formatCount(timing.read)}, parse ${formatCount(timing.parse)}, report ${formatCount(timing.report)})`;

  clear(el.importWarnings);
  el.importNoWarnings.hidden = warnings.length > 0;
  for (const w of warnings) {
    const head = h(
      'p',
      { className: 'tk-warning-head' },
      h('span', { className: 'tk-badge' }, `× ${formatCount(w.count)}`),
      w.skipped ? h('span', { className: 'tk-badge tk-badge-bad' }, 'skipped') : null,
      h('span', { className: 'tk-warning-message' }, w.message),
    );
    const examples = h('ul', { className: 'tk-examples' });
    for (const ex of w.examples || []) examples.append(h('li', {}, h('code', {}, ex)));
    el.importWarnings.append(h('li', { className: w.skipped ? 'is-skipped' : '' }, head, examples));
  }

  clear(el.importFields);
  for (const [field, count] of Object.entries(imp.fields || {})) {
    el.importFields.append(
      h('li', {}, h('code', {}, field), ` ${formatCount(count)}`),
    );
  }
  el.importFields.parentElement.hidden = false;
}

function renderDatasetInfo() {
  let info = null;
  try {
    info = state.engine.dataset_info();
  } catch {
    // no data loaded
  }
  if (!info) return;
  el.datasetName.textContent = info.name || state.source || 'Ticket export';
  el.datasetMeta.textContent = ` · ${formatCount(info.tickets)} tickets · ${info.timezone || viewerTimeZone}`;
}

// ---------------------------------------------------------------------------------------------
// Charts: canvas pixel size = CSS box × devicePixelRatio, redrawn on resize.

const pendingDraw = new Set();
let drawScheduled = false;

function drawChart(kind) {
  const canvas = $(`chart-${kind}`);
  const dpr = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  const w = Math.round(rect.width * dpr);
  const hgt = Math.round(rect.height * dpr);
  if (w < 2 || hgt < 2) return; // hidden or collapsed
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== hgt) canvas.height = hgt;
  try {
    // The figure caption already names the chart: no title inside the canvas.
    state.engine.draw(kind, canvas, dpr, '', EMPTY_TEXT);
    canvas.dataset.drawn = String((Number(canvas.dataset.drawn) || 0) + 1);
  } catch (e) {
    console.warn(`[ticket-kpis] could not draw ${kind}: ${messageOf(e)}`);
  }
}

function drawAll() {
  if (!state.report) return;
  for (const { kind } of CHARTS) drawChart(kind);
}

function scheduleDraw(kind) {
  pendingDraw.add(kind);
  if (drawScheduled) return;
  drawScheduled = true;
  requestAnimationFrame(() => {
    drawScheduled = false;
    const kinds = [...pendingDraw];
    pendingDraw.clear();
    if (!state.report) return;
    for (const k of kinds) drawChart(k);
  });
}

function watchCanvases() {
  // The canvas's CSS box is set by the stylesheet; its pixel buffer follows it × devicePixelRatio.
  const ro = new ResizeObserver((entries) => {
    for (const entry of entries) scheduleDraw(entry.target.id.replace(/^chart-/, ''));
  });
  for (const { kind } of CHARTS) ro.observe($(`chart-${kind}`));
  // Zooming or moving to another screen changes devicePixelRatio without a resize.
  const watchDpr = () => {
    const mq = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    mq.addEventListener(
      'change',
      () => {
        drawAll();
        watchDpr();
      },
      { once: true },
    );
  };
  watchDpr();
}

function downloadSvg(kind) {
  if (!state.report) return;
  const spec = CHARTS.find((c) => c.kind === kind);
  let svg;
  try {
    svg = state.engine.chart_svg(kind, 960, 480, spec.title);
  } catch (e) {
    showError('Could not export the chart', messageOf(e));
    return;
  }
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const a = h('a', { href: url, download: `${kind}.svg` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---------------------------------------------------------------------------------------------
// Drag and drop anywhere on the widget

function wireDragAndDrop() {
  let depth = 0;
  const hasFiles = (e) =>
    e.dataTransfer && Array.from(e.dataTransfer.types || []).some((t) => t === 'Files');
  const show = () => {
    el.dropOverlay.hidden = false;
    root.classList.add('is-dragging');
  };
  const hide = () => {
    depth = 0;
    el.dropOverlay.hidden = true;
    root.classList.remove('is-dragging');
  };
  root.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth += 1;
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
    depth = Math.max(0, depth - 1);
    if (depth === 0) hide();
  });
  root.addEventListener('drop', (e) => {
    e.preventDefault();
    hide();
    const files = e.dataTransfer ? e.dataTransfer.files : null;
    if (files && files.length > 0) {
      loadFile(files[0]);
      return;
    }
    const uri = e.dataTransfer && e.dataTransfer.getData('text/uri-list');
    if (uri) {
      const first = uri.split(/\r?\n/).find((l) => l && !l.startsWith('#'));
      if (first) {
        el.urlInput.value = first;
        loadUrl(first);
      }
    }
  });
  // A file dropped just outside the widget must not make the browser navigate away.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    hide();
  });
  window.addEventListener('dragend', hide);
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wireControls() {
  el.fileInput.addEventListener('change', () => {
    const f = el.fileInput.files && el.fileInput.files[0];
    if (f) loadFile(f);
  });
  el.urlForm.addEventListener('submit', (e) => {
    e.preventDefault();
    loadUrl(el.urlInput.value);
  });
  el.sampleButton.addEventListener('click', () => loadSample());
  el.sampleLink.addEventListener('click', (e) => {
    // The link's href is a Blob URL of the sample, made on first use (the click's default
    // action then downloads it).
    if (!state.engine) {
      e.preventDefault();
      return;
    }
    sampleText();
  });
  el.errorClose.addEventListener('click', hideError);
  for (const input of [el.from, el.to, el.bucket, el.channel, el.agent]) {
    input.addEventListener('change', () => {
      if (state.report) refresh();
    });
  }
  el.controls.addEventListener('submit', (e) => e.preventDefault());
  el.reset.addEventListener('click', (e) => {
    e.preventDefault();
    resetControls();
    if (state.report) refresh();
  });
  for (const b of document.querySelectorAll('[data-svg]')) {
    b.addEventListener('click', () => downloadSvg(b.dataset.svg));
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    console.warn(`[ticket-kpis] blocked by the content security policy: ${e.blockedURI} (${e.violatedDirective})`);
  });
}

async function main() {
  setBusy(true, 'Starting the engine…');
  wireDragAndDrop();
  wireControls();
  watchCanvases();
  try {
    await init();
    state.engine = new Engine();
  } catch (e) {
    setBusy(false);
    root.dataset.state = 'error';
    el.datasetName.textContent = 'The engine could not start';
    showError('The KPI engine could not start', messageOf(e));
    return;
  }
  const src = new URLSearchParams(window.location.search).get('src');
  if (src) {
    el.urlInput.value = src;
    await loadUrl(src);
  } else {
    await loadSample();
  }
  if (!state.report) {
    el.datasetName.textContent = 'No data loaded';
    el.empty.hidden = false;
  }
}

main();
