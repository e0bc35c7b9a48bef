// Exports of the widget: each chart as PNG and SVG, the report's tables and one row per ticket as
// CSV, a printable team report, and a static HTML snapshot to paste into a wiki page.
//
//   const exporter = createExporter(shadowRoot, hooks);   // adds the buttons, handles clicks
//   hooks = {
//     report()                    the last report (plain object) or null
//     locale()                    the widget's Locale
//     source()                    the loaded file's name (for file names and the snapshot)
//     charts()                    the chart kinds the dashboard shows
//     svg(kind, width, height, title)     the chart as an SVG document (Engine.chart_svg_with)
//     draw(canvas, kind, scale, title)    draws the chart into a canvas (Engine.draw_with)
//     ticketRows()                Promise of the per-ticket rows (Engine.ticket_rows, worker)
//     view() / setView(name)      optional: the audience view shown, to print the team report
//     error(title, message)       shows an error in the widget
//   }
//
// Everything happens in this page: files are made as Blobs and saved through a temporary
// <a download> (no request), the clipboard gets the snapshot. Ticket-derived text (agent names,
// channels, tags, feedback words, file names) is data everywhere: text nodes in the widget,
// HTML-escaped in the snapshot, and in CSV quoted (RFC 4180) with formula triggers neutralised
// (OWASP CSV injection: a cell starting with = + - @ tab or CR gets a leading apostrophe).
import { chartTitle, esc } from './widget-template.js';
import { changeText, dimensionLabel, kpiLabel, percentChangeText, sectionLabel, valueText } from './views/dom.js';

// ---- CSV ------------------------------------------------------------------------------------

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** `text` made inert for spreadsheets: a leading apostrophe when it could start a formula. */
export function neutralise(text) {
  const s = String(text);
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** A number as plain text: a dot for decimals, at most six of them, no exponent for our sizes. */
function numberText(n) {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toFixed(6)));
}

/**
 * One CSV field (RFC 4180). Numbers and booleans are written bare; text is always quoted, with
 * quotes doubled and formula triggers neutralised; null and undefined are empty.
 */
export function csvCell(v) {
  if (v == null) return '';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `"${neutralise(v).replace(/"/g, '""')}"`;
}

