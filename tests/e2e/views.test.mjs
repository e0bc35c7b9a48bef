// The views of www/views/ in the widget, in headless Chromium: the report controls (period,
// filters, time basis), the All KPIs table, the team report, the agent view, the management
// view, targets and benchmarks, the import report with several files dropped together, and the
// CSV column mapping edited in the page.
//
// Every number is checked twice: against the hand-computed value (tests/catalogue.rs explains
// each one for tests/fixtures/catalogue.json) and against the engine's own report, computed
// here in Node by the same wasm for the options the page says it used.
//
// tests/fixtures/catalogue.json, period 2026-03-02 … 2026-03-08 (UTC, Mon–Fri 09–17 calendar,
// previous period 02-23 … 03-01):
//   created 5 (A–E); FRT of A, B, D 3600, 600, 7200 s → median 1 h, p90 6480 s = 1 h 48 min,
//   mean 3800 s = 1 h 3 min; business 3600, 600, 0 → median 10 min, p90 50 min, mean 23 min.
//   CSAT 1 of 2 = 50 % (was 100 %: target 80 % missed now, met before → the management view's
//   first finding). Resolution rate 4 of 5 = 80 % (was 2 of 3: +20 %).
//   Tier gold + silver → A, B, D: created 3.
//   Agent view a1 (Ayşe Yılmaz): FRT 3600 & 7200 → 1 h 30 min; a2 600 → team median of the
//   two agents (5400 + 600) / 2 = 3000 s = 50 min: worse than the team.
//   Breakdown by channel: email (A, D), chat, phone, web; email FRT (3600 + 7200) / 2 = 1 h 30 min.
//
// tests/fixtures/odd-columns.csv: columns the CSV reader does not know ("Ref", "Answered Stamp",
//   …). Read as it is: no first reply, so FRT is missing. With first_reply_at mapped to
//   "Answered Stamp": R-1 30 min, R-2 2 h, R-3 10 min (R-4 unanswered) → median 30 min,
//   p90 1800 + 0.8 × 5400 = 6120 s = 1 h 42 min, mean 3200 s = 53 min.
//
// Freshdesk recordings (../shared/data/01_zammad_vcr_cassettes/decoded_freshdesk, 50 files
// dropped together; tests/adapters_real_data.rs): "Freshdesk tickets with groups, agents,
// ticket fields, conversations", 13 records, 13 tickets, 0 skipped; 19 files not used
// (company/contact fields, companies, contact pages, time entries); FRT from the conversations:
// 6 replied, median 180 s = 3 min; no resolution time (needs solved_at; hint: include=stats).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, ROOT, WWW, open } from './harness.mjs';

const CATALOGUE = path.join(FIXTURES, 'catalogue.json');
const ODD_CSV = path.join(FIXTURES, 'odd-columns.csv');
const E2E_SMALL = path.join(FIXTURES, 'e2e-small.json');
const FRESHDESK = path.join(ROOT, '..', 'shared', 'data', '01_zammad_vcr_cassettes', 'decoded_freshdesk');

// ---- the engine in Node (the same wasm the page runs) ------------------------------------------

let glue = null;
async function nodeEngine() {
  if (!glue) {
    glue = await import(pathToFileURL(path.join(WWW, 'pkg', 'ticket_kpis.js')).href);
    await glue.default({ module_or_path: await readFile(path.join(WWW, 'pkg', 'ticket_kpis_bg.wasm')) });
  }
  return new glue.Engine();
}

/** The engine's report for `options` on `file` (read in `tz`, as the page reads it). */
async function engineReport(file, options, tz) {
  const e = await nodeEngine();
  e.load(await readFile(file), tz);
  return e.report(options);
}

// ---- page helpers (locators reach into the widget's shadow root) ------------------------------

