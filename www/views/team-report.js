// The team report: the period against the previous periods (every KPI over the trend periods),
// the agent scorecard against the team median, the breakdown when one is asked for, the
// busiest hours and satisfaction charts and the feedback words. Printable (and plain enough to
// paste into a wiki page): one heading, tables with captions, no controls inside the report.
//
// renderTeamReport(container, report, locale, hooks) — hooks.draw(canvas, kind, title).
import {
  changeQuality,
  chartFigure,
  clear,
  dimensionLabel,
  kpiLabel,
  maker,
  qualityWord,
  sectionLabel,
  targetSign,
  valueText,
  watchCanvas,
} from './dom.js';

export function renderTeamReport(container, report, locale, hooks) {
  const { h } = maker(container);
  const t = (k, en, vars) => locale.t(k, en, vars);
  clear(container);
  if (!report) return;
  const kpiOf = new Map(report.kpis.map((k) => [k.key, k]));
  const labelOf = (key) => kpiLabel(locale, key, kpiOf.get(key)?.label);

  const print = h('button', { type: 'button', className: 'tk-button tkv-small-button tkv-noprint', text: t('views.team.print', 'Print') });
  print.addEventListener('click', () => {
    const win = container.ownerDocument.defaultView;
    if (win && typeof win.print === 'function') win.print();
  });
  const copy = h('button', { type: 'button', className: 'tk-button tkv-small-button tkv-noprint', text: t('views.team.copy', 'Copy for a wiki page') });
  const copied = h('span', { className: 'tkv-copy-status tk-muted tk-small tkv-noprint', role: 'status' });
  copy.addEventListener('click', async () => {
    copied.textContent = (await copyForWiki(container))
      ? t('views.team.copied', 'Copied: paste it into the wiki page.')
      : t('views.team.copy_failed', 'The browser did not allow copying: use Print, or select the report and copy it.');
  });
  container.append(
    h(
      'header',
      { className: 'tkv-report-head' },
      h('h2', { text: t('views.team.title', 'Team report: {period}', { period: locale.dayRange(report.period.from, report.period.to) }) }),
      h('div', { className: 'tkv-row' }, copied, copy, print),
    ),
    h('p', {
      className: 'tkv-lead',
      text: t('views.team.lead', 'Compared with {previous} and the {n} periods before it. Durations: {basis}.', {
        previous: locale.dayRange(report.previous_period.from, report.previous_period.to),
        n: Math.max(0, report.trend_labels.length - 2),
        basis: report.time_basis === 'business' ? t('views.basis.business_long', 'business hours (the working calendar)') : t('views.basis.calendar_long', 'calendar time'),
      }),
    }),
  );

  // --- period against previous periods --------------------------------------------------------
  const labels = report.trend_labels || [];
  const head = [t('views.kpis.kpi', 'KPI'), ...labels.map((l) => trendLabel(locale, l)), t('views.team.vs_previous', 'vs previous'), t('views.kpis.target', 'Target')];
  const tbl = h('table', { className: 'tk-table tkv-table tkv-periods' });
  tbl.append(h('caption', { className: 'tkv-caption', text: t('views.team.periods', 'Every KPI, this period and the periods before') }));
  const headRow = h('tr', {}, head.map((c, i) => h('th', { scope: 'col', className: i === labels.length ? 'is-current' : i > 0 ? 'tk-num' : '', text: c })));
  tbl.append(h('thead', {}, headRow));
  let section = null;
  let body = null;
  for (const r of report.kpis) {
    if (r.missing) continue;
    if (r.section !== section) {
      section = r.section;
      body = h('tbody', { dataset: { section } });
      body.append(h('tr', { className: 'tkv-section-row' }, h('th', { colspan: String(head.length), scope: 'colgroup', text: sectionLabel(locale, section) })));
      tbl.append(body);
    }
    const q = changeQuality(r.direction, r.change);
    const cells = (r.trend || []).map((v, i) =>
      h('td', { className: `tk-num${i === r.trend.length - 1 ? ' is-current' : ''}`, dataset: { value: v ?? '' }, text: valueText(locale, r.unit, v) }),
    );
    body.append(
      h(
        'tr',
        { dataset: { key: r.key } },
        h('th', { scope: 'row', text: labelOf(r.key) }),
        cells,
        h('td', { className: `tkv-change is-${q}`, text: qualityWord(locale, q) || '—' }),
        h(
          'td',
          { className: 'tkv-target' },
          r.target
            ? [
                h('span', { className: `tkv-badge ${r.target.met ? 'is-met' : 'is-missed'}`, text: r.target.met ? t('views.target.met', 'met') : t('views.target.missed', 'missed') }),
                ' ',
                h('span', { text: `${targetSign(r.direction)} ${valueText(locale, r.unit, r.target.target)}` }),
              ]
            : '—',
        ),
      ),
    );
  }
  container.append(h('section', { className: 'tkv-block' }, h('div', { className: 'tk-table-scroll' }, tbl)));

  // --- scorecard ------------------------------------------------------------------------------
  const sc = report.scorecard;
  const scBlock = h('section', { className: 'tkv-block tkv-scorecard' }, h('h3', { text: t('views.team.scorecard', 'Agent scorecard') }));
  if (!sc || sc.rows.length === 0) {
    const miss = (report.missing || []).find((m) => m.view === 'agents');
    scBlock.append(h('p', { className: 'tk-muted', text: miss ? t('views.team.noagents_missing', 'No per-agent figures: {needs}.', { needs: miss.needs }) : t('views.team.noagents', 'No agent worked on tickets in this period.') }));
  } else {
    const unitOf = (key) => kpiOf.get(key)?.unit || 'number';
    const sTbl = h('table', { className: 'tk-table tkv-table' });
    sTbl.append(h('caption', { className: 'tkv-caption', text: t('views.team.scorecard_caption', 'Each agent against the team median (▲ better, ▼ worse)') }));
    sTbl.append(
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col', text: t('views.team.agent', 'Agent') }), h('th', { scope: 'col', text: t('views.team.team', 'Team') }), sc.keys.map((k) => h('th', { scope: 'col', className: 'tk-num', text: labelOf(k) }))),
      ),
    );
    const sBody = h('tbody');
    for (const row of sc.rows) {
      const name = h('th', { scope: 'row', text: row.name });
      if (row.name !== row.id) name.title = row.id;
      sBody.append(
        h(
          'tr',
          { dataset: { agent: row.id } },
          name,
          h('td', { text: row.team || '—' }),
          sc.keys.map((k, i) => {
            const b = row.better[i];
            const q = b === true ? 'better' : b === false ? 'worse' : 'neutral';
            const td = h('td', { className: `tk-num tkv-change is-${q}`, dataset: { value: row.values[i] ?? '', quality: q } }, valueText(locale, unitOf(k), row.values[i]));
            if (q !== 'neutral') {
              td.append(' ', h('span', { className: 'tkv-mark', 'aria-hidden': 'true', text: q === 'better' ? '▲' : '▼' }), h('span', { className: 'tk-visually-hidden', text: qualityWord(locale, q) }));
              td.title =
                q === 'better'
                  ? t('views.team.better_than_median', 'better than the team median')
                  : t('views.team.worse_than_median', 'worse than the team median');
            }
            return td;
          }),
        ),
      );
    }
    const foot = h(
      'tfoot',
      {},
      h('tr', { className: 'tkv-median-row' }, h('th', { scope: 'row', text: t('views.team.median', 'Team median') }), h('td', {}), sc.keys.map((k, i) => h('td', { className: 'tk-num', dataset: { value: sc.team_median[i] ?? '' }, text: valueText(locale, unitOf(k), sc.team_median[i]) }))),
    );
    sTbl.append(sBody, foot);
    scBlock.append(h('div', { className: 'tk-table-scroll' }, sTbl));
  }
  container.append(scBlock);

  // --- breakdown ------------------------------------------------------------------------------
  const bd = breakdownSection(h, locale, report);
  if (bd) container.append(bd);

  // --- charts ---------------------------------------------------------------------------------
  const sum = (xs) => (xs || []).reduce((a, b) => a + b, 0);
  const heat = chartFigure(h, {
    kind: 'heatmap',
    title: t('views.team.heatmap', 'Busiest hours (tickets created by weekday and hour)'),
    description: t('views.team.heatmap_desc', 'Heatmap of {n} tickets created by weekday and hour in {tz}.', {
      n: locale.integer(sum((report.heatmap || []).map(sum))),
      tz: report.period.timezone,
    }),
  });
  const sat = chartFigure(h, {
    kind: 'satisfaction',
    title: t('views.team.satisfaction', 'Satisfied and dissatisfied ratings'),
    description: t('views.team.satisfaction_desc', '{good} satisfied and {bad} dissatisfied ratings per {bucket}.', {
      good: locale.integer(sum(report.series.satisfied)),
      bad: locale.integer(sum(report.series.dissatisfied)),
      bucket: locale.t(`views.bucket.${report.period.bucket}`, report.period.bucket).toLocaleLowerCase(locale.tag),
    }),
  });
  container.append(h('section', { className: 'tkv-block tkv-charts' }, heat.figure, sat.figure));

  // --- feedback words -------------------------------------------------------------------------
  const words = (list, title, cls) =>
    h(
      'div',
      { className: `tkv-words ${cls}` },
      h('h4', { text: title }),
      list && list.length
        ? h(
            'ol',
            { className: 'tkv-word-list' },
            list.map(([w, n]) => h('li', { dataset: { word: w, count: n } }, h('span', { className: 'tkv-word', text: w }), ' ', h('span', { className: 'tk-muted', text: `× ${locale.integer(n)}` }))),
          )
        : h('p', { className: 'tk-muted', text: t('views.team.nowords', 'No comments in this period.') }),
    );
  const fb = report.feedback || { satisfied: [], dissatisfied: [] };
  container.append(
    h(
      'section',
      { className: 'tkv-block tkv-feedback' },
      h('h3', { text: t('views.team.feedback', 'Feedback words') }),
      h('div', { className: 'tkv-word-cols' }, words(fb.satisfied, t('views.team.satisfied', 'From satisfied customers'), 'is-good'), words(fb.dissatisfied, t('views.team.dissatisfied', 'From dissatisfied customers'), 'is-bad')),
    ),
  );

  watchCanvas(heat.canvas, 'heatmap', '', hooks);
  watchCanvas(sat.canvas, 'satisfaction', '', hooks);
}