/** Rows of cells as a CSV document: CRLF line ends, a UTF-8 byte order mark for spreadsheets. */
export function toCsv(rows) {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

// ---- the report's tables as rows (headers are stable names, the same in every language) ------

const UNIT_SUFFIX = { seconds: '_seconds', percent: '_percent' };
const unitOf = (report, key) => (report.kpis.find((k) => k.key === key) || {}).unit;
const column = (report, key) => `${key}${UNIT_SUFFIX[unitOf(report, key)] || ''}`;

/** Every KPI of the report: value, previous period, change, sides of rates, summaries, target. */
export function kpiRows(report, locale) {
  const head = [
    'key', 'kpi', 'section', 'unit', 'value', 'previous', 'change', 'change_percent', 'numerator',
    'denominator', 'median', 'p90', 'mean', 'business_median', 'business_p90', 'business_mean',
    'target', 'target_met', 'missing', 'note',
  ];
  const rows = report.kpis.map((k) => [
    k.key,
    kpiLabel(locale, k.key, k.label),
    sectionLabel(locale, k.section),
    k.unit,
    k.value,
    k.previous,
    k.change,
    k.change_percent,
    k.ratio ? k.ratio.numerator : null,
    k.ratio ? k.ratio.denominator : null,
    k.summary ? k.summary.median : null,
    k.summary ? k.summary.p90 : null,
    k.summary ? k.summary.mean : null,
    k.business ? k.business.median : null,
    k.business ? k.business.p90 : null,
    k.business ? k.business.mean : null,
    k.target ? k.target.target : null,
    k.target ? k.target.met : null,
    k.missing,
    k.note,
  ]);
  return [head, ...rows];
}

/** The agents table: tickets, solved, medians (calendar seconds) and CSAT per agent. */
export function agentRows(report, locale) {
  const head = [
    'agent_id', 'agent', 'tickets', 'solved', 'frt_median_seconds', 'resolution_median_seconds',
    'csat_percent', 'csat_satisfied', 'csat_ratings',
  ];
  const rows = report.agents.map((a) => [
    a.id,
    a.id ? a.name : locale.t('export.unassigned', '(unassigned)'),
    a.tickets,
    a.solved,
    a.frt_median,
    a.resolution_median,
    a.csat,
    a.csat_ratio ? a.csat_ratio.numerator : null,
    a.csat_ratio ? a.csat_ratio.denominator : null,
  ]);
  return [head, ...rows];
}

/** The agent scorecard, one row per agent and a last row with the team median. */
export function scorecardRows(report, locale) {
  const sc = report.scorecard || { keys: [], rows: [], team_median: [] };
  const head = ['agent_id', 'agent', 'team', ...sc.keys.map((k) => column(report, k))];
  const rows = sc.rows.map((r) => [r.id, r.name, r.team, ...r.values]);
  rows.push(['', locale.t('export.team_median', 'Team median'), '', ...sc.team_median]);
  return [head, ...rows];
}

/** The breakdown by the chosen dimension, or null when the report has none. */
export function breakdownRows(report) {
  const b = report.breakdown;
  if (!b) return null;
  const head = [b.dimension, ...b.keys.map((k) => column(report, k))];
  return [head, ...b.rows.map((r) => [r.name, ...r.values])];
}

/** Columns of the per-ticket CSV, in order (the fields of the engine's TicketRow). */
export const TICKET_COLUMNS = [
  'id', 'created', 'resolved', 'channel', 'priority', 'agent', 'agent_id', 'team', 'status',
  'frt_seconds', 'frt_business_seconds', 'resolution_seconds', 'resolution_business_seconds',
  'first_reply_sla_met', 'resolution_sla_met', 'first_contact_resolution', 'csat_score',
  'csat_scale', 'csat_satisfied',
];

/** The engine's per-ticket rows as CSV rows. */
export function ticketRows(rows) {
  return [TICKET_COLUMNS, ...rows.map((r) => TICKET_COLUMNS.map((c) => r[c]))];
}

// ---- SVG: only drawing elements go into the snapshot -----------------------------------------

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_ELEMENTS = new Set([
  'svg', 'g', 'rect', 'line', 'polyline', 'polygon', 'path', 'circle', 'ellipse', 'text', 'tspan',
  'title', 'desc', 'defs', 'clipPath',
]);

/**
 * The chart SVG with only drawing elements and presentation attributes: no scripts, links,
 * event handlers, styles or external references, whatever the text said. Returns the cleaned
 * markup, or null when it is not well-formed SVG. (The engine escapes its text already; this is
 * the second lock.)
 */
export function cleanSvg(text, win = globalThis) {
  const doc = new win.DOMParser().parseFromString(String(text), 'image/svg+xml');
  const svg = doc.documentElement;
  if (!svg || svg.localName !== 'svg' || svg.namespaceURI !== SVG_NS || doc.getElementsByTagName('parsererror').length) {
    return null;
  }
  const walk = (el) => {
    for (const child of [...el.children]) {
      if (child.namespaceURI !== SVG_NS || !SVG_ELEMENTS.has(child.localName)) child.remove();
      else walk(child);
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.toLowerCase();
      if (
        name.startsWith('on') ||
        name === 'style' ||
        name.endsWith('href') ||
        name === 'src' ||
        value.includes('javascript:') ||
        value.includes('url(')
      ) {
        el.removeAttribute(attr.name);
      }
    }
  };
  walk(svg);
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('role', 'img');
  return new win.XMLSerializer().serializeToString(svg);
}

// ---- the static HTML snapshot -------------------------------------------------------------------

const SNAPSHOT_CSS = `
.tk-snapshot { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c2230; max-width: 1100px; }
.tk-snapshot h1 { font-size: 1.4em; margin: 0 0 .2em; }
.tk-snapshot h2 { font-size: 1.15em; margin: 1.4em 0 .5em; }
.tk-snapshot p { margin: .2em 0; }
.tk-snapshot .tk-s-muted { color: #5d6677; }
.tk-snapshot table { border-collapse: collapse; margin: .4em 0 1em; }
.tk-snapshot caption { text-align: start; font-weight: 600; padding: .3em 0; }
.tk-snapshot th, .tk-snapshot td { border: 1px solid #d6dae2; padding: .25em .6em; text-align: start; vertical-align: top; }
.tk-snapshot td.tk-s-num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tk-snapshot thead th { background: #f3f5f9; }
.tk-snapshot figure { margin: 0 0 1.2em; break-inside: avoid; }
.tk-snapshot figcaption { font-weight: 600; margin-bottom: .3em; }
.tk-snapshot figure svg { width: 100%; max-width: 720px; height: auto; display: block; }
.tk-snapshot ul { margin: .2em 0 1em; padding-inline-start: 1.4em; }
`;

function tableHtml(caption, head, rows, numeric = () => false) {
  const th = head.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td${numeric(i) ? ' class="tk-s-num"' : ''}>${esc(c)}</td>`))
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n<caption>${esc(caption)}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/**
 * The snapshot of `report`: `{ fragment, document }`. The fragment (a <section> with its own
 * <style>) is what a wiki's HTML block takes; the document wraps it into a standalone page with
 * a Content-Security-Policy that allows no script and no request. `charts` is
 * [{kind, title, svg}] with the SVG already made by the engine; it is cleaned again here.
 */
export function snapshotHtml({ report, locale, charts = [], source = '', title = '', made = new Date(), win = globalThis }) {
  const L = locale;
  const t = (k, en, v) => L.t(k, en, v);
  const kpiOf = new Map(report.kpis.map((k) => [k.key, k]));
  const label = (key) => kpiLabel(L, key, (kpiOf.get(key) || {}).label);
  const value = (key, v) => valueText(L, (kpiOf.get(key) || {}).unit, v);
  const heading = title || t('widget.title', 'Help-desk KPIs');
  const basis =
    report.time_basis === 'business'
      ? t('views.basis.business_long', 'business hours (the working calendar)')
      : t('views.basis.calendar_long', 'calendar time');
  const parts = [];
  parts.push(`<h1>${esc(heading)}</h1>`);
  parts.push(
    `<p>${esc(
      t('export.snapshot.period', '{range} · compared with {previous} · times in {timezone} · durations: {basis}', {
        range: L.dayRange(report.period.from, report.period.to),
        previous: L.dayRange(report.previous_period.from, report.previous_period.to),
        timezone: report.period.timezone,
        basis,
      }),
    )}</p>`,
  );
  parts.push(
    `<p class="tk-s-muted">${esc(
      source
        ? t('export.snapshot.made_from', 'Snapshot of {source}, made {date} in the browser by the ticket-kpis widget.', {
            source,
            date: L.day(made.toISOString().slice(0, 10)),
          })
        : t('export.snapshot.made', 'Snapshot made {date} in the browser by the ticket-kpis widget.', {
            date: L.day(made.toISOString().slice(0, 10)),
          }),
    )}</p>`,
  );

  // Key figures.
  const tiles = (report.tiles || []).map((tile) => [
    label(tile.key),
    tile.missing ? tile.missing : value(tile.key, tile.value),
    value(tile.key, (kpiOf.get(tile.key) || {}).previous),
    percentChangeText(L, (kpiOf.get(tile.key) || {}).change_percent) || '—',
  ]);
  if (tiles.length) {
    parts.push(
      tableHtml(
        t('widget.tiles', 'Key figures'),
        [t('views.kpis.kpi', 'KPI'), t('export.snapshot.value', 'This period'), t('export.snapshot.previous', 'Previous period'), t('export.snapshot.change', 'Change')],
        tiles,
        (i) => i > 0,
      ),
    );
  }

  // Charts, inline SVG.
  const figures = [];
  for (const c of charts) {
    const svg = c.svg ? cleanSvg(c.svg, win) : null;
    if (!svg) continue;
    figures.push(`<figure>\n<figcaption>${esc(c.title)}</figcaption>\n${svg}\n</figure>`);
  }
  if (figures.length) parts.push(`<h2>${esc(t('widget.charts', 'Charts'))}</h2>\n${figures.join('\n')}`);

  // Channels in full (the chart shortens long names).
  if (report.channels && report.channels.length) {
    parts.push(
      tableHtml(
        t('widget.alt.channels_caption', 'Tickets created by channel'),
        [t('widget.channel', 'Channel'), t('widget.agents.tickets', 'Tickets'), t('widget.alt.share', 'Share')],
        report.channels.map((c) => [c.name, L.integer(c.count), L.percent(c.percent)]),
        (i) => i > 0,
      ),
    );
  }

  // Every KPI the data supports.
  const kpis = report.kpis.filter((k) => !k.missing);
  if (kpis.length) {
    parts.push(
      tableHtml(
        t('export.snapshot.kpis', 'Every KPI'),
        [
          t('views.kpis.kpi', 'KPI'),
          t('export.snapshot.value', 'This period'),
          t('export.snapshot.previous', 'Previous period'),
          t('export.snapshot.change', 'Change'),
          t('export.snapshot.target', 'Target'),
        ],
        kpis.map((k) => [
          `${label(k.key)} (${sectionLabel(L, k.section)})`,
          valueText(L, k.unit, k.value),
          valueText(L, k.unit, k.previous),
          [changeText(L, k.unit, k.change), percentChangeText(L, k.change_percent)].filter((x) => x && x !== '—').join(' ') || '—',
          k.target
            ? `${valueText(L, k.unit, k.target.target)} · ${k.target.met ? t('views.target.met', 'met') : t('views.target.missed', 'missed')}`
            : '—',
        ]),
        (i) => i > 0,
      ),
    );
  }

  // Agents.
  if (report.agents && report.agents.length) {
    parts.push(
      tableHtml(
        t('widget.agents', 'Agents'),
        [
          t('widget.agents.agent', 'Agent'),
          t('widget.agents.tickets', 'Tickets'),
          t('widget.agents.solved', 'Solved'),
          t('widget.agents.frt', 'FRT median'),
          t('widget.agents.resolution', 'Resolution median'),
          t('widget.agents.csat', 'CSAT'),
        ],
        report.agents.map((a) => [
          a.id ? a.name : t('export.unassigned', '(unassigned)'),
          L.integer(a.tickets),
          L.integer(a.solved),
          L.duration(a.frt_median),
          L.duration(a.resolution_median),
          a.csat == null ? '—' : `${L.percent(a.csat)} (${L.integer(a.csat_ratio.numerator)}/${L.integer(a.csat_ratio.denominator)})`,
        ]),
        (i) => i > 0,
      ),
    );
  }

  // Scorecard against the team median.
  const sc = report.scorecard;
  if (sc && sc.rows.length) {
    const unit = (k) => (kpiOf.get(k) || {}).unit;
    parts.push(
      tableHtml(
        t('export.snapshot.scorecard', 'Agent scorecard against the team median'),
        [t('widget.agents.agent', 'Agent'), t('views.dimension.team', 'Team'), ...sc.keys.map(label)],
        [
          ...sc.rows.map((r) => [r.name, r.team || '—', ...r.values.map((v, i) => valueText(L, unit(sc.keys[i]), v))]),
          [t('export.team_median', 'Team median'), '', ...sc.team_median.map((v, i) => valueText(L, unit(sc.keys[i]), v))],
        ],
        (i) => i > 1,
      ),
    );
  }

  // Breakdown.
  const b = report.breakdown;
  if (b && b.rows.length) {
    const keys = b.keys.filter((k) => kpiOf.has(k) && !kpiOf.get(k).missing);
    const idx = keys.map((k) => b.keys.indexOf(k));
    parts.push(
      tableHtml(
        t('export.snapshot.breakdown', 'Breakdown by {dimension}', { dimension: dimensionLabel(L, b.dimension) }),
        [dimensionLabel(L, b.dimension), ...keys.map(label)],
        b.rows.map((r) => [r.name, ...idx.map((i, j) => valueText(L, unitOf(report, keys[j]), r.values[i]))]),
        (i) => i > 0,
      ),
    );
  }

  // Feedback words.
  const fb = report.feedback || {};
  const words = (list) => `<ul>${list.map(([w, n]) => `<li>${esc(w)} (${esc(L.integer(n))})</li>`).join('')}</ul>`;
  if ((fb.satisfied && fb.satisfied.length) || (fb.dissatisfied && fb.dissatisfied.length)) {
    parts.push(`<h2>${esc(t('export.snapshot.feedback', 'Words in satisfaction comments'))}</h2>`);
    if (fb.satisfied && fb.satisfied.length) {
      parts.push(`<p>${esc(t('export.snapshot.satisfied', 'From satisfied customers'))}</p>${words(fb.satisfied)}`);
    }
    if (fb.dissatisfied && fb.dissatisfied.length) {
      parts.push(`<p>${esc(t('export.snapshot.dissatisfied', 'From dissatisfied customers'))}</p>${words(fb.dissatisfied)}`);
    }
  }

  const fragment =
    `<section class="tk-snapshot" lang="${esc(L.lang)}" dir="${esc(L.dir)}">\n<style>${SNAPSHOT_CSS}</style>\n` +
    `${parts.join('\n')}\n</section>\n`;
  const document =
    `<!doctype html>\n<html lang="${esc(L.lang)}" dir="${esc(L.dir)}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(heading)}</title>\n</head>\n<body>\n${fragment}</body>\n</html>\n`;
  return { fragment, document };
}

// ---- files ------------------------------------------------------------------------------------

/** A file name from the loaded file's name: letters, digits, dot, dash and underscore only. */
export function fileBase(source) {
  const base = String(source || '')
    .replace(/\.[a-z0-9]{1,8}$/i, '')
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return base || 'ticket-kpis';
}

/** Saves `blob` as `name` through a temporary <a download> inside `container` (no request). */
export function saveBlob(container, name, blob) {
  const doc = container.ownerDocument || container;
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  container.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

const canvasBlob = (canvas) =>
  new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png'),
  );

// ---- the widget's export buttons ----------------------------------------------------------------

/** Styles of the export bar and the print layout, adopted by the widget's shadow root. */
export const EXPORT_CSS = `
.tk-export { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin: 0 0 12px; font-size: 0.85em; }
.tk-export-label { color: var(--tk-muted, #5d6677); font-weight: 600; }
.tk-export-status { color: var(--tk-muted, #5d6677); }
.tk-export-copy { width: 100%; min-height: 6em; font: 12px/1.3 ui-monospace, monospace; }
.tk-export-chart { margin-inline-start: 6px; }
@media print {
  .tk-sources, .tk-controls, .tk-status, .tk-alert, .tk-drop-overlay, .tk-import, .tk-empty,
  .tk-export, .tk-export-chart, .tk-svg, .tk-cancel, .tk-footer, .tkv-noprint, .tkv-controls-box,
  .tkv-import-box, button {
    display: none !important;
  }
  .tk { box-shadow: none !important; border: 0 !important; }
  .tk-chart, .tk-card, .tk-tile, figure, table { break-inside: avoid; }
  .tk-table-scroll { overflow: visible !important; }
}
`;

const adopted = new WeakMap();
function adoptStyles(shadow) {
  if (adopted.has(shadow)) return;
  const win = shadow.ownerDocument.defaultView || globalThis;
  try {
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(EXPORT_CSS);
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet];
    adopted.set(shadow, sheet);
  } catch (e) {
    console.warn(`[ticket-kpis] the export styles could not be applied: ${e && e.message ? e.message : e}`);
  }
}

