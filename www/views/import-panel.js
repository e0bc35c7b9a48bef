// The import report: the files read and what each was read as (used or why not), the detected
// format with a manual override, records read / kept / skipped, the warnings counted by reason
// with examples, the fields found, for every KPI whether the data supports it (and if not, the
// missing field and where to get it), and for CSV input the column mapping, editable: the host
// loads the same bytes again with the edited mapping (nothing is read from disk again).
//
// renderImportPanel(container, data, locale, hooks)
//   data:  { imp, formats: [{key, name}], format: 'auto' | key, mapping: {field: column} | null }
//   hooks: { reimport({format, csv_mapping}) }
import { clear, kpiLabel, maker, uid } from './dom.js';

export function renderImportPanel(container, data, locale, hooks) {
  const { h } = maker(container);
  const t = (k, en, vars) => locale.t(k, en, vars);
  const { imp } = data;
  const wasOpen = container.querySelector('details.tkv-import')?.open;
  clear(container);
  if (!imp) return;
  const n = (x) => locale.integer(x);

  const details = h('details', { className: 'tk-card tkv-import' });
  details.open = Boolean(wasOpen);
  details.append(
    h('summary', {
      className: 'tkv-import-summary',
      text: t('views.import.summary', 'Import report: {format} · {records} records read · {tickets} tickets · {skipped} skipped', {
        format: imp.format,
        records: n(imp.records),
        tickets: n(imp.tickets),
        skipped: n(imp.skipped),
      }),
    }),
  );

  // --- format: detected, and the manual override ---------------------------------------------
  const fmtId = uid('tkv-format');
  const fmt = h(
    'select',
    { id: fmtId, name: 'format' },
    h('option', { value: 'auto', text: t('views.import.auto', 'Detect automatically') }),
    (data.formats || []).map((f) => h('option', { value: f.key, text: f.name })),
  );
  fmt.value = data.format || 'auto';
  fmt.addEventListener('change', () => hooks.reimport({ format: fmt.value, csv_mapping: null }));
  const facts = h(
    'dl',
    { className: 'tkv-facts' },
    fact(h, t('views.import.detected', 'Detected format'), imp.format, 'format'),
    fact(h, t('views.import.records', 'Records read'), n(imp.records), 'records'),
    fact(h, t('views.import.tickets', 'Tickets kept'), n(imp.tickets), 'tickets'),
    fact(h, t('views.import.skipped', 'Records skipped'), n(imp.skipped), 'skipped'),
    fact(h, t('views.import.timezone', 'Timezone of naive times'), imp.timezone, 'timezone'),
  );
  details.append(
    facts,
    h('div', { className: 'tk-field tkv-field tkv-format-field' }, h('label', { for: fmtId, text: t('views.import.override', 'Read the files as') }), fmt),
  );

  // --- sources --------------------------------------------------------------------------------
  const sources = imp.sources || [];
  if (sources.length) {
    const used = sources.filter((s) => s.used).length;
    const tbl = h('table', { className: 'tk-table tkv-table tkv-sources' });
    tbl.append(h('caption', { className: 'tkv-caption', text: t('views.import.sources_caption', '{used} of {n} files used', { used: n(used), n: n(sources.length) }) }));
    tbl.append(
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('views.import.file', 'File'), t('views.import.read_as', 'Read as'), t('views.import.records', 'Records read'), t('views.import.used', 'Used'), t('views.import.why', 'Note')].map((c) => h('th', { scope: 'col', text: c })),
        ),
      ),
    );
    tbl.append(
      h(
        'tbody',
        {},
        sources.map((s) =>
          h(
            'tr',
            { className: s.used ? 'is-used' : 'is-unused', dataset: { file: s.name, used: String(s.used), format: s.format } },
            h('th', { scope: 'row', text: s.name || t('views.import.unnamed', '(the file)') }),
            h('td', { text: s.kind || '—' }),
            h('td', { className: 'tk-num', text: n(s.records) }),
            h('td', {}, h('span', { className: `tkv-badge ${s.used ? 'is-met' : 'is-off'}`, text: s.used ? t('views.import.yes', 'used') : t('views.import.no', 'not used') })),
            h('td', { className: 'tkv-source-note', text: s.note || '' }),
          ),
        ),
      ),
    );
    details.append(h('h3', { text: t('views.import.sources', 'Files') }), h('div', { className: 'tk-table-scroll' }, tbl));
  }

  // --- warnings by reason ---------------------------------------------------------------------
  const warnings = imp.warnings || [];
  details.append(h('h3', { text: t('views.import.warnings', 'Skipped records and warnings, by reason') }));
  if (warnings.length === 0) {
    details.append(h('p', { className: 'tk-muted', text: t('views.import.nowarnings', 'None: every record was read as written.') }));
  } else {
    details.append(
      h(
        'ul',
        { className: 'tk-warnings tkv-warnings' },
        warnings.map((w) =>
          h(
            'li',
            { className: w.skipped ? 'is-skipped' : '', dataset: { count: w.count, skipped: String(w.skipped) } },
            h(
              'p',
              { className: 'tk-warning-head' },
              h('span', { className: 'tk-badge tkv-count', text: `× ${n(w.count)}` }),
              w.skipped ? h('span', { className: 'tk-badge tk-badge-bad', text: t('views.import.skipped_badge', 'skipped') }) : null,
              h('span', { className: 'tk-warning-message', text: w.message }),
            ),
            w.examples && w.examples.length
              ? h('ul', { className: 'tk-examples', 'aria-label': t('views.import.examples', 'Examples') }, w.examples.map((ex) => h('li', {}, h('code', { text: ex }))))
              : null,
          ),
        ),
      ),
    );
  }

  // --- fields found ---------------------------------------------------------------------------
  const fields = Object.entries(imp.fields || {});
  details.append(
    h('h3', { text: t('views.import.fields', 'Fields found (records carrying each)') }),
    fields.length
      ? h('ul', { className: 'tk-fields tkv-fields' }, fields.map(([f, c]) => h('li', { dataset: { field: f } }, h('code', { text: f }), ` ${n(c)}`)))
      : h('p', { className: 'tk-muted', text: t('views.import.nofields', 'No ticket fields were found.') }),
  );

  // --- KPI support ----------------------------------------------------------------------------
  const kpis = imp.kpis || [];
  if (kpis.length) {
    const ok = kpis.filter((k) => k.supported).length;
    const tbl = h('table', { className: 'tk-table tkv-table tkv-support' });
    tbl.append(h('caption', { className: 'tkv-caption', text: t('views.import.support_caption', 'The data supports {ok} of {n} KPIs and views', { ok: n(ok), n: n(kpis.length) }) }));
    tbl.append(
      h(
        'thead',
        {},
        h('tr', {}, [t('views.kpis.kpi', 'KPI'), t('views.import.supported', 'Supported'), t('views.import.missing', 'Missing'), t('views.import.hint', 'Where to get it')].map((c) => h('th', { scope: 'col', text: c }))),
      ),
    );
    tbl.append(
      h(
        'tbody',
        {},
        kpis.map((k) =>
          h(
            'tr',
            { className: k.supported ? 'is-supported' : 'is-unsupported', dataset: { key: k.key, supported: String(k.supported) } },
            h('th', { scope: 'row', text: kpiLabel(locale, k.key, k.label) }),
            h('td', {}, h('span', { className: `tkv-badge ${k.supported ? 'is-met' : 'is-missed'}`, text: k.supported ? t('views.import.yes_kpi', 'yes') : t('views.import.no_kpi', 'no') })),
            h('td', { className: 'tkv-missing-text', text: k.supported ? '' : k.missing || '' }),
            h('td', { className: 'tkv-hint', text: k.supported ? '' : k.hint || '' }),
          ),
        ),
      ),
    );
    details.append(h('h3', { text: t('views.import.support', 'What the data supports') }), h('div', { className: 'tk-table-scroll' }, tbl));
  }

  // --- CSV mapping editor ---------------------------------------------------------------------
  if (imp.csv) details.append(csvEditor(h, locale, imp.csv, hooks));

  container.append(details);
}