/** A trend label "2026-02-23 – 2026-03-01" (or one day) shown in the locale's date format. */
function trendLabel(locale, label) {
  const m = /^(\d{4}-\d{2}-\d{2})\s*[–-]\s*(\d{4}-\d{2}-\d{2})$/.exec(label);
  if (m) return locale.dayRange(m[1], m[2]);
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return locale.day(label);
  return label;
}

/**
 * Copies the report to the clipboard as HTML (headings and tables, for a wiki editor) and as
 * plain text (tables as tab-separated lines). The HTML is the browser's serialisation of the
 * report's own nodes, so ticket text in it stays escaped. False when the browser refuses.
 */
async function copyForWiki(container) {
  const win = container.ownerDocument.defaultView;
  const clip = win && win.navigator && win.navigator.clipboard;
  if (!clip) return false;
  const clone = container.cloneNode(true);
  for (const n of clone.querySelectorAll('.tkv-noprint, .tkv-charts, canvas, button, details.tkv-numbers')) n.remove();
  for (const n of clone.querySelectorAll('*')) {
    for (const a of [...n.attributes]) if (a.name.startsWith('data-') || a.name === 'class') n.removeAttribute(a.name);
  }
  for (const tbl of clone.querySelectorAll('table')) tbl.setAttribute('border', '1');
  const lines = [];
  for (const n of clone.querySelectorAll('h2, h3, h4, p, caption, tr, li')) {
    if (n.tagName === 'TR') lines.push([...n.children].map((c) => c.textContent.trim()).join('\t'));
    else if (!n.closest('table') || n.tagName === 'CAPTION') lines.push(n.textContent.trim());
  }
  const html = clone.innerHTML;
  const text = lines.join('\n');
  try {
    if (typeof win.ClipboardItem === 'function' && typeof clip.write === 'function') {
      await clip.write([
        new win.ClipboardItem({
          'text/html': new win.Blob([html], { type: 'text/html' }),
          'text/plain': new win.Blob([text], { type: 'text/plain' }),
        }),
      ]);
    } else {
      await clip.writeText(text);
    }
    return true;
  } catch {
    return false;
  }
}

