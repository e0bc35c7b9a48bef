// The report controls: period (presets and custom from/to), bucket, time basis, trend periods,
// working calendar, multi-select filters for every dimension, group-by, the targets editor
// (direction shown), SLA targets, benchmark lines, and the audience view switcher.
//
// renderControls(container, data, locale, hooks) builds the form once per container and then
// only updates it, so focus and half-typed input survive a recomputation.
//   data:  { report, state, dataRange } — state is the views' option state (see index.js),
//          dataRange {from, to} the loaded data's days (anchor of the presets).
//   hooks: { change(patch) } — called with the changed part of the state; the caller
//          recomputes the report (the engine re-scans its store; nothing is re-parsed).
import {
  amountInput,
  clear,
  dimensionLabel,
  directionText,
  kpiLabel,
  maker,
  parseAmount,
  sectionLabel,
  targetSign,
  uid,
} from './dom.js';

export const VIEWS = ['dashboard', 'kpis', 'team', 'agent', 'management'];

export const PRESETS = [
  'all',
  'last7',
  'last30',
  'last90',
  'this_month',
  'last_month',
  'this_quarter',
  'last_quarter',
  'custom',
];

const CALENDARS = ['', 'mon-fri', 'sat-wed', 'sun-thu', 'mon-sat', '24/7'];
const BUCKETS = ['auto', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

// ---------------------------------------------------------------------------------------------
// Dates (calendar days as YYYY-MM-DD, computed in UTC so no zone shifts them)

const toDay = (d) => d.toISOString().slice(0, 10);
const fromDay = (s) => new Date(`${s}T00:00:00Z`);
function addDays(s, n) {
  const d = fromDay(s);
  d.setUTCDate(d.getUTCDate() + n);
  return toDay(d);
}
function monthStart(s, back = 0) {
  const d = fromDay(s);
  return toDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1)));
}
function monthEnd(s, back = 0) {
  const d = fromDay(s);
  return toDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back + 1, 0)));
}
function quarterStart(s, back = 0) {
  const d = fromDay(s);
  const q = Math.floor(d.getUTCMonth() / 3) - back;
  return toDay(new Date(Date.UTC(d.getUTCFullYear(), q * 3, 1)));
}
function quarterEnd(s, back = 0) {
  const d = fromDay(s);
  const q = Math.floor(d.getUTCMonth() / 3) - back;
  return toDay(new Date(Date.UTC(d.getUTCFullYear(), q * 3 + 3, 0)));
}

/**
 * The days of a preset, anchored on the last day of the data (an export is often read weeks
 * after it was made, so "last 7 days" means the last 7 days the export covers). Null for "all"
 * (the engine's default: every day with data) and for "custom".
 */
export function presetRange(preset, anchor) {
  if (!anchor) return null;
  switch (preset) {
    case 'last7':
      return { from: addDays(anchor, -6), to: anchor };
    case 'last30':
      return { from: addDays(anchor, -29), to: anchor };
    case 'last90':
      return { from: addDays(anchor, -89), to: anchor };
    case 'this_month':
      return { from: monthStart(anchor), to: monthEnd(anchor) };
    case 'last_month':
      return { from: monthStart(anchor, 1), to: monthEnd(anchor, 1) };
    case 'this_quarter':
      return { from: quarterStart(anchor), to: quarterEnd(anchor) };
    case 'last_quarter':
      return { from: quarterStart(anchor, 1), to: quarterEnd(anchor, 1) };
    default:
      return null;
  }
}

function presetLabel(locale, p) {
  const names = {
    all: 'All data',
    last7: 'Last 7 days',
    last30: 'Last 30 days',
    last90: 'Last 90 days',
    this_month: 'This month',
    last_month: 'Last month',
    this_quarter: 'This quarter',
    last_quarter: 'Last quarter',
    custom: 'Custom dates',
  };
  return locale.t(`views.preset.${p}`, names[p]);
}

