// The management view: the largest KPI changes against the previous period and the targets
// crossed, stated in plain words. The sentences are built here from the insights' structured
// fields (kind, key, value, previous, change_percent, target) with the locale's templates, so
// every language gets them; the engine's English `text` is not shown.
//
// renderManagement(container, report, locale, hooks)
import { clear, kpiLabel, maker, percentChangeText, valueText } from './dom.js';

/**
 * The sentence of one insight, in the locale, from its fields: {label} the KPI, {from} the
 * previous value, {to} this period's, {target} the target crossed, {change} the % change
 * (signed for neutral KPIs, whose direction the words do not say).
 */
export function insightSentence(locale, insight, row) {
  const t = (k, en, vars) => locale.t(k, en, vars);
  const unit = row ? row.unit : 'number';
  const pct = insight.change_percent;
  const vars = {
    label: kpiLabel(locale, insight.key, row ? row.label : insight.key),
    to: valueText(locale, unit, insight.value),
    from: valueText(locale, unit, insight.previous),
    target: valueText(locale, unit, insight.target),
    change: insight.kind === 'changed' ? percentChangeText(locale, pct) : locale.percent(Math.abs(pct ?? 0)),
  };
  switch (insight.kind) {
    case 'target_met':
      return t('insight.target_met', '{label} now meets its target of {target} (now {to}, was {from}).', vars);
    case 'target_missed':
      return t('insight.target_missed', '{label} no longer meets its target of {target} (now {to}, was {from}).', vars);
    case 'improved':
      return t('insight.improved', '{label} improved by {change} ({from} → {to}).', vars);
    case 'worsened':
      return t('insight.worsened', '{label} worsened by {change} ({from} → {to}).', vars);
    default:
      return t('insight.changed', '{label} changed by {change} ({from} → {to}).', vars);
  }
}

export function renderManagement(container, report, locale) {
  const { h } = maker(container);
  const t = (k, en, vars) => locale.t(k, en, vars);
  clear(container);
  if (!report) return;
  const rows = new Map(report.kpis.map((k) => [k.key, k]));
  container.append(
    h('h2', { text: t('views.management.title', 'What changed: {period}', { period: locale.dayRange(report.period.from, report.period.to) }) }),
    h('p', {
      className: 'tkv-lead',
      text: t('views.management.lead', 'Against {previous}: targets crossed first, then the largest changes (5% or more).', {
        previous: locale.dayRange(report.previous_period.from, report.previous_period.to),
      }),
    }),
  );
  const insights = report.insights || [];
  if (insights.length === 0) {
    container.append(h('p', { className: 'tkv-none', text: t('views.management.none', 'No KPI changed by 5% or more, and no target was crossed.') }));
  } else {
    const groups = [
      ['targets', t('views.management.targets', 'Targets'), (i) => i.kind === 'target_met' || i.kind === 'target_missed'],
      ['changes', t('views.management.changes', 'Largest changes'), (i) => i.kind === 'improved' || i.kind === 'worsened'],
      ['context', t('views.management.context', 'For context'), (i) => i.kind === 'changed'],
    ];
    for (const [name, title, pick] of groups) {
      const list = insights.filter(pick);
      if (list.length === 0) continue;
      container.append(
        h(
          'section',
          { className: `tkv-block tkv-insights is-${name}` },
          h('h3', { text: title }),
          h(
            'ul',
            { className: 'tkv-insight-list' },
            list.map((i) => {
              const good = i.kind === 'improved' || i.kind === 'target_met';
              const bad = i.kind === 'worsened' || i.kind === 'target_missed';
              return h(
                'li',
                { className: `tkv-insight ${good ? 'is-better' : bad ? 'is-worse' : 'is-neutral'}`, dataset: { key: i.key, kind: i.kind } },
                h('span', { className: 'tkv-mark', 'aria-hidden': 'true', text: good ? '▲' : bad ? '▼' : '•' }),
                ' ',
                h('span', { className: 'tkv-sentence', text: insightSentence(locale, i, rows.get(i.key)) }),
              );
            }),
          ),
        ),
      );
    }
  }
  // Targets that hold steady (met or missed both periods) are not news, but a manager asks.
  const steady = report.kpis.filter((k) => k.target && !insights.some((i) => i.key === k.key && i.kind.startsWith('target_')));
  if (steady.length) {
    container.append(
      h(
        'section',
        { className: 'tkv-block tkv-steady' },
        h('h3', { text: t('views.management.steady', 'Other targets') }),
        h(
          'ul',
          { className: 'tkv-plain-list' },
          steady.map((k) =>
            h('li', { dataset: { key: k.key, met: String(k.target.met) } }, k.target.met
              ? t('views.management.still_met', '{kpi}: meets its target of {target} ({value}).', { kpi: kpiLabel(locale, k.key, k.label), target: valueText(locale, k.unit, k.target.target), value: valueText(locale, k.unit, k.value) })
              : t('views.management.still_missed', '{kpi}: misses its target of {target} ({value}).', { kpi: kpiLabel(locale, k.key, k.label), target: valueText(locale, k.unit, k.target.target), value: valueText(locale, k.unit, k.value) })),
          ),
        ),
      ),
    );
  }
}