/** Adds the export bar and the per-chart PNG/SVG buttons to a widget's shadow root. */
export function createExporter(shadow, hooks) {
  const doc = shadow.ownerDocument;
  const locale = () => hooks.locale();
  const t = (k, en, v) => locale().t(k, en, v);
  let status = null;

  function button(action, text, extra = {}) {
    const b = doc.createElement('button');
    b.type = 'button';
    b.className = extra.className || 'tk-link';
    b.dataset.export = action;
    for (const [k, v] of Object.entries(extra.data || {})) b.dataset[k] = v;
    b.textContent = text;
    return b;
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function fail(e) {
    const message = e && e.message ? e.message : String(e);
    say('');
    if (typeof hooks.error === 'function') hooks.error(t('export.failed', 'Could not export'), message);
    else console.warn(`[ticket-kpis] export failed: ${message}`);
  }

  /** Puts the export bar and the chart buttons in place (again after the widget rebuilt). */
  function decorate() {
    const dash = shadow.getElementById('dashboard');
    if (dash && !dash.querySelector('.tk-export')) {
      const bar = doc.createElement('div');
      bar.className = 'tk-export';
      bar.setAttribute('role', 'group');
      bar.setAttribute('aria-label', t('export.group', 'Export'));
      const lab = doc.createElement('span');
      lab.className = 'tk-export-label';
      lab.textContent = t('export.group', 'Export');
      status = doc.createElement('span');
      status.className = 'tk-export-status';
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      bar.append(
        lab,
        button('csv-kpis', t('export.csv_kpis', 'KPIs (CSV)')),
        button('csv-agents', t('export.csv_agents', 'Agents (CSV)')),
        button('csv-scorecard', t('export.csv_scorecard', 'Scorecard (CSV)')),
        button('csv-breakdown', t('export.csv_breakdown', 'Breakdown (CSV)')),
        button('csv-tickets', t('export.csv_tickets', 'Tickets (CSV)')),
        button('snapshot', t('export.snapshot_button', 'HTML snapshot')),
        button('copy-snapshot', t('export.copy_button', 'Copy HTML')),
        button('print', t('export.print_button', 'Print team report')),
        status,
      );
      const controls = dash.querySelector('.tk-controls');
      if (controls) controls.after(bar);
      else dash.prepend(bar);
    } else if (dash) {
      status = dash.querySelector('.tk-export-status');
    }
    for (const fig of shadow.querySelectorAll('figure[data-chart]')) {
      const cap = fig.querySelector('figcaption');
      if (!cap || cap.querySelector('[data-export="png"]')) continue;
      const kind = fig.dataset.chart;
      const box = doc.createElement('span');
      box.className = 'tk-export-chart';
      box.append(button('png', t('export.png', 'PNG'), { data: { kind } }));
      if (!cap.querySelector('[data-svg]')) box.append(' ', button('svg', t('widget.svg', 'SVG'), { data: { kind } }));
      cap.append(' ', box);
    }
    syncBreakdown();
  }

  function syncBreakdown() {
    const b = shadow.querySelector('[data-export="csv-breakdown"]');
    const r = hooks.report();
    if (b) b.hidden = !(r && r.breakdown);
  }

  function titleOf(kind) {
    const r = hooks.report();
    const row = r && r.kpis.find((k) => `kpi:${k.key}` === kind);
    return chartTitle(locale(), kind, row && row.label);
  }

  function name(suffix) {
    return `${fileBase(hooks.source && hooks.source())}-${suffix}`;
  }

  function needReport() {
    const r = hooks.report();
    if (!r) throw new Error(t('export.no_report', 'load an export first'));
    return r;
  }

  function saveCsv(rows, suffix) {
    saveBlob(shadow.getElementById('app') || shadow, name(`${suffix}.csv`), new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
  }

  async function png(kind) {
    needReport();
    const scale = Math.max(2, Math.ceil((doc.defaultView && doc.defaultView.devicePixelRatio) || 1));
    let canvas = null;
    if (typeof hooks.draw === 'function') {
      canvas = doc.createElement('canvas');
      canvas.width = 960 * scale;
      canvas.height = 480 * scale;
      hooks.draw(canvas, kind, scale, titleOf(kind));
    } else {
      canvas = shadow.querySelector(`figure[data-chart="${CSS.escape(kind)}"] canvas`);
      if (!canvas) throw new Error(`no chart ${kind}`);
    }
    const blob = await canvasBlob(canvas);
    saveBlob(shadow.getElementById('app') || shadow, name(`${kind.replace(/[^a-z0-9_-]/gi, '-')}.png`), blob);
  }

  function svg(kind) {
    needReport();
    const text = hooks.svg(kind, 960, 480, titleOf(kind));
    saveBlob(shadow.getElementById('app') || shadow, name(`${kind.replace(/[^a-z0-9_-]/gi, '-')}.svg`), new Blob([text], { type: 'image/svg+xml' }));
  }

  function snapshot() {
    const report = needReport();
    const kinds = [...new Set([...(hooks.charts ? hooks.charts() : []), 'heatmap', 'satisfaction'])];
    const charts = [];
    for (const kind of kinds) {
      try {
        charts.push({ kind, title: titleOf(kind), svg: hooks.svg(kind, 720, 360, titleOf(kind)) });
      } catch (e) {
        console.warn(`[ticket-kpis] the snapshot left out chart ${kind}: ${e && e.message ? e.message : e}`);
      }
    }
    return snapshotHtml({
      report,
      locale: locale(),
      charts,
      source: hooks.source ? hooks.source() || '' : '',
      win: doc.defaultView || globalThis,
    });
  }

  async function copySnapshot() {
    const { fragment } = snapshot();
    const clip = doc.defaultView && doc.defaultView.navigator.clipboard;
    try {
      const win = doc.defaultView;
      if (clip && typeof clip.write === 'function' && win && typeof win.ClipboardItem === 'function') {
        // HTML for a rich editor, the markup as text for a wiki's HTML block.
        await clip.write([
          new win.ClipboardItem({
            'text/html': new Blob([fragment], { type: 'text/html' }),
            'text/plain': new Blob([fragment], { type: 'text/plain' }),
          }),
        ]);
      } else if (clip && typeof clip.writeText === 'function') {
        await clip.writeText(fragment);
      } else {
        throw new Error('no clipboard');
      }
      say(t('export.copied', 'Snapshot copied: paste it into a wiki page.'));
    } catch {
      // No clipboard (permission, an insecure page): show the markup, selected, to copy by hand.
      const bar = shadow.querySelector('.tk-export');
      let area = bar && bar.querySelector('.tk-export-copy');
      if (bar && !area) {
        area = doc.createElement('textarea');
        area.className = 'tk-export-copy';
        area.readOnly = true;
        area.setAttribute('aria-label', t('export.copy_by_hand', 'Snapshot HTML: copy it from here'));
        bar.append(area);
      }
      if (area) {
        area.value = fragment;
        area.focus();
        area.select();
      }
      say(t('export.copy_by_hand', 'Snapshot HTML: copy it from here'));
    }
  }

  function print() {
    needReport();
    const win = doc.defaultView;
    const before = typeof hooks.view === 'function' ? hooks.view() : null;
    if (typeof hooks.setView === 'function' && before !== 'team') hooks.setView('team');
    // Let the team report render and lay out before the print dialog takes its picture.
    win.requestAnimationFrame(() =>
      win.setTimeout(() => {
        win.print();
        if (typeof hooks.setView === 'function' && before && before !== 'team') hooks.setView(before);
      }, 50),
    );
  }

  async function run(action, kind) {
    const r = () => needReport();
    switch (action) {
      case 'csv-kpis':
        return saveCsv(kpiRows(r(), locale()), 'kpis');
      case 'csv-agents':
        return saveCsv(agentRows(r(), locale()), 'agents');
      case 'csv-scorecard':
        return saveCsv(scorecardRows(r(), locale()), 'scorecard');
      case 'csv-breakdown': {
        const rows = breakdownRows(r());
        if (!rows) throw new Error(t('export.no_breakdown', 'choose a breakdown dimension first'));
        return saveCsv(rows, `by-${r().breakdown.dimension}`);
      }
      case 'csv-tickets': {
        r();
        say(t('export.preparing', 'Preparing the per-ticket rows…'));
        const rows = await hooks.ticketRows();
        saveCsv(ticketRows(rows), 'tickets');
        return say(t('export.tickets_done', '{n} tickets exported.', { n: rows.length }));
      }
      case 'snapshot': {
        const { document } = snapshot();
        return saveBlob(shadow.getElementById('app') || shadow, name('snapshot.html'), new Blob([document], { type: 'text/html;charset=utf-8' }));
      }
      case 'copy-snapshot':
        return copySnapshot();
      case 'print':
        return print();
      case 'png':
        return png(kind);
      case 'svg':
        return svg(kind);
      default:
        throw new Error(`unknown export ${action}`);
    }
  }

  const onClick = (e) => {
    const b = e.target instanceof Element ? e.target.closest('[data-export]') : null;
    if (!b || !shadow.contains(b)) return;
    e.preventDefault();
    Promise.resolve()
      .then(() => run(b.dataset.export, b.dataset.kind))
      .catch(fail);
  };
  shadow.addEventListener('click', onClick);
  adoptStyles(shadow);
  // The widget rebuilds its markup (language, charts) and the views add chart figures later:
  // put the buttons back wherever they are missing.
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      decorate();
    });
  });
  observer.observe(shadow, { childList: true, subtree: true });
  decorate();

  return {
    decorate,
    run,
    snapshot,
    /** Stops listening (the widget left the page). */
    dispose() {
      observer.disconnect();
      shadow.removeEventListener('click', onClick);
    },
  };
}