export function viewLabel(locale, v) {
  const names = {
    dashboard: 'Dashboard',
    kpis: 'All KPIs',
    team: 'Team report',
    agent: 'Agent view',
    management: 'Management',
  };
  return locale.t(`views.view.${v}`, names[v]);
}

function bucketLabel(locale, b) {
  const names = {
    auto: 'Auto',
    hour: 'Hour',
    day: 'Day',
    week: 'Week',
    month: 'Month',
    quarter: 'Quarter',
    year: 'Year',
  };
  return locale.t(`views.bucket.${b}`, names[b]);
}

function calendarLabel(locale, c) {
  const names = {
    '': 'The data’s own (or 24/7)',
    'mon-fri': 'Mon–Fri 09:00–17:00',
    'sat-wed': 'Sat–Wed 08:00–16:00, Thu to 13:00',
    'sun-thu': 'Sun–Thu 09:00–17:00',
    'mon-sat': 'Mon–Sat 09:00–18:00',
    '24/7': 'Always (24/7)',
  };
  return locale.t(`views.calendar.${c || 'dataset'}`, names[c]);
}

// ---------------------------------------------------------------------------------------------

const built = new WeakMap();

export function renderControls(container, data, locale, hooks) {
  let ui = built.get(container);
  if (!ui) {
    ui = build(container, locale, hooks);
    built.set(container, ui);
  }
  ui.update(data);
  return ui;
}

