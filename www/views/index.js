// The widget's views, mounted into one container (a shadow root's element or any element):
// the report controls and the audience view switcher, the All KPIs table, the team report, the
// agent view, the management view, and the import report.
//
//   const views = createViews(container, locale, {
//     apply(options),            // recompute the report (with views.options(hostOptions) when
//                                // the host has controls of its own), then views.setReport(r)
//     draw(canvas, kind, title), // draw chart `kind` of the last report (canvas already sized)
//     reimport({format, csv_mapping}), // load the same files again, then views.setImport(…)
//     view(name),                // optional: the host shows its own dashboard for 'dashboard'
//   });
//   views.setImport(importReport, {formats, format, csv_mapping}); // after every import
//   views.setReport(report);     // after every report
//   views.options(hostOptions);  // the report options: the host's with the views' on top
//   createViews(box, otherLocale, hooks, views.snapshot()); // mounted again, same state
//
// Nothing here touches the engine, document globals or ids outside the container, so several
// widgets live on one page and the engine may sit in a Web Worker behind the hooks.
import { renderAgentView } from './agent-view.js';
import { VIEWS, presetRange, renderControls, viewLabel } from './controls.js';
import { ensureStyles, maker } from './dom.js';
import { renderImportPanel } from './import-panel.js';
import { renderKpiTable } from './kpi-table.js';
import { renderManagement } from './management.js';
import { renderTeamReport } from './team-report.js';

export { insightSentence } from './management.js';
export { VIEWS, presetRange };

const initialState = () => ({
  preset: 'all',
  from: '',
  to: '',
  bucket: 'auto',
  time_basis: 'calendar',
  trend_periods: null,
  calendar: '',
  filters: {},
  group_by: '',
  targets: {},
  sla: null,
  benchmarks: [],
  view: 'dashboard',
  agent_view: '',
});

