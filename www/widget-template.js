// The markup of one <ticket-kpis> widget, in its language. Only the widget's own texts (through
// locale.t, escaped) go into this HTML; ticket-derived text is added later as text nodes.

/** The headline tiles the widget shows unless the `kpis` attribute says otherwise. */
export const DEFAULT_TILES = ['created', 'frt', 'resolution_time', 'resolution_rate', 'backlog', 'csat'];

/** The charts the widget shows unless the `charts` attribute says otherwise. */
export const DEFAULT_CHARTS = ['volume', 'channels', 'frt', 'backlog'];

/** Charts that span both columns of the chart grid. */
const WIDE_CHARTS = new Set(['volume', 'backlog', 'heatmap', 'satisfaction']);

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** The id part of a chart kind (`kpi:frt` → `kpi-frt`). */
export const chartId = (kind) => kind.replace(/[^a-z0-9_-]/gi, '-');

/** A tile's label: [text, qualifier or null]. `catalogueLabel` is the engine's English label. */
export function tileLabel(locale, key, catalogueLabel) {
  const t = (k, en) => locale.t(k, en);
  switch (key) {
    case 'created':
      return [t('widget.tile.created', 'Tickets created'), null];
    case 'frt':
      return [t('widget.tile.frt', 'First response time'), t('widget.tile.median', '(median)')];
    case 'resolution_time':
      return [t('widget.tile.resolution_time', 'Resolution time'), t('widget.tile.median', '(median)')];
    case 'resolution_rate':
      return [t('widget.tile.resolution_rate', 'Resolution rate'), null];
    case 'backlog':
      return [t('widget.tile.backlog', 'Open at period end'), null];
    case 'csat':
      return [t('widget.tile.csat', 'CSAT'), null];
    default:
      return [locale.t(`kpi.${key}`, catalogueLabel || key), null];
  }
}

/** A chart's caption. `kpiLabel` is the engine's English label of a `kpi:<key>` chart. */
export function chartTitle(locale, kind, kpiLabel) {
  const t = (k, en, v) => locale.t(k, en, v);
  switch (kind) {
    case 'volume':
      return t('widget.chart.volume', 'Tickets created and solved');
    case 'channels':
      return t('widget.chart.channels', 'Tickets by channel');
    case 'frt':
      return t('widget.chart.frt', 'First response time distribution');
    case 'backlog':
      return t('widget.chart.backlog', 'Open tickets (backlog)');
    case 'heatmap':
      return t('widget.chart.heatmap', 'Busiest hours (tickets created)');
    case 'satisfaction':
      return t('widget.chart.satisfaction', 'Satisfaction ratings');
    default: {
      const key = kind.replace(/^kpi:/, '');
      return t('widget.chart.kpi', '{kpi} per period', {
        kpi: locale.t(`kpi.${key}`, kpiLabel || key),
      });
    }
  }
}

function tileHtml(locale, key) {
  const [label, qualifier] = tileLabel(locale, key);
  return `
      <article class="tk-tile" data-key="${esc(key)}">
        <h3 class="tk-tile-label">${esc(label)}${qualifier ? ` <span class="tk-muted">${esc(qualifier)}</span>` : ''}</h3>
        <p class="tk-tile-value"></p>
        <p class="tk-tile-detail"></p>
        <p class="tk-tile-note"></p>
      </article>`;
}

function chartHtml(locale, kind) {
  const id = chartId(kind);
  const wide = WIDE_CHARTS.has(kind) || kind.startsWith('kpi:');
  return `
      <figure class="tk-chart${wide ? ' tk-chart-wide' : ''}" data-chart="${esc(kind)}">
        <figcaption><span class="tk-chart-title">${esc(chartTitle(locale, kind))}</span>
          <button class="tk-link tk-svg" type="button" data-svg="${esc(kind)}">${esc(locale.t('widget.svg', 'SVG'))}</button></figcaption>
        <div class="tk-canvas-box"><canvas id="chart-${esc(id)}" role="img" aria-describedby="table-${esc(id)}"></canvas></div>
        <table id="table-${esc(id)}" class="tk-visually-hidden"></table>
      </figure>`;
}

