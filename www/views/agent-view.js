// The agent view: one agent's KPIs against the team median (better / worse by direction), the
// agent's previous period and own trend. Meant to be shared privately with that agent: it
// names no other agent.
//
// renderAgentView(container, data, locale, hooks)
//   data:  { report, agent } — agent is the id chosen (report.agent_view is computed for it)
//   hooks: { change({agent_view}) } — picks another agent (the caller recomputes)
import { changeQuality, clear, kpiLabel, maker, qualityWord, uid, valueText } from './dom.js';

export function renderAgentView(container, data, locale, hooks) {
  const { h, svg } = maker(container);
  const t = (k, en, vars) => locale.t(k, en, vars);
  const { report, agent } = data;
  clear(container);
  if (!report) return;

  // The agent picker: agents of the dataset (report.dimensions), by display name.
  const dim = (report.dimensions || []).find((d) => d.dimension === 'agent');
  const agents = dim ? dim.values.filter(([id]) => id && id !== '(none)') : [];
  const id = uid('tkv-agent');
  const picker = h(
    'select',
    { id, name: 'agent_view' },
    h('option', { value: '', text: t('views.agent.choose', 'Choose an agent…') }),
    agents.map(([value, label]) => h('option', { value, text: label })),
  );
  picker.value = agent || '';
  picker.addEventListener('change', () => hooks.change({ agent_view: picker.value }));
  const print = h('button', { type: 'button', className: 'tk-button tkv-small-button', text: t('views.team.print', 'Print') });
  print.addEventListener('click', () => {
    const win = container.ownerDocument.defaultView;
    if (win && typeof win.print === 'function') win.print();
  });
  container.append(
    h(
      'div',
      { className: 'tkv-row tkv-noprint' },
      h('div', { className: 'tk-field tkv-field' }, h('label', { for: id, text: t('views.agent.label', 'Agent') }), picker),
      agent && report.agent_view ? print : null,
    ),
  );

  if (agents.length === 0) {
    const miss = (report.missing || []).find((m) => m.view === 'agents');
    container.append(h('p', { className: 'tkv-missing-block', text: miss ? t('views.team.noagents_missing', 'No per-agent figures: {needs}.', { needs: miss.needs }) : t('views.agent.none', 'This data names no agents.') }));
    return;
  }
  const view = report.agent_view;
  if (!agent || !view) {
    container.append(h('p', { className: 'tk-muted', text: t('views.agent.pick', 'Choose an agent to see their figures against the team median.') }));
    return;
  }

  container.append(
    h('h2', { className: 'tkv-agent-name', text: t('views.agent.title', '{name}: {period}', { name: view.name, period: locale.dayRange(report.period.from, report.period.to) }) }),
    h(
      'p',
      { className: 'tkv-private', role: 'note' },
      h('strong', { text: t('views.agent.private', 'Private view.') }),
      ' ',
      t('views.agent.private_text', 'These are {name}’s own figures against the median of the team’s agents; no other agent is named. Share it with {name} only.', { name: view.name }),
    ),
  );

  const head = [
    t('views.kpis.kpi', 'KPI'),
    t('views.agent.value', '{name}', { name: view.name }),
    t('views.agent.median', 'Team median'),
    t('views.agent.vs', 'Against the team'),
    t('views.kpis.previous', 'Previous'),
    t('views.kpis.trend', 'Trend'),
  ];
  const tbl = h('table', { className: 'tk-table tkv-table tkv-agent-table' });
  tbl.append(h('caption', { className: 'tkv-caption', text: t('views.agent.caption', '{name} against the team median', { name: view.name }) }));
  tbl.append(h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col', text: c })))));
  const body = h('tbody');
  for (const k of view.kpis) {
    const q = k.better === true ? 'better' : k.better === false ? 'worse' : k.direction === 'neutral' ? 'neutral' : changeQuality(k.direction, k.value != null && k.team_median != null ? k.value - k.team_median : null);
    const label = kpiLabel(locale, k.key, k.label);
    body.append(
      h(
        'tr',
        { dataset: { key: k.key } },
        h('th', { scope: 'row', text: label }),
        h('td', { className: 'tk-num tkv-value', dataset: { value: k.value ?? '' }, text: valueText(locale, k.unit, k.value) }),
        h('td', { className: 'tk-num tkv-median', dataset: { value: k.team_median ?? '' }, text: valueText(locale, k.unit, k.team_median) }),
        h('td', { className: `tkv-change is-${q}`, dataset: { quality: q } }, vsText(locale, q)),
        h('td', { className: 'tk-num tkv-previous', dataset: { value: k.previous ?? '' }, text: valueText(locale, k.unit, k.previous) }),
        h('td', { className: 'tkv-spark-cell' }, sparkline(svg, locale, k, report.trend_labels || [], label)),
      ),
    );
  }
  tbl.append(body);
  container.append(h('div', { className: 'tk-table-scroll' }, tbl));
}

function vsText(locale, q) {
  switch (q) {
    case 'better':
      return locale.t('views.agent.better', 'better than the team');
    case 'worse':
      return locale.t('views.agent.worse', 'worse than the team');
    case 'same':
      return locale.t('views.agent.same', 'same as the team');
    default:
      return qualityWord(locale, q) || '—';
  }
}

/** The agent's own trend as a small SVG line (the engine's sparklines chart the team). */
function sparkline(svg, locale, k, labels, label) {
  const W = 120;
  const H = 28;
  const vals = k.trend || [];
  const known = vals.filter((v) => v != null && Number.isFinite(v));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'tkv-agent-spark' });
  const title = svg('title');
  title.textContent = locale.t('views.kpis.spark', '{kpi} over the last {n} periods: {values}', {
    kpi: label,
    n: vals.length,
    values: vals.map((v, i) => `${labels[i] || ''}: ${valueText(locale, k.unit, v)}`).join('; '),
  });
  root.append(title);
  root.setAttribute('aria-label', title.textContent);
  if (known.length === 0) return root;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const x = (i) => (vals.length <= 1 ? W / 2 : 3 + (i * (W - 6)) / (vals.length - 1));
  const y = (v) => (hi === lo ? H / 2 : H - 3 - ((v - lo) * (H - 6)) / (hi - lo));
  let d = '';
  let pen = false;
  vals.forEach((v, i) => {
    if (v == null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
    pen = true;
  });
  root.append(svg('path', { d: d.trim(), fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }));
  const last = vals.length - 1;
  if (vals[last] != null) root.append(svg('circle', { cx: x(last), cy: y(vals[last]), r: 2.5, fill: 'currentColor' }));
  return root;
}