export function createViews(container, locale, hooks = {}, restore = null) {
  ensureStyles(container);
  const { h } = maker(container);
  const root = h('div', { className: 'tkv', dir: locale.dir, lang: locale.lang, dataset: { renders: '0', view: 'dashboard' } });
  const controlsBox = h('div', { className: 'tkv-controls-box tkv-noprint' });
  const panels = {};
  for (const v of VIEWS) {
    if (v === 'dashboard') continue;
    panels[v] = h('section', { className: 'tkv-panel', dataset: { view: v }, hidden: true, 'aria-label': viewLabel(locale, v) });
  }
  const importBox = h('div', { className: 'tkv-import-box tkv-noprint' });
  root.append(controlsBox, ...Object.values(panels), importBox);
  container.append(root);

  const state = initialState();
  let report = null;
  let dataRange = null;
  let learnRange = true;
  let seq = 0;
  const rendered = {};
  let importData = null;

  // The host may have period and bucket inputs of its own: whichever the viewer changed last
  // wins (the host's inputs show the report's period after each report, so a difference means
  // the viewer typed there).
  let periodTouched = false;
  let bucketTouched = false;
  let lastHostBucket;
  let lastBuilt = null;

  /**
   * The report options: the host's own (`host`, e.g. {from, to, bucket, channels, agents}) with
   * the views' on top. Channel and agent shorthands of the host combine with the views' filters
   * (a ticket must pass both).
   */
  function options(host = {}) {
    const hostFrom = host.from || '';
    const hostTo = host.to || '';
    if (!periodTouched && report && hostFrom && hostTo && (hostFrom !== report.period.from || hostTo !== report.period.to)) {
      Object.assign(state, { preset: 'custom', from: hostFrom, to: hostTo });
    }
    if (host.bucket !== undefined && host.bucket !== lastHostBucket) {
      // The host's first bucket (its `bucket` attribute) applies too, unless these views were
      // mounted again with a state of their own (a restored snapshot keeps its bucket).
      if ((lastHostBucket !== undefined || !restore) && !bucketTouched) state.bucket = host.bucket || 'auto';
      lastHostBucket = host.bucket;
    }
    const o = { ...host, bucket: state.bucket || 'auto' };
    if (state.from) o.from = state.from;
    if (state.to) o.to = state.to;
    if (periodTouched && !state.from && !state.to) {
      // "All data" chosen here: the engine's default period, whatever the host's inputs show.
      delete o.from;
      delete o.to;
    }
    if (state.time_basis && state.time_basis !== 'calendar') o.time_basis = state.time_basis;
    if (state.trend_periods) o.trend_periods = state.trend_periods;
    if (state.calendar) o.calendar = state.calendar;
    const filters = Object.fromEntries(Object.entries(state.filters).filter(([, v]) => v && v.length));
    if (Object.keys(filters).length) o.filters = { ...(host.filters || {}), ...filters };
    if (state.group_by) o.group_by = state.group_by;
    if (Object.keys(state.targets).length) o.targets = { ...(host.targets || {}), ...state.targets };
    if (state.sla) o.sla = { ...state.sla };
    if (state.benchmarks.length) o.benchmarks = [...(host.benchmarks || []), ...state.benchmarks.map((b) => ({ ...b }))];
    if (state.view === 'agent' && state.agent_view) o.agent_view = state.agent_view;
    lastBuilt = o;
    return o;
  }

  const apply = () => {
    if (typeof hooks.apply === 'function') hooks.apply(options());
  };

  function firstAgent() {
    const row = report && report.scorecard && report.scorecard.rows[0];
    if (row) return row.id;
    const dim = report && (report.dimensions || []).find((d) => d.dimension === 'agent');
    const v = dim && dim.values.find(([id]) => id && id !== '(none)');
    return v ? v[0] : '';
  }

  function change(patch) {
    let recompute = Object.keys(patch).some((k) => k !== 'view');
    if (patch.preset && patch.preset !== 'custom' && patch.preset !== 'all' && !patch.from && dataRange) {
      Object.assign(patch, presetRange(patch.preset, dataRange.to));
    }
    Object.assign(state, patch);
    if ('from' in patch || 'to' in patch || 'preset' in patch) periodTouched = true;
    if ('bucket' in patch) bucketTouched = true;
    if ('view' in patch) {
      if (state.view === 'agent') {
        if (!state.agent_view) state.agent_view = firstAgent();
        if (state.agent_view && (!report || !report.agent_view || report.agent_view.id !== state.agent_view)) recompute = true;
      }
      showView();
    }
    if (recompute && report) apply();
    else update();
  }

  function showView() {
    root.dataset.view = state.view;
    for (const [v, panel] of Object.entries(panels)) panel.hidden = v !== state.view || !report;
    if (typeof hooks.view === 'function') hooks.view(state.view);
  }

  const drawHooks = { draw: (canvas, kind, title) => (typeof hooks.draw === 'function' ? hooks.draw(canvas, kind, title) : undefined) };

  function renderPanel(v) {
    const panel = panels[v];
    if (!panel || !report || rendered[v] === seq) return;
    rendered[v] = seq;
    if (v === 'kpis') renderKpiTable(panel, report, locale, drawHooks);
    else if (v === 'team') renderTeamReport(panel, report, locale, drawHooks);
    else if (v === 'agent') renderAgentView(panel, { report, agent: state.agent_view }, locale, { change });
    else if (v === 'management') renderManagement(panel, report, locale, drawHooks);
  }

  function update() {
    renderControls(controlsBox, { report, state, dataRange }, locale, { change });
    showView();
    renderPanel(state.view);
  }

  function showImport() {
    renderImportPanel(importBox, importData, locale, {
      reimport: (o) => {
        if (typeof hooks.reimport !== 'function') return;
        hooks.reimport({
          format: 'format' in o ? o.format : importData.format,
          csv_mapping: 'csv_mapping' in o ? o.csv_mapping : importData.mapping,
        });
      },
    });
  }

  const api = {
    element: root,
    options,
    get state() {
      return { ...state };
    },
    get report() {
      return report;
    },
    /** After every import (new files, or the same files read with another format/mapping). */
    setImport(imp, info = {}) {
      importData = { imp, formats: info.formats || [], format: info.format || 'auto', mapping: info.csv_mapping || null };
      // New data: the period, filters and agent start over (the values may not exist any more);
      // bucket, time basis, calendar, targets and benchmarks are the viewer's and stay.
      Object.assign(state, { preset: 'all', from: '', to: '', filters: {}, agent_view: '' });
      dataRange = null;
      learnRange = true;
      showImport();
    },
    /** After every report the host computed (for options() or its own). */
    setReport(r) {
      report = r;
      seq += 1;
      periodTouched = false;
      bucketTouched = false;
      if (learnRange && !state.from && !state.to) {
        dataRange = { from: r.period.from, to: r.period.to };
        learnRange = false;
      }
      // For tests and the host: the report shown and the options it was asked with.
      root.lastReport = r;
      root.lastOptions = lastBuilt;
      root.dataset.renders = String(seq);
      update();
    },
    /** Switches the audience view ('dashboard', 'kpis', 'team', 'agent', 'management'). */
    setView(v) {
      if (VIEWS.includes(v)) change({ view: v });
    },
    /**
     * Everything the views hold, for mounting them again (another language, new markup):
     * createViews(newContainer, newLocale, hooks, old.snapshot()) shows the same state, import
     * and report at once.
     */
    snapshot() {
      return {
        state: structuredClone(state),
        dataRange,
        importData,
        report,
        lastBuilt,
      };
    },
  };

  if (restore) {
    Object.assign(state, structuredClone(restore.state || {}));
    dataRange = restore.dataRange || null;
    learnRange = !dataRange;
    lastBuilt = restore.lastBuilt || null;
    if (restore.importData) {
      importData = restore.importData;
      showImport();
    }
    if (restore.report) api.setReport(restore.report);
    else update();
  }
  return api;
}