function build(container, locale, hooks) {
  const { h } = maker(container);
  const t = (k, en, vars) => locale.t(k, en, vars);
  let current = { report: null, state: {}, dataRange: null };
  const change = (patch) => hooks.change(patch);

  const field = (labelText, control, extraClass = '') => {
    const id = control.id || uid('tkv-f');
    control.id = id;
    return h('div', { className: `tk-field tkv-field ${extraClass}`.trim() }, h('label', { for: id, text: labelText }), control);
  };
  const select = (name, items) =>
    h(
      'select',
      { name },
      items.map(([value, label]) => h('option', { value, text: label })),
    );

  // --- period ---------------------------------------------------------------------------------
  const preset = select(
    'preset',
    PRESETS.map((p) => [p, presetLabel(locale, p)]),
  );
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  const bucket = select(
    'bucket',
    BUCKETS.map((b) => [b, bucketLabel(locale, b)]),
  );
  const basis = select('time_basis', [
    ['calendar', t('views.basis.calendar', 'Calendar time')],
    ['business', t('views.basis.business', 'Business hours')],
  ]);
  const trend = h('input', { type: 'number', name: 'trend_periods', min: '2', max: '60', step: '1', inputmode: 'numeric' });
  const calendar = select(
    'calendar',
    CALENDARS.map((c) => [c, calendarLabel(locale, c)]),
  );
  const anchorNote = h('p', { className: 'tkv-note tk-muted tk-small', 'aria-live': 'polite' });

  preset.addEventListener('change', () => {
    const p = preset.value;
    if (p === 'custom') {
      change({ preset: 'custom', from: from.value, to: to.value });
      return;
    }
    const r = presetRange(p, current.dataRange && current.dataRange.to);
    change({ preset: p, from: r ? r.from : '', to: r ? r.to : '' });
  });
  const onDate = () => {
    preset.value = 'custom';
    if (from.value && to.value && from.value > to.value) {
      to.setAttribute('aria-invalid', 'true');
      return;
    }
    to.removeAttribute('aria-invalid');
    change({ preset: 'custom', from: from.value, to: to.value });
  };
  from.addEventListener('change', onDate);
  to.addEventListener('change', onDate);
  bucket.addEventListener('change', () => change({ bucket: bucket.value }));
  basis.addEventListener('change', () => change({ time_basis: basis.value }));
  trend.addEventListener('change', () => {
    const n = Math.round(Number(trend.value));
    if (!Number.isFinite(n) || n < 2 || n > 60) {
      trend.setAttribute('aria-invalid', 'true');
      return;
    }
    trend.removeAttribute('aria-invalid');
    change({ trend_periods: n });
  });
  calendar.addEventListener('change', () => change({ calendar: calendar.value }));

  const periodRow = h(
    'div',
    { className: 'tkv-row' },
    field(t('views.controls.period', 'Period'), preset),
    field(t('views.controls.from', 'From'), from),
    field(t('views.controls.to', 'To'), to),
    field(t('views.controls.bucket', 'Bucket'), bucket),
    field(t('views.controls.basis', 'Durations in'), basis),
    field(t('views.controls.trend', 'Trend periods'), trend, 'tkv-narrow'),
    field(t('views.controls.calendar', 'Working calendar'), calendar),
  );

  // --- filters and group-by -------------------------------------------------------------------
  const filtersBox = h('div', { className: 'tkv-filters', role: 'group', 'aria-label': t('views.controls.filters', 'Filters') });
  const groupBy = select('group_by', [['', t('views.controls.nogroup', 'No breakdown')]]);
  groupBy.addEventListener('change', () => change({ group_by: groupBy.value }));
  const clearFilters = h('button', {
    type: 'button',
    className: 'tk-button tkv-small-button',
    text: t('views.controls.clear', 'Clear filters'),
  });
  clearFilters.addEventListener('click', () => change({ filters: {} }));
  const filterRow = h(
    'div',
    { className: 'tkv-row tkv-filter-row' },
    h('span', { className: 'tkv-row-label', text: t('views.controls.filters', 'Filters') }),
    filtersBox,
    clearFilters,
    field(t('views.controls.groupby', 'Break down by'), groupBy),
  );
  let dimsKey = '';

  function fillDimensions(report, state) {
    const dims = (report && report.dimensions) || [];
    const key = JSON.stringify(dims);
    if (key !== dimsKey) {
      dimsKey = key;
      clear(filtersBox);
      for (const d of dims) {
        if (!d.values || d.values.length === 0) continue;
        const list = h('div', { className: 'tkv-checks' });
        const legendId = uid('tkv-dim');
        for (const [value, label] of d.values) {
          const box = h('input', { type: 'checkbox', name: `filter-${d.dimension}`, value, dataset: { dimension: d.dimension } });
          box.addEventListener('change', () => {
            const filters = { ...(current.state.filters || {}) };
            const sel = new Set(filters[d.dimension] || []);
            if (box.checked) sel.add(value);
            else sel.delete(value);
            if (sel.size) filters[d.dimension] = [...sel];
            else delete filters[d.dimension];
            change({ filters });
          });
          const lab = h('label', { className: 'tkv-check' }, box, h('span', { text: label }));
          if (label !== value) lab.title = value;
          list.append(lab);
        }
        const summary = h('summary', { id: legendId }, h('span', { className: 'tkv-dim-name', text: dimensionLabel(locale, d.dimension) }), h('span', { className: 'tkv-dim-count' }));
        const det = h('details', { className: 'tkv-dim', dataset: { dimension: d.dimension } }, summary, h('div', { role: 'group', 'aria-labelledby': legendId }, list));
        filtersBox.append(det);
      }
      // Group-by choices.
      const keep = groupBy.value;
      while (groupBy.options.length > 1) groupBy.remove(1);
      for (const d of dims) {
        groupBy.append(h('option', { value: d.dimension, text: dimensionLabel(locale, d.dimension) }));
      }
      groupBy.value = keep;
    }
    // Reflect the state: checked boxes and the count of selected values per dimension.
    const filters = state.filters || {};
    for (const det of filtersBox.querySelectorAll('details.tkv-dim')) {
      const dim = det.dataset.dimension;
      const sel = new Set(filters[dim] || []);
      for (const box of det.querySelectorAll('input[type=checkbox]')) box.checked = sel.has(box.value);
      const count = det.querySelector('.tkv-dim-count');
      count.textContent = sel.size ? t('views.controls.selected', ': {n} selected', { n: sel.size }) : t('views.controls.all', ': all');
      det.classList.toggle('is-active', sel.size > 0);
    }
    clearFilters.disabled = Object.keys(filters).length === 0;
    groupBy.value = state.group_by || '';
  }

  // --- targets, SLA, benchmarks ---------------------------------------------------------------
  const targetsBody = h('tbody');
  const targetsTable = h(
    'table',
    { className: 'tk-table tkv-table tkv-targets' },
    h('caption', { className: 'tkv-caption', text: t('views.targets.caption', 'A target per KPI (durations like “1h 30m”, rates like “90%”)') }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('views.targets.kpi', 'KPI') }),
        h('th', { scope: 'col', text: t('views.targets.direction', 'Better') }),
        h('th', { scope: 'col', text: t('views.targets.target', 'Target') }),
        h('th', { scope: 'col', text: t('views.targets.status', 'Now') }),
      ),
    ),
    targetsBody,
  );
  let targetKeys = '';
  const targetInputs = new Map();

  function fillTargets(report, state) {
    const rows = (report && report.kpis) || [];
    const key = rows.map((r) => r.key + (r.missing ? '!' : '')).join(',');
    if (key !== targetKeys) {
      targetKeys = key;
      clear(targetsBody);
      targetInputs.clear();
      let section = null;
      for (const r of rows) {
        if (r.section !== section) {
          section = r.section;
          targetsBody.append(h('tr', { className: 'tkv-section-row' }, h('th', { colspan: '4', scope: 'colgroup', text: sectionLabel(locale, section) })));
        }
        const input = h('input', {
          type: 'text',
          name: `target-${r.key}`,
          inputmode: r.unit === 'seconds' ? 'text' : 'decimal',
          autocomplete: 'off',
          spellcheck: 'false',
          placeholder: r.unit === 'seconds' ? '1h' : r.unit === 'percent' ? '90%' : '',
          dataset: { key: r.key },
        });
        const label = kpiLabel(locale, r.key, r.label);
        input.setAttribute('aria-label', t('views.targets.for', 'Target for {kpi}', { kpi: label }));
        input.addEventListener('change', () => {
          const targets = { ...(current.state.targets || {}) };
          const text = input.value.trim();
          if (!text) {
            delete targets[r.key];
            input.removeAttribute('aria-invalid');
            change({ targets });
            return;
          }
          const v = parseAmount(r.unit, text);
          if (v == null) {
            input.setAttribute('aria-invalid', 'true');
            input.title = t('views.targets.invalid', 'Not a number or duration this KPI can use');
            return;
          }
          input.removeAttribute('aria-invalid');
          input.removeAttribute('title');
          targets[r.key] = v;
          change({ targets });
        });
        const status = h('td', { className: 'tkv-target-status' });
        targetInputs.set(r.key, { input, status, row: r });
        targetsBody.append(
          h(
            'tr',
            { dataset: { key: r.key }, className: r.missing ? 'is-unavailable' : '' },
            h('th', { scope: 'row', text: label }),
            h('td', { className: 'tkv-direction' }, h('span', { text: `${directionText(locale, r.direction)} ` }), h('span', { className: 'tkv-sign', text: targetSign(r.direction), 'aria-hidden': 'true' })),
            h('td', {}, input),
            status,
          ),
        );
      }
    }
    const typed = state.targets || {};
    for (const r of rows) {
      const e = targetInputs.get(r.key);
      if (!e) continue;
      e.row = r;
      const active = e.input.ownerDocument.activeElement === e.input || (e.input.getRootNode().activeElement === e.input);
      if (!active && e.input.getAttribute('aria-invalid') !== 'true') {
        const v = r.key in typed ? typed[r.key] : r.target ? r.target.target : null;
        e.input.value = amountInput(r.unit, v);
      }
      clear(e.status);
      if (r.missing) e.status.append(h('span', { className: 'tk-muted', text: t('views.targets.nodata', 'not in the data') }));
      else if (r.target) {
        e.status.append(
          h('span', {
            className: `tkv-badge ${r.target.met ? 'is-met' : 'is-missed'}`,
            text: r.target.met ? t('views.target.met', 'met') : t('views.target.missed', 'missed'),
          }),
        );
      }
    }
  }

  // SLA targets (first reply, next reply, resolution, business hours).
  const sla = {};
  const slaFields = [];
  for (const [k, en] of [
    ['first_reply', 'First reply within'],
    ['next_reply', 'Next reply within'],
    ['resolution', 'Resolution within'],
  ]) {
    const input = h('input', { type: 'text', name: `sla-${k}`, placeholder: k === 'resolution' ? '1d' : '1h', autocomplete: 'off', spellcheck: 'false' });
    sla[k] = input;
    slaFields.push(field(t(`views.sla.${k}`, en), input, 'tkv-narrow'));
  }
  const slaBusiness = h('input', { type: 'checkbox', name: 'sla-business_hours' });
  const slaBusinessLabel = h('label', { className: 'tkv-check' }, slaBusiness, h('span', { text: t('views.sla.business', 'counted in business hours') }));
  const applySla = () => {
    const out = {};
    let bad = false;
    for (const [k, input] of Object.entries(sla)) {
      const text = input.value.trim();
      if (!text) {
        input.removeAttribute('aria-invalid');
        continue;
      }
      const v = parseAmount('seconds', text);
      if (v == null) {
        input.setAttribute('aria-invalid', 'true');
        bad = true;
      } else {
        input.removeAttribute('aria-invalid');
        out[k] = v;
      }
    }
    if (bad) return;
    if (Object.keys(out).length) out.business_hours = slaBusiness.checked;
    change({ sla: Object.keys(out).length ? out : null });
  };
  for (const input of Object.values(sla)) input.addEventListener('change', applySla);
  slaBusiness.addEventListener('change', applySla);
  const slaBox = h(
    'fieldset',
    { className: 'tkv-fieldset' },
    h('legend', { text: t('views.sla.legend', 'SLA targets (empty: the data’s own)') }),
    h('div', { className: 'tkv-row' }, slaFields, slaBusinessLabel),
  );

  // Benchmarks: rows of KPI, value, label.
  const benchList = h('ul', { className: 'tkv-bench-list' });
  const addBench = h('button', { type: 'button', className: 'tk-button tkv-small-button', text: t('views.bench.add', 'Add a benchmark line') });
  const benchBox = h(
    'fieldset',
    { className: 'tkv-fieldset' },
    h('legend', { text: t('views.bench.legend', 'Benchmarks (reference lines on the KPI charts)') }),
    benchList,
    addBench,
  );
  let benchDrafts = []; // [{kpi, text, label}]
  const kpiUnit = (key) => {
    const r = current.report && current.report.kpis.find((k) => k.key === key);
    return r ? r.unit : 'number';
  };
  const applyBench = () => {
    const out = [];
    for (const d of benchDrafts) {
      const v = parseAmount(kpiUnit(d.kpi), d.text);
      d.invalid = Boolean(d.text.trim()) && v == null;
      if (d.kpi && v != null) out.push({ kpi: d.kpi, value: v, label: d.label || '' });
    }
    for (const [i, li] of [...benchList.children].entries()) {
      const inp = li.querySelector('input[name=bench-value]');
      if (benchDrafts[i] && benchDrafts[i].invalid) inp.setAttribute('aria-invalid', 'true');
      else inp.removeAttribute('aria-invalid');
    }
    // Only a complete line changes the report (a label typed before its value does not).
    if (JSON.stringify(out) !== JSON.stringify(current.state.benchmarks || [])) change({ benchmarks: out });
  };
  function benchRow(d) {
    const kpis = (current.report && current.report.kpis) || [];
    const kpiSel = h(
      'select',
      { name: 'bench-kpi' },
      kpis.map((r) => h('option', { value: r.key, text: kpiLabel(locale, r.key, r.label) })),
    );
    kpiSel.value = d.kpi;
    const value = h('input', { type: 'text', name: 'bench-value', value: d.text, placeholder: '4h', autocomplete: 'off', spellcheck: 'false' });
    const label = h('input', { type: 'text', name: 'bench-label', value: d.label, placeholder: t('views.bench.placeholder', 'Industry median'), autocomplete: 'off' });
    const remove = h('button', { type: 'button', className: 'tk-button tkv-small-button', text: t('views.bench.remove', 'Remove') });
    kpiSel.addEventListener('change', () => {
      d.kpi = kpiSel.value;
      applyBench();
    });
    value.addEventListener('change', () => {
      d.text = value.value;
      applyBench();
    });
    label.addEventListener('change', () => {
      d.label = label.value;
      applyBench();
    });
    remove.addEventListener('click', () => {
      benchDrafts = benchDrafts.filter((x) => x !== d);
      li.remove();
      applyBench();
      addBench.focus();
    });
    const li = h(
      'li',
      { className: 'tkv-row' },
      field(t('views.bench.kpi', 'KPI'), kpiSel),
      field(t('views.bench.value', 'Value'), value, 'tkv-narrow'),
      field(t('views.bench.label', 'Label'), label),
      remove,
    );
    return li;
  }
  addBench.addEventListener('click', () => {
    const d = { kpi: 'frt', text: '', label: '' };
    benchDrafts.push(d);
    const li = benchRow(d);
    benchList.append(li);
    li.querySelector('select').focus();
  });

  const targetsDetails = h(
    'details',
    { className: 'tkv-targets-box' },
    h('summary', { text: t('views.targets.summary', 'Targets, SLA and benchmarks') }),
    h('div', { className: 'tk-table-scroll' }, targetsTable),
    slaBox,
    benchBox,
  );

  // --- view switcher --------------------------------------------------------------------------
  const viewButtons = VIEWS.map((v) => {
    const b = h('button', { type: 'button', className: 'tkv-view-button', dataset: { view: v }, 'aria-pressed': 'false', text: viewLabel(locale, v) });
    b.addEventListener('click', () => change({ view: v }));
    return b;
  });
  const viewNav = h('nav', { className: 'tkv-views', 'aria-label': t('views.controls.views', 'Audience views') }, viewButtons);
  viewNav.addEventListener('keydown', (e) => {
    // Left/right arrows move between the view buttons (mirrored in right-to-left layouts).
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const i = viewButtons.indexOf(e.target);
    if (i < 0) return;
    const rtl = locale.dir === 'rtl';
    const step = (e.key === 'ArrowRight') !== rtl ? 1 : -1;
    viewButtons[(i + step + viewButtons.length) % viewButtons.length].focus();
    e.preventDefault();
  });

  const form = h(
    'form',
    { className: 'tkv-controls', 'aria-label': t('views.controls.label', 'Report options'), novalidate: true },
    periodRow,
    anchorNote,
    filterRow,
    targetsDetails,
  );
  form.addEventListener('submit', (e) => e.preventDefault());
  clear(container);
  container.append(form, viewNav);

  function update(data) {
    current = data;
    const { report, state, dataRange } = data;
    preset.value = state.preset || 'all';
    if (report) {
      from.value = report.period.from;
      to.value = report.period.to;
    }
    if (dataRange) {
      anchorNote.textContent = t('views.controls.anchor', 'The data runs from {from} to {to}; the presets count back from its last day.', {
        from: locale.day(dataRange.from),
        to: locale.day(dataRange.to),
      });
    }
    bucket.value = state.bucket || 'auto';
    basis.value = state.time_basis || 'calendar';
    trend.value = String(state.trend_periods || (report ? report.kpis[0]?.trend.length : 6) || 6);
    calendar.value = state.calendar || '';
    fillDimensions(report, state);
    fillTargets(report, state);
    for (const b of viewButtons) {
      const on = b.dataset.view === state.view;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.classList.toggle('is-active', on);
    }
  }

  return { update, form, nav: viewNav };
}