function fact(h, term, value, key) {
  return [h('dt', { text: term }), h('dd', { dataset: { fact: key }, text: value })];
}

function csvEditor(h, locale, csv, hooks) {
  const t = (k, en, vars) => locale.t(k, en, vars);
  const delim = { comma: ',', semicolon: ';', tab: 'tab' }[csv.delimiter] || csv.delimiter;
  const selects = new Map();
  const rows = (csv.fields || []).map((field) => {
    const id = uid('tkv-map');
    const sel = h(
      'select',
      { id, name: `map-${field}`, dataset: { field } },
      h('option', { value: '', text: t('views.csv.unmapped', '(not mapped)') }),
      (csv.columns || []).map((c) => h('option', { value: c, text: c })),
    );
    sel.value = (csv.mapping && csv.mapping[field]) || '';
    selects.set(field, sel);
    const mapped = Boolean(sel.value);
    return h('tr', { className: mapped ? 'is-mapped' : '', dataset: { field } }, h('th', { scope: 'row' }, h('label', { for: id }, h('code', { text: field }))), h('td', {}, sel));
  });
  const apply = h('button', { type: 'button', className: 'tk-button tk-button-primary tkv-small-button', text: t('views.csv.apply', 'Read again with this mapping'), disabled: true });
  const reset = h('button', { type: 'button', className: 'tk-button tkv-small-button', text: t('views.csv.reset', 'Automatic mapping') });
  const changed = () => {
    let diff = false;
    for (const [field, sel] of selects) if ((csv.mapping[field] || '') !== sel.value) diff = true;
    apply.disabled = !diff;
  };
  for (const sel of selects.values()) sel.addEventListener('change', changed);
  apply.addEventListener('click', () => {
    const mapping = {};
    for (const [field, sel] of selects) mapping[field] = sel.value;
    hooks.reimport({ csv_mapping: mapping });
  });
  reset.addEventListener('click', () => hooks.reimport({ csv_mapping: null }));
  const box = h(
    'section',
    { className: 'tkv-csv' },
    h('h3', { text: t('views.csv.title', 'CSV columns') }),
    h('p', {
      className: 'tk-muted tk-small',
      text: t('views.csv.lead', '{n} columns, delimiter “{d}”. Pick the column for each ticket field; the file is read again from memory.', { n: locale.integer((csv.columns || []).length), d: delim }),
    }),
    (csv.unmapped || []).length
      ? h('p', { className: 'tkv-unmapped tk-small' }, h('span', { text: t('views.csv.unused', 'Columns not used: ') }), csv.unmapped.map((c, i) => [i ? ', ' : '', h('code', { text: c })]))
      : null,
    (csv.notes || []).length ? h('ul', { className: 'tkv-plain-list tk-small' }, csv.notes.map((x) => h('li', { text: x }))) : null,
    h(
      'div',
      { className: 'tk-table-scroll' },
      h(
        'table',
        { className: 'tk-table tkv-table tkv-mapping' },
        h('caption', { className: 'tkv-caption', text: t('views.csv.caption', 'Ticket field → CSV column') }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('views.csv.field', 'Field') }), h('th', { scope: 'col', text: t('views.csv.column', 'Column') }))),
        h('tbody', {}, rows),
      ),
    ),
    h('div', { className: 'tkv-row' }, apply, reset),
  );
  return box;
}