/** The breakdown of every KPI by the group-by dimension (report.breakdown), or null. */
export function breakdownSection(h, locale, report) {
  const t = (k, en, vars) => locale.t(k, en, vars);
  const bd = report.breakdown;
  if (!bd) return null;
  const kpiOf = new Map(report.kpis.map((k) => [k.key, k]));
  const unitOf = (key) => kpiOf.get(key)?.unit || 'number';
  const keys = bd.keys.filter((k) => !kpiOf.get(k)?.missing);
  const bTbl = h('table', { className: 'tk-table tkv-table tkv-breakdown' });
  bTbl.append(
    h('caption', {
      className: 'tkv-caption',
      text: t('views.team.breakdown', 'Every KPI by {dimension}', { dimension: dimensionLabel(locale, bd.dimension).toLocaleLowerCase(locale.tag) }),
    }),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col', text: dimensionLabel(locale, bd.dimension) }), keys.map((k) => h('th', { scope: 'col', className: 'tk-num', text: kpiLabel(locale, k, kpiOf.get(k)?.label) }))),
    ),
  );
  const bBody = h('tbody');
  for (const row of bd.rows) {
    bBody.append(
      h(
        'tr',
        { dataset: { name: row.name } },
        h('th', { scope: 'row', text: row.name }),
        keys.map((k) => {
          const i = bd.keys.indexOf(k);
          const td = h('td', { className: 'tk-num', dataset: { key: k, value: row.values[i] ?? '' }, text: valueText(locale, unitOf(k), row.values[i]) });
          const q = row.ratios && row.ratios[i];
          if (q) td.title = t('views.kpis.ratio', '{num} of {den}', { num: locale.integer(q.numerator), den: locale.integer(q.denominator) });
          return td;
        }),
      ),
    );
  }
  bTbl.append(bBody);
  return h('section', { className: 'tkv-block tkv-breakdown-block' }, h('h3', { text: t('views.team.breakdown_title', 'Breakdown') }), h('div', { className: 'tk-table-scroll' }, bTbl));
}
