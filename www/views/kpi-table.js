// Every KPI of the report (report.kpis), by catalogue section: the value in its unit, calendar
// and business median / p90 / mean for durations, numerator / denominator for rates, the
// previous period and the change (absolute and %) coloured by direction (better / worse, not
// up / down), a sparkline of the trend, target progress with a met / missed badge, the typed-in
// benchmarks, the field that is missing when the data cannot support the KPI, and a button that
// opens the KPI's chart per bucket with its target and benchmark lines.
//
// renderKpiTable(container, report, locale, hooks) — hooks.draw(canvas, kind, title).
import {
  changeQuality,
  changeText,
  chartFigure,
  clear,
  directionText,
  kpiLabel,
  maker,
  percentChangeText,
  qualityWord,
  sectionLabel,
  targetSign,
  uid,
  valueText,
  watchCanvas,
} from './dom.js';
import { breakdownSection } from './team-report.js';

const open = new WeakMap(); // container → Set of KPI keys whose chart is open

export function renderKpiTable(container, report, locale, hooks) {
  const { h } = maker(container);
  const t = (k, en, vars) => locale.t(k, en, vars);
  if (!open.has(container)) open.set(container, new Set());
  const expanded = open.get(container);
  clear(container);
  if (!report) return;

  const basis = report.time_basis === 'business' ? 'business' : 'calendar';
  container.append(
    h('p', {
      className: 'tkv-lead',
      text: t('views.kpis.lead', '{period} against {previous}. Durations: {basis}.', {
        period: locale.dayRange(report.period.from, report.period.to),
        previous: locale.dayRange(report.previous_period.from, report.previous_period.to),
        basis:
          basis === 'business'
            ? t('views.basis.business_long', 'business hours (the working calendar)')
            : t('views.basis.calendar_long', 'calendar time'),
      }),
    }),
  );

  const head = [
    t('views.kpis.kpi', 'KPI'),
    t('views.kpis.value', 'This period'),
    t('views.kpis.previous', 'Previous'),
    t('views.kpis.change', 'Change'),
    t('views.kpis.trend', 'Trend'),
    t('views.kpis.target', 'Target'),
    t('views.kpis.benchmarks', 'Benchmarks'),
    t('views.kpis.chart', 'Chart'),
  ];
  const tbl = h('table', { className: 'tk-table tkv-table tkv-kpi-table' });
  tbl.append(h('caption', { className: 'tkv-caption', text: t('views.kpis.caption', 'Every KPI of the catalogue') }));
  tbl.append(h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col', text: c })))));
  const cols = head.length;
  const spark = [];
  let section = null;
  let body = null;

  for (const r of report.kpis) {
    if (r.section !== section) {
      section = r.section;
      body = h('tbody', { dataset: { section } });
      body.append(
        h('tr', { className: 'tkv-section-row' }, h('th', { colspan: String(cols), scope: 'colgroup', text: sectionLabel(locale, section) })),
      );
      tbl.append(body);
    }
    const label = kpiLabel(locale, r.key, r.label);
    const name = h(
      'th',
      { scope: 'row', className: 'tkv-kpi-name' },
      h('span', { className: 'tkv-kpi-label', text: label }),
      h('span', { className: 'tkv-sub tk-muted', text: directionText(locale, r.direction) }),
    );
    const tr = h('tr', { dataset: { key: r.key, unit: r.unit, direction: r.direction } }, name);

    if (r.missing) {
      // The data cannot support it: say which field would, never a made-up zero.
      tr.classList.add('is-unavailable');
      tr.append(
        h(
          'td',
          { colspan: String(cols - 1), className: 'tkv-missing' },
          h('span', { className: 'tkv-missing-label', text: t('views.kpis.missing', 'Not in this data:') }),
          ' ',
          h('span', { className: 'tkv-missing-text', text: r.missing }),
        ),
      );
      body.append(tr);
      continue;
    }

    tr.append(valueCell(h, locale, r, basis));
    tr.append(h('td', { className: 'tk-num tkv-previous', dataset: { value: r.previous ?? '' }, text: valueText(locale, r.unit, r.previous) }));
    tr.append(changeCell(h, locale, r));

    // Sparkline of the trend periods (drawn by the engine into a canvas).
    const trendText = (r.trend || [])
      .map((v, i) => `${report.trend_labels[i] || ''}: ${valueText(locale, r.unit, v)}`)
      .join('; ');
    const canvas = h('canvas', {
      className: 'tkv-spark',
      role: 'img',
      'aria-label': t('views.kpis.spark', '{kpi} over the last {n} periods: {values}', {
        kpi: label,
        n: (r.trend || []).length,
        values: trendText,
      }),
    });
    tr.append(h('td', { className: 'tkv-spark-cell' }, canvas));
    spark.push([canvas, r.key, label]);

    tr.append(targetCell(h, locale, r));
    tr.append(
      h(
        'td',
        { className: 'tkv-bench' },
        r.benchmarks && r.benchmarks.length
          ? h(
              'ul',
              { className: 'tkv-plain-list' },
              r.benchmarks.map((b) =>
                h('li', {}, h('span', { text: `${b.label || t('views.kpis.benchmark', 'Benchmark')}: ` }), h('span', { className: 'tkv-num', text: valueText(locale, r.unit, b.value) })),
              ),
            )
          : h('span', { className: 'tk-muted', text: '—' }),
      ),
    );

    // The KPI's chart per bucket, with its target and benchmark lines.
    const detailId = uid('tkv-chart');
    const button = h('button', {
      type: 'button',
      className: 'tk-button tkv-small-button tkv-open-chart',
      'aria-expanded': 'false',
      'aria-controls': detailId,
      text: t('views.kpis.open', 'Chart'),
    });
    button.setAttribute('aria-label', t('views.kpis.open_label', 'Chart of {kpi} per {bucket}', { kpi: label, bucket: bucketWord(locale, report) }));
    tr.append(h('td', {}, button));
    body.append(tr);

    const detail = h('tr', { id: detailId, className: 'tkv-chart-row', hidden: true });
    body.append(detail);
    const toggle = (show) => {
      button.setAttribute('aria-expanded', show ? 'true' : 'false');
      detail.hidden = !show;
      if (show) {
        expanded.add(r.key);
        if (!detail.firstChild) detail.append(chartCell(h, locale, report, r, label, cols, hooks));
        const c = detail.querySelector('canvas');
        if (c) watchCanvas(c, `kpi:${r.key}`, label, hooks);
      } else {
        expanded.delete(r.key);
      }
    };
    button.addEventListener('click', () => toggle(detail.hidden));
    if (expanded.has(r.key)) queueMicrotask(() => toggle(true));
  }

  container.append(h('div', { className: 'tk-table-scroll' }, tbl));
  // With a group-by dimension, every KPI per value of it below the table.
  const bd = breakdownSection(h, locale, report);
  if (bd) container.append(bd);
  for (const [canvas, key, label] of spark) watchCanvas(canvas, `kpi-spark:${key}`, label, hooks);
}

function valueCell(h, locale, r, basis) {
  const t = (k, en, vars) => locale.t(k, en, vars);
  const td = h('td', { className: 'tkv-value', dataset: { value: r.value ?? '' } });
  if (r.value == null) {
    td.append(h('span', { className: 'tkv-big tk-muted', text: t('views.kpis.nodata', 'No data in this period') }));
  } else {
    td.append(h('span', { className: 'tkv-big', text: valueText(locale, r.unit, r.value) }));
  }
  const lines = h('div', { className: 'tkv-sub' });
  if (r.unit === 'seconds' && (r.summary || r.business)) {
    const vars = (s) => ({
      median: locale.duration(s.median),
      p90: locale.duration(s.p90),
      mean: locale.duration(s.mean),
      n: locale.integer(s.count),
    });
    const line = (kind, s, text) =>
      h(
        'div',
        { className: `tkv-summary${kind === basis ? ' is-headline' : ''}`, dataset: { basis: kind, median: s.median, p90: s.p90, mean: s.mean, count: s.count } },
        text,
      );
    if (r.summary) {
      lines.append(line('calendar', r.summary, t('views.kpis.summary_calendar', 'Calendar: median {median} · p90 {p90} · mean {mean} · n = {n}', vars(r.summary))));
    }
    if (r.business) {
      lines.append(line('business', r.business, t('views.kpis.summary_business', 'Business: median {median} · p90 {p90} · mean {mean} · n = {n}', vars(r.business))));
    }
  }
  if (r.ratio) {
    const { numerator, denominator } = r.ratio;
    const text = t('views.kpis.ratio', '{num} of {den}', { num: locale.integer(numerator), den: locale.integer(denominator) });
    td.title = text;
    lines.append(h('div', { className: 'tkv-ratio', dataset: { numerator, denominator }, text }));
  }
  if (r.note) {
    // The engine's one note ("2 awaiting first reply"), in the locale.
    const m = /^(\d+) awaiting first reply$/.exec(r.note);
    const note = m ? t('views.kpis.awaiting', '{n} awaiting first reply', { n: locale.integer(Number(m[1])) }) : r.note;
    lines.append(h('div', { className: 'tkv-note', text: note }));
  }
  if (lines.firstChild) td.append(lines);
  return td;
}

function changeCell(h, locale, r) {
  const q = changeQuality(r.direction, r.change);
  const td = h('td', { className: `tk-num tkv-change is-${q}`, dataset: { change: r.change ?? '', changePercent: r.change_percent ?? '', quality: q } });
  if (r.change == null) {
    td.textContent = '—';
    return td;
  }
  td.append(h('span', { className: 'tkv-abs', text: changeText(locale, r.unit, r.change) }));
  const pct = percentChangeText(locale, r.change_percent);
  if (pct) td.append(' ', h('span', { className: 'tkv-pct', text: `(${pct})` }));
  const word = qualityWord(locale, q);
  if (word) td.append(h('span', { className: 'tkv-quality', text: word }));
  return td;
}

export function targetCell(h, locale, r) {
  const t = (k, en, vars) => locale.t(k, en, vars);
  const td = h('td', { className: 'tkv-target' });
  const s = r.target;
  if (!s) {
    td.append(h('span', { className: 'tk-muted', text: '—' }));
    return td;
  }
  td.dataset.met = String(s.met);
  td.dataset.target = String(s.target);
  const label = kpiLabel(locale, r.key, r.label);
  const pct = Math.round(Math.max(0, Math.min(1, s.progress)) * 100);
  const bar = h('progress', { max: '100', value: String(pct) });
  bar.setAttribute('aria-label', t('views.target.progress', 'Progress of {kpi} toward its target: {pct}', { kpi: label, pct: locale.percent(pct) }));
  td.append(
    h(
      'div',
      { className: 'tkv-target-line' },
      h('span', { className: `tkv-badge ${s.met ? 'is-met' : 'is-missed'}`, text: s.met ? t('views.target.met', 'met') : t('views.target.missed', 'missed') }),
      h('span', { className: 'tkv-target-value', text: `${targetSign(r.direction)} ${valueText(locale, r.unit, s.target)}` }),
    ),
    bar,
  );
  if (s.previously_met != null) {
    td.append(
      h('div', {
        className: 'tkv-sub tk-muted',
        text: s.previously_met ? t('views.target.was_met', 'previous period: met') : t('views.target.was_missed', 'previous period: missed'),
      }),
    );
  }
  return td;
}

/** The report's bucket as a word inside a sentence ("per day", "gün bazında"), translated. */
function bucketWord(locale, report) {
  const b = report.period.bucket;
  return locale.t(`views.bucket.${b}`, b).toLocaleLowerCase(locale.tag);
}

function chartCell(h, locale, report, r, label, cols, hooks) {
  const t = (k, en, vars) => locale.t(k, en, vars);
  const values = (report.series && report.series.kpis && report.series.kpis[r.key]) || [];
  const labels = (report.series && report.series.labels) || [];
  const { figure } = chartFigure(h, {
    kind: `kpi:${r.key}`,
    title: t('views.kpis.chart_title', '{kpi} per {bucket}', { kpi: label, bucket: bucketWord(locale, report) }),
    description: t('views.kpis.chart_desc', '{kpi} per {bucket}, with its target and benchmark lines. The numbers follow in a table.', {
      kpi: label,
      bucket: bucketWord(locale, report),
    }),
    className: 'tkv-chart-wide',
  });
  const numbers = h(
    'details',
    { className: 'tkv-numbers' },
    h('summary', { text: t('views.kpis.numbers', 'Numbers') }),
    h(
      'table',
      { className: 'tk-table tkv-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: locale.t(`views.bucket.${report.period.bucket}`, report.period.bucket) }), h('th', { scope: 'col', text: label }))),
      h(
        'tbody',
        {},
        labels.map((l, i) => h('tr', {}, h('th', { scope: 'row', text: l }), h('td', { className: 'tk-num', text: valueText(locale, r.unit, values[i]) }))),
      ),
    ),
  );
  void hooks;
  return h('td', { colspan: String(cols) }, figure, numbers);
}