/** The widget's markup: `tiles` and `charts` are the lists of keys and kinds to show. */
export function widgetHtml(locale, { tiles = DEFAULT_TILES, charts = DEFAULT_CHARTS } = {}) {
  const t = (k, en) => esc(locale.t(k, en));
  return `
<div id="app" class="tk" data-state="starting" data-loads="0" aria-busy="true" lang="${esc(locale.lang)}" dir="${esc(locale.dir)}">

  <header class="tk-header">
    <div class="tk-title">
      <h2 class="tk-h1">${t('widget.title', 'Help-desk KPIs')}</h2>
      <p class="tk-subtitle">
        <span id="dataset-name">${t('widget.starting_engine', 'Loading the engine…')}</span>
        <span id="dataset-meta" class="tk-muted"></span>
      </p>
    </div>
    <div class="tk-sources" role="group" aria-label="${t('widget.data_source', 'Data source')}">
      <label class="tk-button tk-button-primary" for="file-input">
        <svg aria-hidden="true" viewBox="0 0 20 20" width="16" height="16"><path d="M10 3v9m0-9L6.5 6.5M10 3l3.5 3.5M4 12v3.5A1.5 1.5 0 0 0 5.5 17h9a1.5 1.5 0 0 0 1.5-1.5V12" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>
        ${t('widget.open_file', 'Open file…')}
      </label>
      <input id="file-input" class="tk-visually-hidden" type="file" multiple
             accept=".json,.ndjson,.jsonl,.csv,.tsv,application/json,application/x-ndjson,text/csv,text/plain">
      <form id="url-form" class="tk-url-form" novalidate>
        <label class="tk-visually-hidden" for="url-input">${t('widget.url_label', 'Load from URL')}</label>
        <input id="url-input" type="url" inputmode="url" autocomplete="url" spellcheck="false"
               placeholder="https://… /tickets.json">
        <button class="tk-button" type="submit">${t('widget.url_button', 'Load URL')}</button>
      </form>
      <a id="sample-link" class="tk-link" href="#" download="ticket-kpis-sample.json">${t('widget.sample_download', 'Download sample')}</a>
      <button id="sample-button" class="tk-link" type="button">${t('widget.sample_show', 'Show sample')}</button>
    </div>
  </header>

  <div id="status" class="tk-status" role="status" aria-live="polite" hidden>
    <span class="tk-spinner" aria-hidden="true"></span>
    <div class="tk-status-body">
      <span id="status-text">${t('widget.loading', 'Loading…')}</span>
      <progress id="progress" class="tk-progress" max="1" hidden></progress>
    </div>
    <button id="cancel" class="tk-button tk-cancel" type="button" hidden>${t('widget.cancel', 'Cancel')}</button>
  </div>

  <div id="error" class="tk-alert" role="alert" hidden>
    <div class="tk-alert-body">
      <strong id="error-title">${t('widget.error.title', 'Could not read the file')}</strong>
      <p class="tk-muted tk-small" id="error-details">${t('widget.error.details', 'Details:')}</p>
      <p id="error-message" lang="en" dir="auto"></p>
      <p class="tk-muted tk-small" id="error-hint"></p>
    </div>
    <button id="error-close" class="tk-icon-button" type="button" aria-label="${t('widget.dismiss', 'Dismiss')}">×</button>
  </div>

  <section id="empty" class="tk-empty" hidden>
    <h2>${t('widget.empty.title', 'Drop a ticket export here')}</h2>
    <p>${t('widget.empty.text', 'Drag a JSON, NDJSON or CSV export anywhere onto this widget, open a file, or load one from a URL. The data stays in your browser.')}</p>
  </section>

  <div id="dashboard" class="tk-dashboard" hidden>
    <form id="controls" class="tk-controls" aria-label="${t('widget.controls', 'Report options')}">
      <div class="tk-field">
        <label for="from">${t('widget.from', 'From')}</label>
        <input id="from" name="from" type="date">
      </div>
      <div class="tk-field">
        <label for="to">${t('widget.to', 'To')}</label>
        <input id="to" name="to" type="date">
      </div>
      <div class="tk-field">
        <label for="bucket">${t('widget.bucket', 'Group by')}</label>
        <select id="bucket" name="bucket">
          <option value="auto">${t('views.bucket.auto', 'Auto')}</option>
          <option value="hour">${t('views.bucket.hour', 'Hour')}</option>
          <option value="day">${t('views.bucket.day', 'Day')}</option>
          <option value="week">${t('views.bucket.week', 'Week')}</option>
          <option value="month">${t('views.bucket.month', 'Month')}</option>
          <option value="quarter">${t('views.bucket.quarter', 'Quarter')}</option>
          <option value="year">${t('views.bucket.year', 'Year')}</option>
        </select>
      </div>
      <div class="tk-field">
        <label for="channel">${t('widget.channel', 'Channel')}</label>
        <select id="channel" name="channel"><option value="">${t('widget.all_channels', 'All channels')}</option></select>
      </div>
      <div class="tk-field">
        <label for="agent">${t('widget.agent', 'Agent')}</label>
        <select id="agent" name="agent"><option value="">${t('widget.all_agents', 'All agents')}</option></select>
      </div>
      <button id="reset" class="tk-button" type="reset">${t('widget.reset', 'Reset')}</button>
      <p id="period-text" class="tk-period tk-muted" aria-live="polite"></p>
    </form>

    <div id="views" class="tk-views"></div>

    <section class="tk-tiles" id="tiles" aria-label="${t('widget.tiles', 'Key figures')}">${tiles.map((k) => tileHtml(locale, k)).join('')}
    </section>

    <section class="tk-charts" id="charts" aria-label="${t('widget.charts', 'Charts')}">${charts.map((k) => chartHtml(locale, k)).join('')}
    </section>

    <section class="tk-card tk-agents" aria-labelledby="agents-title">
      <h2 id="agents-title">${t('widget.agents', 'Agents')}</h2>
      <p id="agents-missing" class="tk-missing" hidden></p>
      <div class="tk-table-scroll">
        <table id="agents-table" class="tk-table">
          <thead>
            <tr>
              <th scope="col">${t('widget.agents.agent', 'Agent')}</th>
              <th scope="col" class="tk-num">${t('widget.agents.tickets', 'Tickets')}</th>
              <th scope="col" class="tk-num">${t('widget.agents.solved', 'Solved')}</th>
              <th scope="col" class="tk-num">${t('widget.agents.frt', 'FRT median')}</th>
              <th scope="col" class="tk-num">${t('widget.agents.resolution', 'Resolution median')}</th>
              <th scope="col" class="tk-num">${t('widget.agents.csat', 'CSAT')}</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </div>
    </section>

    <details id="import" class="tk-card tk-import">
      <summary id="import-summary">${t('widget.import.title', 'Import summary')}</summary>
      <dl class="tk-import-facts">
        <dt>${t('widget.import.source', 'Source')}</dt><dd id="import-source"></dd>
        <dt>${t('widget.import.format', 'Format')}</dt><dd id="import-format"></dd>
        <dt>${t('widget.import.records', 'Records read')}</dt><dd id="import-records"></dd>
        <dt>${t('widget.import.tickets', 'Tickets kept')}</dt><dd id="import-tickets"></dd>
        <dt>${t('widget.import.skipped', 'Skipped')}</dt><dd id="import-skipped"></dd>
        <dt>${t('widget.import.timezone', 'Timezone')}</dt><dd id="import-timezone"></dd>
        <dt>${t('widget.import.time', 'Load time')}</dt><dd id="import-time"></dd>
      </dl>
      <h3>${t('widget.import.warnings', 'Warnings')}</h3>
      <p id="import-no-warnings" class="tk-muted">${t('widget.import.no_warnings', 'None: every record was read as written.')}</p>
      <ul id="import-warnings" class="tk-warnings"></ul>
      <h3>${t('widget.import.fields', 'Fields found')}</h3>
      <ul id="import-fields" class="tk-fields"></ul>
    </details>
  </div>

  <div id="drop-overlay" class="tk-drop-overlay" aria-hidden="true" hidden>
    <div class="tk-drop-box">
      <svg viewBox="0 0 20 20" width="40" height="40" aria-hidden="true"><path d="M10 3v9m0 0-3.5-3.5M10 12l3.5-3.5M4 12v3.5A1.5 1.5 0 0 0 5.5 17h9a1.5 1.5 0 0 0 1.5-1.5V12" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/></svg>
      <p>${t('widget.drop.title', 'Drop the ticket export to analyse it')}</p>
      <p class="tk-small">${t('widget.drop.text', 'It is read in this browser and never uploaded.')}</p>
    </div>
  </div>

  <footer class="tk-footer tk-muted tk-small">
    ${t('widget.footer', 'Computed in your browser by the ticket-kpis engine (WebAssembly). Nothing is uploaded or stored.')}
  </footer>
</div>`;
}