async function poll(what, fn, timeout = 30_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const attr = (page, sel, name) => page.locator(sel).first().getAttribute(name);
const loads = async (page) => Number((await attr(page, '#app', 'data-loads')) || 0);
const renders = async (page) => Number((await attr(page, '.tkv', 'data-renders')) || 0);

async function waitLoads(page, n) {
  await poll(`${n} loads`, async () => (await loads(page)) >= n && (await attr(page, '#app', 'data-state')) === 'ready', 60_000);
}

/** Runs `action` and waits for the report it causes to reach the views. */
async function afterReport(page, action) {
  const n = await renders(page);
  await action();
  await poll('a new report', async () => (await renders(page)) > n);
  // A change can cause more than one report (the agent view asks for its agent): let it settle.
  let last = await renders(page);
  for (let i = 0; i < 4; i++) {
    await page.waitForTimeout(60);
    const now = await renders(page);
    if (now === last) break;
    last = now;
  }
}

/** The report the views show and the options it was computed with. */
const shown = (page) => page.locator('.tkv').evaluate((el) => ({ report: el.lastReport, options: el.lastOptions }));

/** The All KPIs table: one entry per KPI row. */
function kpiRows(page) {
  return page.locator('.tkv-kpi-table tbody tr[data-key]').evaluateAll((rows) =>
    Object.fromEntries(
      rows.map((r) => {
        const q = (s) => r.querySelector(s);
        const txt = (s) => (q(s) ? q(s).textContent : null);
        const data = (s, k) => (q(s) ? q(s).dataset[k] : undefined);
        return [
          r.dataset.key,
          {
            value: data('.tkv-value', 'value'),
            text: txt('.tkv-big'),
            calendar: txt('.tkv-summary[data-basis="calendar"]'),
            business: txt('.tkv-summary[data-basis="business"]'),
            ratio: txt('.tkv-ratio'),
            ratioTitle: q('.tkv-value') ? q('.tkv-value').title : null,
            previous: txt('.tkv-previous'),
            previousValue: data('.tkv-previous', 'value'),
            change: txt('.tkv-change'),
            quality: data('.tkv-change', 'quality'),
            target: txt('.tkv-target'),
            bench: txt('.tkv-bench'),
            missing: txt('.tkv-missing-text'),
            unavailable: r.classList.contains('is-unavailable'),
          },
        ];
      }),
    ),
  );
}

const num = (s) => (s === undefined || s === '' ? null : Number(s));

/** Every KPI row shows the engine's value (or its missing field); nothing is made up. */
function assertRowsMatch(rows, report) {
  assert.equal(Object.keys(rows).length, report.kpis.length, 'one row per KPI of the report');
  for (const k of report.kpis) {
    const row = rows[k.key];
    assert.ok(row, `row for ${k.key}`);
    if (k.missing) {
      assert.equal(row.missing, k.missing, `${k.key}: the missing field is shown`);
      assert.equal(row.value, undefined, `${k.key}: no number when the data cannot support it`);
      continue;
    }
    const v = num(row.value);
    if (k.value == null) assert.equal(v, null, `${k.key}: no value`);
    else assert.ok(Math.abs(v - k.value) < 1e-9, `${k.key}: shown ${v}, engine ${k.value}`);
    const p = num(row.previousValue);
    if (k.previous == null) assert.equal(p, null, `${k.key}: no previous`);
    else assert.ok(Math.abs(p - k.previous) < 1e-9, `${k.key}: previous ${p}, engine ${k.previous}`);
  }
}

async function pickView(page, view) {
  await page.locator(`.tkv-view-button[data-view="${view}"]`).click();
  await page.locator(view === 'dashboard' ? '#tiles' : `.tkv-panel[data-view="${view}"]`).waitFor({ state: 'visible' });
}

async function openImport(page) {
  const details = page.locator('details.tkv-import');
  if (!(await details.evaluate((d) => d.open))) await page.locator('details.tkv-import > summary').click();
}

/** Drops several files at once onto the widget (dragenter → dragover → drop). */
async function dropFiles(page, files) {
  const dataTransfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, files);
  await page.locator('#app').dispatchEvent('dragenter', { dataTransfer });
  await page.locator('#app').dispatchEvent('dragover', { dataTransfer });
  await page.locator('#app').dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

// ---------------------------------------------------------------------------------------------

describe('the views', () => {
  let b;
  let page;
  const TZ = 'Europe/Istanbul'; // the harness's viewer zone: naive times are read in it

  before(async () => {
    b = await open();
    page = b.page;
    await page.goto(b.server.url);
    await waitLoads(page, 1); // the built-in sample
  });

  after(async () => {
    await b?.close();
  });

  test('period, filter, time basis and audience views show the engine’s numbers', async () => {
    const n = await loads(page);
    await page.locator('#file-input').setInputFiles(CATALOGUE);
    await waitLoads(page, n + 1);
    await pickView(page, 'kpis');

    // Custom period (the views' own from/to).
    await afterReport(page, async () => {
      await page.locator('.tkv-controls input[name="from"]').fill('2026-03-02');
      await page.locator('.tkv-controls input[name="to"]').fill('2026-03-08');
      await page.locator('.tkv-controls input[name="to"]').dispatchEvent('change');
    });
    await poll('the period', async () => (await shown(page)).report.period.to === '2026-03-08');
    let { report, options } = await shown(page);
    assert.equal(options.from, '2026-03-02');
    assert.equal(options.to, '2026-03-08');
    assert.equal(await page.locator('.tkv-controls select[name="preset"]').inputValue(), 'custom');
    let want = await engineReport(CATALOGUE, options, TZ);
    assert.deepEqual(report.kpis, want.kpis, 'the widget’s report is the engine’s for these options');
    let rows = await kpiRows(page);
    assertRowsMatch(rows, want);

    // Hand-computed.
    assert.equal(rows.created.text, '5');
    assert.equal(rows.frt.text, '1 h');
    assert.equal(rows.frt.calendar, 'Calendar: median 1 h · p90 1 h 48 min · mean 1 h 3 min · n = 3');
    assert.equal(rows.frt.business, 'Business: median 10 min · p90 50 min · mean 23 min · n = 3');
    assert.match(rows.frt.target, /met/);
    assert.match(rows.frt.target, /≤ 1 h/);
    assert.equal(rows.csat.text, '50%');
    assert.equal(rows.csat.ratio, '1 of 2');
    assert.equal(rows.csat.ratioTitle, '1 of 2');
    assert.equal(rows.csat.previous, '100%');
    assert.equal(rows.csat.quality, 'worse');
    assert.match(rows.csat.change, /^−50 pts \(−50%\)worse$/);
    assert.match(rows.csat.target, /missed/);
    assert.match(rows.csat.target, /≥ 80%/);
    assert.equal(rows.resolution_rate.text, '80%');
    assert.equal(rows.resolution_rate.ratio, '4 of 5');
    assert.equal(rows.resolution_rate.quality, 'better', '+20 % of a higher-is-better rate');
    // Lower is better: backlog 1 → 2 is worse although it went up; a neutral count is neither.
    assert.equal(rows.backlog.quality, 'worse');
    assert.equal(rows.created.quality, 'neutral');
    // Every KPI with data has its sparkline drawn by the engine.
    const sparks = await page.locator('.tkv-kpi-table canvas.tkv-spark').evaluateAll((cs) =>
      cs.map((c) => ({ kind: c.dataset.kind, drawn: Number(c.dataset.drawn || 0), w: c.width, cssW: c.getBoundingClientRect().width })),
    );
    assert.equal(sparks.length, want.kpis.filter((k) => !k.missing).length);
    for (const s of sparks) {
      assert.ok(s.drawn > 0, `${s.kind} drawn`);
      assert.equal(s.w, Math.round(s.cssW * (await page.evaluate(() => devicePixelRatio))), `${s.kind} sized to CSS × dpr`);
    }

    // Multi-select filter: customer tier gold + silver.
    await page.locator('details.tkv-dim[data-dimension="tier"] > summary').click();
    await afterReport(page, () => page.locator('.tkv-dim[data-dimension="tier"] input[value="gold"]').check());
    await afterReport(page, () => page.locator('.tkv-dim[data-dimension="tier"] input[value="silver"]').check());
    ({ report, options } = await shown(page));
    assert.deepEqual(options.filters, { tier: ['gold', 'silver'] });
    want = await engineReport(CATALOGUE, options, TZ);
    rows = await kpiRows(page);
    assertRowsMatch(rows, want);
    assert.equal(rows.created.text, '3');
    assert.match(await page.locator('details.tkv-dim[data-dimension="tier"] > summary').textContent(), /2 selected/);

    // Business hours as the headline of durations.
    await afterReport(page, () => page.locator('.tkv-controls select[name="time_basis"]').selectOption('business'));
    ({ report, options } = await shown(page));
    assert.equal(options.time_basis, 'business');
    assert.equal(report.time_basis, 'business');
    want = await engineReport(CATALOGUE, options, TZ);
    rows = await kpiRows(page);
    assertRowsMatch(rows, want);
    assert.equal(rows.frt.text, '10 min');
    assert.equal(want.kpis.find((k) => k.key === 'frt').value, 600);

    // Back to calendar time, no filters.
    await afterReport(page, () => page.locator('.tkv-controls select[name="time_basis"]').selectOption('calendar'));
    await afterReport(page, () => page.locator('.tkv-controls button', { hasText: 'Clear filters' }).click());
    assert.equal((await kpiRows(page)).created.text, '5');

    // Agent view: a1 against the team median.
    await afterReport(page, () => pickView(page, 'agent'));
    const picker = page.locator('.tkv-panel[data-view="agent"] select[name="agent_view"]');
    if ((await picker.inputValue()) !== 'a1') await afterReport(page, () => picker.selectOption('a1'));
    ({ report, options } = await shown(page));
    assert.equal(options.agent_view, 'a1');
    want = await engineReport(CATALOGUE, options, TZ);
    assert.deepEqual(report.agent_view, want.agent_view);
    const agentRows = await page.locator('.tkv-agent-table tbody tr').evaluateAll((rs) =>
      Object.fromEntries(
        rs.map((r) => [
          r.dataset.key,
          {
            value: r.querySelector('.tkv-value').textContent,
            median: r.querySelector('.tkv-median').textContent,
            vs: r.querySelector('.tkv-change').textContent,
            quality: r.querySelector('.tkv-change').dataset.quality,
            raw: Number(r.querySelector('.tkv-value').dataset.value),
            rawMedian: Number(r.querySelector('.tkv-median').dataset.value),
          },
        ]),
      ),
    );
    assert.deepEqual(agentRows.frt, {
      value: '1 h 30 min',
      median: '50 min',
      vs: 'worse than the team',
      quality: 'worse',
      raw: 5400,
      rawMedian: 3000,
    });
    const wf = want.agent_view.kpis.find((k) => k.key === 'frt');
    assert.deepEqual([wf.value, wf.team_median, wf.better], [5400, 3000, false]);
    assert.equal(Object.keys(agentRows).length, want.agent_view.kpis.length);
    assert.match(await page.locator('.tkv-private').textContent(), /Private view\..*Ayşe Yılmaz/);
    // The private view names no other agent.
    assert.equal(await page.locator('.tkv-panel[data-view="agent"] table', { hasText: 'Daan de Vries' }).count(), 0);

    // Management view: the target crossing, in a sentence built from the insight's fields.
    await pickView(page, 'management');
    const insights = await page.locator('.tkv-insight').evaluateAll((lis) =>
      lis.map((li) => ({ key: li.dataset.key, kind: li.dataset.kind, text: li.querySelector('.tkv-sentence').textContent })),
    );
    assert.deepEqual(
      insights.map((i) => [i.key, i.kind]),
      want.insights.map((i) => [i.key, i.kind]),
      'every finding of the engine, in its order',
    );
    assert.deepEqual(insights[0], {
      key: 'csat',
      kind: 'target_missed',
      text: 'CSAT no longer meets its target of 80% (now 50%, was 100%).',
    });
    const rr = insights.find((i) => i.key === 'response_rate');
    assert.equal(rr.text, 'Response rate worsened by 40% (100% → 60%).');
    assert.deepEqual(b.problems, []);
  });

  test('the team report: periods, scorecard with the team median, breakdown, charts, words', async () => {
    await afterReport(page, () => page.locator('.tkv-controls select[name="group_by"]').selectOption('channel'));
    await pickView(page, 'team');
    const { report, options } = await shown(page);
    assert.equal(options.group_by, 'channel');
    const want = await engineReport(CATALOGUE, options, TZ);
    const panel = page.locator('.tkv-panel[data-view="team"]');

    // This period and the five before it, per KPI (trend + trend_labels).
    const head = await panel.locator('.tkv-periods thead th').allTextContents();
    assert.equal(head.length, 1 + want.trend_labels.length + 2);
    assert.match(await panel.locator('.tkv-periods tr[data-key="csat"] .tkv-target').textContent(), /^missed ≥ 80%$/);
    assert.match(head[want.trend_labels.length], /^Mar 2\s*–\s*8, 2026$/);
    const created = await panel.locator('.tkv-periods tr[data-key="created"] td.tk-num').evaluateAll((tds) => tds.map((td) => td.textContent));
    assert.deepEqual(created, ['0', '0', '0', '0', '3', '5']);

    // Scorecard: a1 slower than the median (▼), the team median row last.
    const sc = await panel.locator('.tkv-scorecard tbody tr').evaluateAll((rs) =>
      rs.map((r) => [r.dataset.agent, ...[...r.querySelectorAll('td[data-quality]')].map((td) => td.dataset.quality)]),
    );
    assert.deepEqual(
      sc,
      want.scorecard.rows.map((r) => [r.id, ...r.better.map((x) => (x === true ? 'better' : x === false ? 'worse' : 'neutral'))]),
    );
    const median = await panel.locator('.tkv-median-row td.tk-num').allTextContents();
    assert.deepEqual(median.slice(0, 4), ['2', '1.5', '50 min', '31 h']);

    // Breakdown by channel.
    const bd = await panel.locator('.tkv-breakdown tbody tr').evaluateAll((rs) =>
      rs.map((r) => [r.dataset.name, r.querySelector('td[data-key="created"]').textContent, r.querySelector('td[data-key="frt"]').textContent]),
    );
    assert.deepEqual(bd.map((r) => r[0]), ['email', 'chat', 'phone', 'web']);
    assert.deepEqual(bd[0], ['email', '2', '1 h 30 min']);
    assert.deepEqual(report.breakdown, want.breakdown);

    // Heatmap and satisfaction charts drawn with ink.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const charts = await panel.locator('canvas').evaluateAll((cs) =>
      cs.map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) ink++;
        return { kind: c.dataset.kind, drawn: Number(c.dataset.drawn || 0), ink, label: c.getAttribute('aria-label') };
      }),
    );
    assert.deepEqual(charts.map((c) => c.kind), ['heatmap', 'satisfaction']);
    for (const c of charts) assert.ok(c.drawn > 0 && c.ink > 0, `${c.kind} drawn with ink`);
    assert.match(charts[0].label, /5 tickets created/);

    // Feedback words by side.
    const words = await panel.locator('.tkv-words').evaluateAll((ds) =>
      ds.map((d) => [...d.querySelectorAll('li')].map((li) => li.dataset.word)),
    );
    assert.deepEqual(words, [
      ['fast', 'friendly', 'help'],
      ['answer', 'slow', 'unhelpful'],
    ]);

    // Ready for a wiki page: copied as HTML tables and as tab-separated text.
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: b.origin });
    await panel.locator('button', { hasText: 'Copy for a wiki page' }).click();
    await poll('the copy', async () => /Copied/.test(await panel.locator('.tkv-copy-status').textContent()));
    const clip = await page.evaluate(async () => {
      const [item] = await navigator.clipboard.read();
      return { html: await (await item.getType('text/html')).text(), text: await (await item.getType('text/plain')).text() };
    });
    assert.match(clip.html, /<table border="1">/);
    assert.doesNotMatch(clip.html, /<canvas|<button|class=|data-/);
    assert.match(clip.text, /^Team median\t\t2\t1\.5\t50 min\t31 h/m);
    // The same breakdown under the All KPIs table.
    await pickView(page, 'kpis');
    assert.deepEqual(
      await page.locator('.tkv-panel[data-view="kpis"] .tkv-breakdown tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.name)),
      ['email', 'chat', 'phone', 'web'],
    );
    await afterReport(page, () => page.locator('.tkv-controls select[name="group_by"]').selectOption(''));
    assert.equal(await page.locator('.tkv-panel[data-view="kpis"] .tkv-breakdown').count(), 0);
  });

  test('targets and benchmarks typed in: progress, met/missed and the KPI chart', async () => {
    await pickView(page, 'kpis');
    await page.locator('.tkv-targets-box > summary').click();
    const frtTarget = page.locator('.tkv-targets input[name="target-frt"]');
    assert.equal(await frtTarget.inputValue(), '1h', 'the dataset’s target, as text the editor reads');
    assert.match(await page.locator('.tkv-targets tr[data-key="frt"]').textContent(), /lower is better/);
    await afterReport(page, async () => {
      await frtTarget.fill('30 min');
      await frtTarget.press('Enter');
      await frtTarget.blur();
    });
    await page.locator('.tkv-bench-list + button').click();
    const bench = page.locator('.tkv-bench-list li').first();
    await bench.locator('select[name="bench-kpi"]').selectOption('frt');
    await bench.locator('input[name="bench-label"]').fill('Industry median');
    await bench.locator('input[name="bench-label"]').dispatchEvent('change');
    await afterReport(page, async () => {
      await bench.locator('input[name="bench-value"]').fill('4h');
      await bench.locator('input[name="bench-value"]').dispatchEvent('change');
    });
    const { options, report } = await shown(page);
    assert.deepEqual(options.targets, { frt: 1800 });
    assert.deepEqual(options.benchmarks, [{ kpi: 'frt', value: 14400, label: 'Industry median' }]);
    const want = await engineReport(CATALOGUE, options, TZ);
    const frt = want.kpis.find((k) => k.key === 'frt');
    assert.deepEqual([frt.target.target, frt.target.met, frt.target.progress], [1800, false, 0.5]);
    assert.deepEqual(report.kpis.find((k) => k.key === 'frt').target, frt.target);
    const rows = await kpiRows(page);
    assert.match(rows.frt.target, /missed/);
    assert.match(rows.frt.target, /≤ 30 min/);
    assert.equal(rows.frt.bench, 'Industry median: 4 h');
    const progress = await page.locator('.tkv-kpi-table tr[data-key="frt"] progress').evaluate((p) => p.value);
    assert.equal(progress, 50);
    // The KPI's chart per bucket, with target and benchmark lines, opened from its row.
    const open = page.locator('.tkv-kpi-table tr[data-key="frt"] .tkv-open-chart');
    await open.focus();
    await page.keyboard.press('Enter');
    assert.equal(await open.getAttribute('aria-expanded'), 'true');
    const canvas = page.locator(`#${await open.getAttribute('aria-controls')} canvas`);
    await poll('the KPI chart', async () => Number((await canvas.getAttribute('data-drawn')) || 0) > 0);
    assert.equal(await canvas.getAttribute('data-kind'), 'kpi:frt');
    // An unreadable target is marked and not sent.
    await frtTarget.fill('soon');
    await frtTarget.dispatchEvent('change');
    assert.equal(await frtTarget.getAttribute('aria-invalid'), 'true');
    assert.deepEqual((await shown(page)).options.targets, { frt: 1800 });

    // Back to all the data: the engine's default period (first to last day with data).
    await afterReport(page, () => page.locator('.tkv-controls select[name="preset"]').selectOption('all'));
    const all = (await shown(page)).report.period;
    assert.deepEqual([all.from, all.to], ['2026-02-23', '2026-03-07']);
    assert.equal(await page.locator('.tkv-controls input[name="from"]').inputValue(), '2026-02-23');
    // A preset counts back from the data's last day: last 7 days = 03-01 … 03-07.
    await afterReport(page, () => page.locator('.tkv-controls select[name="preset"]').selectOption('last7'));
    const last7 = (await shown(page)).report.period;
    assert.deepEqual([last7.from, last7.to], ['2026-03-01', '2026-03-07']);
  });

  test('views are keyboard-operable and ticket text stays text', async () => {
    const n = await loads(page);
    await page.locator('#file-input').setInputFiles(E2E_SMALL);
    await waitLoads(page, n + 1);
    // Arrow keys move along the view switcher; Enter opens a view.
    await page.locator('.tkv-view-button[data-view="kpis"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.locator('.tkv-panel[data-view="team"]').waitFor({ state: 'visible' });
    const carol = '<b>Carol</b> & <img src=x onerror=alert(1)>';
    assert.equal(await page.locator('.tkv-scorecard tbody th', { hasText: carol }).count(), 1);
    await page.locator('details.tkv-dim[data-dimension="agent"] > summary').click();
    assert.equal(await page.locator('.tkv-dim[data-dimension="agent"] label', { hasText: carol }).count(), 1);
    await afterReport(page, () => pickView(page, 'agent'));
    await afterReport(page, () => page.locator('select[name="agent_view"]').selectOption('a3'));
    assert.ok((await page.locator('.tkv-agent-name').textContent()).startsWith(`${carol}: Mar 2`));
    assert.equal(await page.locator('.tkv img, .tkv b').count(), 0, 'no element was made from ticket text');
    assert.deepEqual(b.problems, []);
  });

  test('several files dropped together: the import report lists each file and what the data supports', async () => {
    const names = (await readdir(FRESHDESK)).filter((f) => f.endsWith('.json')).sort();
    assert.equal(names.length, 50);
    const files = await Promise.all(
      names.map(async (name) => ({ name, type: 'application/json', bytes: [...(await readFile(path.join(FRESHDESK, name)))] })),
    );
    const n = await loads(page);
    await dropFiles(page, files);
    await waitLoads(page, n + 1);
    await openImport(page);
    const panel = page.locator('details.tkv-import');
    const fact = (k) => panel.locator(`dd[data-fact="${k}"]`).textContent();
    assert.equal(await fact('format'), 'Freshdesk tickets with groups, agents, ticket fields, conversations');
    assert.equal(await fact('records'), '13');
    assert.equal(await fact('tickets'), '13');
    assert.equal(await fact('skipped'), '0');
    assert.equal(await panel.locator('select[name="format"]').inputValue(), 'auto');

    const sources = await panel.locator('.tkv-sources tbody tr').evaluateAll((rs) =>
      rs.map((r) => ({ file: r.dataset.file, used: r.dataset.used === 'true', kind: r.children[1].textContent, note: r.children[4].textContent })),
    );
    assert.equal(sources.length, 50);
    assert.equal(sources.filter((s) => !s.used).length, 19);
    assert.deepEqual(sources.find((s) => s.file === '010_tickets.json'), { file: '010_tickets.json', used: true, kind: 'tickets', note: '' });
    const companies = sources.find((s) => s.file === '002_companies.json');
    assert.equal(companies.used, false);
    assert.equal(companies.note, 'companies are not needed for the KPIs');
    assert.match(await panel.locator('.tkv-sources caption').textContent(), /31 of 50 files used/);

    // The engine's import report for the same files, read in Node.
    const e = await nodeEngine();
    const imp = e.load_files(names, files.map((f) => new Uint8Array(f.bytes)), TZ, null, null);
    const support = await panel.locator('.tkv-support tbody tr').evaluateAll((rs) =>
      rs.map((r) => ({ key: r.dataset.key, supported: r.dataset.supported === 'true', missing: r.children[2].textContent, hint: r.children[3].textContent })),
    );
    assert.deepEqual(
      support,
      imp.kpis.map((k) => ({ key: k.key, supported: k.supported, missing: k.supported ? '' : k.missing || '', hint: k.supported ? '' : k.hint || '' })),
    );
    assert.equal(support.find((k) => k.key === 'frt').supported, true);
    assert.deepEqual(support.find((k) => k.key === 'resolution_time'), {
      key: 'resolution_time',
      supported: false,
      missing: 'needs "solved_at" (or "closed_at" / "status_history") on solved tickets',
      hint: 'export the tickets with include=stats (resolved_at, closed_at)',
    });
    // Warnings by reason with their counts and examples.
    const warnings = await panel.locator('.tkv-warnings > li').evaluateAll((lis) =>
      lis.map((li) => [Number(li.dataset.count), li.querySelector('.tk-warning-message').textContent, li.querySelectorAll('.tk-examples li').length]),
    );
    assert.deepEqual(
      warnings,
      imp.warnings.map((w) => [w.count, w.message, w.examples.length]),
    );
    assert.equal(warnings[0][0], 13);

    // The KPI table says the same: FRT 3 min from the conversations, no resolution time.
    await pickView(page, 'kpis');
    const rows = await kpiRows(page);
    assert.equal(rows.frt.text, '3 min');
    assert.equal(rows.resolution_time.unavailable, true);
    assert.equal(rows.resolution_time.missing, 'needs "solved_at" (or "closed_at" / "status_history") on solved tickets');
    const { report, options } = await shown(page);
    assertRowsMatch(rows, e.report(options));
    assert.equal(report.kpis.find((k) => k.key === 'frt').summary.median, 180);
  });

  test('a CSV with unknown column names: the mapping edited in the page changes the numbers', async () => {
    const n = await loads(page);
    await page.locator('#file-input').setInputFiles(ODD_CSV);
    await waitLoads(page, n + 1);
    await openImport(page);
    const panel = page.locator('details.tkv-import');
    assert.equal(await panel.locator('dd[data-fact="format"]').textContent(), 'CSV (comma delimited, 6 columns)');
    assert.equal(await panel.locator('select[name="map-created_at"]').inputValue(), 'Opened On');
    assert.equal(await panel.locator('select[name="map-channel"]').inputValue(), 'Medium');
    assert.equal(await panel.locator('select[name="map-first_reply_at"]').inputValue(), '');
    assert.match(await panel.locator('.tkv-unmapped').textContent(), /Ref, Answered Stamp, Shut Stamp, Stars/);
    assert.equal(await panel.locator('.tkv-support tr[data-key="frt"]').getAttribute('data-supported'), 'false');
    await pickView(page, 'kpis');
    let rows = await kpiRows(page);
    assert.equal(rows.frt.missing, 'needs "first_reply_at" or agent "messages" on tickets');
    assert.equal(rows.created.text, '4');

    // Map two columns and read the same bytes again.
    const apply = panel.locator('.tkv-csv button', { hasText: 'Read again with this mapping' });
    assert.equal(await apply.isDisabled(), true, 'nothing to apply before an edit');
    await panel.locator('select[name="map-first_reply_at"]').selectOption('Answered Stamp');
    await panel.locator('select[name="map-id"]').selectOption('Ref');
    await apply.click();
    await waitLoads(page, n + 2);
    assert.equal(await panel.locator('select[name="map-first_reply_at"]').inputValue(), 'Answered Stamp');
    assert.equal(await panel.locator('.tkv-support tr[data-key="frt"]').getAttribute('data-supported'), 'true');
    const warnings = await panel.locator('.tkv-warnings .tk-warning-message').allTextContents();
    assert.ok(!warnings.some((w) => /"id" is missing/.test(w)), warnings.join('\n'));
    rows = await kpiRows(page);
    assert.equal(rows.frt.text, '30 min');
    assert.equal(rows.frt.calendar, 'Calendar: median 30 min · p90 1 h 42 min · mean 53 min · n = 3');

    // The engine agrees, with the mapping the page sent.
    const e = await nodeEngine();
    const mapping = await panel.locator('.tkv-mapping select').evaluateAll((ss) => Object.fromEntries(ss.map((s) => [s.dataset.field, s.value])));
    e.load_files(['odd-columns.csv'], [new Uint8Array(await readFile(ODD_CSV))], TZ, null, mapping);
    const { options } = await shown(page);
    assertRowsMatch(rows, e.report(options));

    // A format the file is not in is refused with the engine's reason; the data stays.
    await panel.locator('select[name="format"]').selectOption('freshdesk');
    await poll('the error', () => page.locator('#error').isVisible());
    assert.match(await page.locator('#error-message').textContent(), /none of the files is a Freshdesk export: odd-columns\.csv looks like CSV/);
    assert.equal((await kpiRows(page)).frt.text, '30 min');
  });

  test('mounted again (another language) the views keep their state; they work outside a shadow root too', async () => {
    const out = await page.evaluate(async () => {
      const { createViews } = await import('/views/index.js');
      const { Locale, registerCatalog } = await import('/i18n.js');
      const { catalog } = await import('/locales/nl.js');
      registerCatalog('nl', catalog);
      const report = document.querySelector('ticket-kpis').shadowRoot.querySelector('.tkv').lastReport;
      const applied = [];
      const hooks = { apply: (o) => applied.push(o), draw: () => {}, reimport: () => {} };
      const box1 = document.createElement('div');
      document.body.append(box1);
      const v1 = createViews(box1, new Locale('en'), hooks);
      v1.setReport(report);
      v1.setView('kpis');
      const basis = box1.querySelector('select[name="time_basis"]');
      basis.value = 'business';
      basis.dispatchEvent(new Event('change'));
      const box2 = document.createElement('div');
      document.body.append(box2);
      const v2 = createViews(box2, new Locale('nl'), hooks, v1.snapshot());
      const res = {
        applied: applied.map((o) => o.time_basis),
        options: v2.options(),
        view: v2.state.view,
        team: box2.querySelector('.tkv-view-button[data-view="team"]').textContent,
        rows: box2.querySelectorAll('.tkv-kpi-table tr[data-key]').length,
        kpis: report.kpis.length,
        basis: box2.querySelector('select[name="time_basis"]').value,
        styled: getComputedStyle(box2.querySelector('.tkv-panel')).borderTopStyle,
      };
      box1.remove();
      box2.remove();
      return res;
    });
    assert.deepEqual(out.applied, ['business']);
    assert.equal(out.options.time_basis, 'business');
    assert.equal(out.view, 'kpis');
    assert.equal(out.team, 'Teamrapport');
    assert.equal(out.rows, out.kpis);
    assert.equal(out.basis, 'business');
    assert.equal(out.styled, 'solid', 'the views’ stylesheet applies in the page too');
    assert.deepEqual(b.problems, []);
  });
});
