// The widget's exports (www/export.js) on tests/fixtures/e2e-small.json, whose figures are worked
// out by hand in tests/e2e/dashboard.test.mjs (dataset timezone UTC, no working calendar: business
// time equals calendar time, no SLA targets). Files are saved through the browser's download, and
// read back here.
//
// Per ticket (created order): id, created, resolved, channel, agent, status, FRT s, resolution s,
// CSAT score → satisfied:
//   T1  03-02 09:00  03-02 13:00  email  Ayşe  solved   1800  14400  5 ✓
//   T2  03-02 10:00  03-02 11:00  chat   Ayşe  solved    300   3600  4 ✓
//   T3  03-03 08:00  03-04 08:00  email  Bram  solved   7200  86400  2 ✗
//   T4  03-03 12:00  03-03 14:00  phone  Bram  solved   1800   7200  4 ✓
//   T5  03-04 09:00  —            email  Carol open    21600  —      —
//   T6  03-04 16:00  03-05 16:00  chat   Ayşe  solved    180  86400  5 ✓
//   T7  03-05 09:00  —            email  Carol open        —  —      —
//   T8  03-05 11:00  —            email  —     new         —  —      —
//   T9  03-06 09:00  03-07 12:00  web    Bram  solved  90000  97200  3 ✗
//   T10 03-06 14:00  —            chat   Ayşe  pending   300  —      —
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, open } from './harness.mjs';

const SMALL_PATH = path.join(FIXTURES, 'e2e-small.json');
const CAROL = '<b>Carol</b> & <img src=x onerror=alert(1)>';

async function waitLoads(page, n, timeout = 90_000) {
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector('ticket-kpis');
      return el && Number(el.dataset.loads || 0) >= n && el.dataset.state === 'ready';
    },
    n,
    { timeout },
  );
}

const renders = (page) =>
  page.evaluate(() => Number(document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.renders || 0));

async function dropFile(page, name, content) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, content }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type: 'application/json' }));
      return dt;
    },
    { name, content },
  );
  await page.dispatchEvent('#app', 'dragenter', { dataTransfer });
  await page.dispatchEvent('#app', 'drop', { dataTransfer });
  await dataTransfer.dispose();
}

async function exported(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(selector)]);
  const file = await download.path();
  const bytes = await readFile(file);
  return { name: download.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

/** RFC 4180 reader that also reports which fields were quoted. */
function parseCsv(text) {
  assert.equal(text.charCodeAt(0), 0xfeff, 'a UTF-8 byte order mark first');
  assert.ok(text.endsWith('\r\n'), 'CRLF line ends');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const TICKET_HEAD = [
  'id', 'created', 'resolved', 'channel', 'priority', 'agent', 'agent_id', 'team', 'status',
  'frt_seconds', 'frt_business_seconds', 'resolution_seconds', 'resolution_business_seconds',
  'first_reply_sla_met', 'resolution_sla_met', 'first_contact_resolution', 'csat_score',
  'csat_scale', 'csat_satisfied',
];

const at = (day, hm) => `2026-03-${day}T${hm}:00+00:00`;
// [id, created, resolved, channel, agent, agent_id, status, frt, resolution, score, satisfied]
const TICKETS = [
  ['T1', at('02', '09:00'), at('02', '13:00'), 'email', 'Ayşe Yılmaz', 'a1', 'solved', '1800', '14400', '5', 'true'],
  ['T2', at('02', '10:00'), at('02', '11:00'), 'chat', 'Ayşe Yılmaz', 'a1', 'solved', '300', '3600', '4', 'true'],
  ['T3', at('03', '08:00'), at('04', '08:00'), 'email', 'Bram de Vries', 'a2', 'solved', '7200', '86400', '2', 'false'],
  ['T4', at('03', '12:00'), at('03', '14:00'), 'phone', 'Bram de Vries', 'a2', 'solved', '1800', '7200', '4', 'true'],
  ['T5', at('04', '09:00'), '', 'email', CAROL, 'a3', 'open', '21600', '', '', ''],
  ['T6', at('04', '16:00'), at('05', '16:00'), 'chat', 'Ayşe Yılmaz', 'a1', 'solved', '180', '86400', '5', 'true'],
  ['T7', at('05', '09:00'), '', 'email', CAROL, 'a3', 'open', '', '', '', ''],
  ['T8', at('05', '11:00'), '', 'email', '', '', 'new', '', '', '', ''],
  ['T9', at('06', '09:00'), at('07', '12:00'), 'web', 'Bram de Vries', 'a2', 'solved', '90000', '97200', '3', 'false'],
  ['T10', at('06', '14:00'), '', 'chat', 'Ayşe Yılmaz', 'a1', 'pending', '300', '', '', ''],
];

/** The full CSV row of a TICKETS line (no priority, team or SLA; 24/7: business = calendar). */
const ticketRow = ([id, created, resolved, channel, agent, agentId, status, frt, res, score, sat]) => [
  id, created, resolved, channel, '', agent, agentId, '', status, frt, frt, res, res, '', '', '', score,
  score ? '5' : '', sat,
];

describe('exports', () => {
  let b;
  let page;

  before(async () => {
    b = await open();
    page = b.page;
    await b.context.addInitScript(() => {
      window.__printed = [];
      window.print = () => {
        window.__printed.push(document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.view);
      };
    });
    await page.goto(b.server.url);
    await waitLoads(page, 1);
    await dropFile(page, 'desk export.json', await readFile(SMALL_PATH, 'utf8'));
    await waitLoads(page, 2);
  });

  after(async () => {
    await b?.close();
  });

  test('one row per ticket, with the exact figures', async () => {
    const csv = await exported(page, '[data-export="csv-tickets"]');
    assert.equal(csv.name, 'desk-export-tickets.csv');
    const rows = parseCsv(csv.text);
    assert.deepEqual(rows[0], TICKET_HEAD);
    assert.deepEqual(rows.slice(1), TICKETS.map(ticketRow));
    // Text is quoted, numbers and booleans are bare.
    assert.ok(csv.text.includes('\r\n"T1","2026-03-02T09:00:00+00:00","2026-03-02T13:00:00+00:00","email",,"Ayşe Yılmaz","a1",,"solved",1800,1800,14400,14400,,,,5,5,true\r\n'));
    assert.ok(csv.text.includes('"<b>Carol</b> & <img src=x onerror=alert(1)>"'));
  });

  test('the per-ticket rows follow the filters and the period', async () => {
    let n = await renders(page);
    await page.selectOption('#channel', 'email');
    await page.waitForFunction((n) => Number(document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.renders) > n, n);
    let rows = parseCsv((await exported(page, '[data-export="csv-tickets"]')).text);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['T1', 'T3', 'T5', 'T7', 'T8']);
    n = await renders(page);
    await page.click('#reset');
    await page.waitForFunction((n) => Number(document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.renders) > n, n);
    await page.evaluate(() => document.querySelector('ticket-kpis').setOptions({ from: '2026-03-06', to: '2026-03-07' }));
    await page.waitForFunction(() => document.querySelector('ticket-kpis').report.period.from === '2026-03-06');
    rows = parseCsv((await exported(page, '[data-export="csv-tickets"]')).text);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), ['T9', 'T10']);
    // New data starts over with its whole period.
    const loads = await page.evaluate(() => Number(document.querySelector('ticket-kpis').dataset.loads));
    await dropFile(page, 'desk export.json', await readFile(SMALL_PATH, 'utf8'));
    await waitLoads(page, loads + 1);
    assert.equal(await page.evaluate(() => document.querySelector('ticket-kpis').report.period.from), '2026-03-02');
  });

  test('the agents, KPI, scorecard and breakdown tables', async () => {
    const agents = parseCsv((await exported(page, '[data-export="csv-agents"]')).text);
    assert.deepEqual(agents, [
      ['agent_id', 'agent', 'tickets', 'solved', 'frt_median_seconds', 'resolution_median_seconds', 'csat_percent', 'csat_satisfied', 'csat_ratings'],
      ['a1', 'Ayşe Yılmaz', '4', '3', '300', '14400', '100', '3', '3'],
      ['a2', 'Bram de Vries', '3', '3', '7200', '86400', '33.333333', '1', '3'],
      ['a3', CAROL, '2', '0', '21600', '', '', '0', '0'],
      ['', '(unassigned)', '1', '0', '', '', '', '0', '0'],
    ]);

    const kpis = parseCsv((await exported(page, '[data-export="csv-kpis"]')).text);
    const head = kpis[0];
    const kpi = (key) => Object.fromEntries(head.map((h, i) => [h, kpis.find((r) => r[0] === key)[i]]));
    const frt = kpi('frt');
    assert.deepEqual(
      [frt.kpi, frt.unit, frt.value, frt.median, frt.p90, frt.mean, frt.note],
      ['First response time', 'seconds', '1800', '1800', '42120', '15397.5', '2 awaiting first reply'],
    );
    const rate = kpi('resolution_rate');
    assert.deepEqual([rate.value, rate.numerator, rate.denominator], ['60', '6', '10']);
    const csat = kpi('csat');
    assert.deepEqual([csat.value, csat.numerator, csat.denominator], ['66.666667', '4', '6']);
    assert.equal(kpis.length - 1, (await page.evaluate(() => document.querySelector('ticket-kpis').report.kpis.length)));

    const sc = parseCsv((await exported(page, '[data-export="csv-scorecard"]')).text);
    assert.deepEqual(sc[0], ['agent_id', 'agent', 'team', 'created', 'solved', 'frt_seconds', 'resolution_time_seconds', 'csat_percent', 'fcr_percent', 'sla_first_reply_percent']);
    assert.deepEqual(sc[1].slice(0, 8), ['a1', 'Ayşe Yılmaz', '', '4', '3', '300', '14400', '100']);
    assert.equal(sc[sc.length - 1][1], 'Team median');

    // No breakdown until a dimension is chosen; then its own CSV.
    assert.equal(await page.locator('[data-export="csv-breakdown"]').isVisible(), false);
    await page.evaluate(() => document.querySelector('ticket-kpis').setOptions({ group_by: 'channel' }));
    await page.waitForFunction(() => document.querySelector('ticket-kpis').report.breakdown?.dimension === 'channel');
    await page.locator('[data-export="csv-breakdown"]').waitFor({ state: 'visible' });
    const bd = await exported(page, '[data-export="csv-breakdown"]');
    assert.equal(bd.name, 'desk-export-by-channel.csv');
    const rows = parseCsv(bd.text);
    const created = rows[0].indexOf('created');
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[created]]), [['email', '5'], ['chat', '3'], ['phone', '1'], ['web', '1']]);
    await page.evaluate(() => document.querySelector('ticket-kpis').setOptions({ group_by: '' }));
    await page.waitForFunction(() => !document.querySelector('ticket-kpis').report.breakdown);
  });

  test('each chart as PNG (960 × 480 CSS px at 2×) and as SVG', async () => {
    // After the several CSV downloads of the tests before, Chromium stopped starting further
    // downloads from that tab (seen in CI as a missing download event), so the eight charts are
    // exported from a fresh tab.
    page = await b.context.newPage();
    await page.goto(b.server.url);
    await waitLoads(page, 1);
    await dropFile(page, 'desk export.json', await readFile(SMALL_PATH, 'utf8'));
    await waitLoads(page, 2);
    const kinds = await page.$$eval('[data-export="png"]', (bs) => bs.map((b) => b.dataset.kind));
    assert.deepEqual(kinds, ['volume', 'channels', 'frt', 'backlog']);
    for (const kind of kinds) {
      const png = await exported(page, `[data-export="png"][data-kind="${kind}"]`);
      assert.equal(png.name, `desk-export-${kind}.png`);
      assert.equal(png.bytes.toString('latin1', 1, 4), 'PNG');
      assert.deepEqual([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)], [1920, 960], kind);
      assert.ok(png.bytes.length > 5000, `${kind} has a picture in it`);
      const svg = await exported(page, `[data-svg="${kind}"]`);
      assert.match(svg.text, /^<svg[^>]* width="960" height="480"/);
    }
  });

  test('the HTML snapshot: tables as text, charts inline, nothing that runs or loads', async () => {
    const snap = await exported(page, '[data-export="snapshot"]');
    assert.equal(snap.name, 'desk-export-snapshot.html');
    const html = snap.text;
    assert.match(html, /^<!doctype html>/);
    assert.doesNotMatch(html, /<(script|link|img|iframe|object|embed)\b/i);
    assert.doesNotMatch(html, /<[a-z][^<>]*\s(src|href)\s*=/i, 'no tag loads anything');
    const viewer = await b.context.newPage();
    const requested = [];
    viewer.on('request', (r) => requested.push(r.url()));
    await viewer.setContent(html);
    const tables = await viewer.$$eval('table', (ts) =>
      ts.map((t) => ({ caption: t.caption?.textContent, rows: [...t.rows].map((r) => [...r.cells].map((c) => c.textContent)) })),
    );
    const byCaption = (c) => tables.find((t) => t.caption === c);
    const keyFigures = byCaption('Key figures');
    assert.deepEqual(keyFigures.rows.slice(1).map((r) => r.slice(0, 2)), [
      ['Tickets created', '10'],
      ['First response time', '30 min'],
      ['Full resolution time', '14 h'],
      ['Resolution rate', '60%'],
      ['Open at period end', '4'],
      ['CSAT', '66.7%'],
    ]);
    assert.deepEqual(byCaption('Agents').rows.slice(1), [
      ['Ayşe Yılmaz', '4', '3', '5 min', '4 h', '100% (3/3)'],
      ['Bram de Vries', '3', '3', '2 h', '24 h', '33.3% (1/3)'],
      [CAROL, '2', '0', '6 h', '—', '—'],
      ['(unassigned)', '1', '0', '—', '—', '—'],
    ]);
    assert.deepEqual(byCaption('Tickets created by channel').rows.slice(1).map((r) => r.slice(0, 2)), [
      ['email', '5'],
      ['chat', '3'],
      ['phone', '1'],
      ['web', '1'],
    ]);
    assert.ok(byCaption('Every KPI').rows.length > 10);
    assert.ok(byCaption('Agent scorecard against the team median'));
    const figures = await viewer.$$eval('figure', (fs) => fs.map((f) => [f.querySelector('figcaption').textContent, f.querySelectorAll('svg rect, svg polyline, svg path, svg line').length]));
    assert.deepEqual(
      figures.map((f) => f[0]),
      ['Tickets created and solved', 'Tickets by channel', 'First response time distribution', 'Open tickets (backlog)', 'Busiest hours (tickets created)', 'Satisfaction ratings'],
    );
    for (const [title, marks] of figures) assert.ok(marks > 3, `${title} is drawn`);
    assert.match(await viewer.textContent('body'), /Snapshot of desk export\.json, made /);
    assert.deepEqual(requested.filter((u) => !u.startsWith('data:') && u !== 'about:blank'), []);
    await viewer.close();
  });

  test('print: the team report, without the widget\'s controls', async () => {
    await page.click('[data-export="print"]');
    await page.waitForFunction(() => window.__printed.length === 1);
    assert.deepEqual(await page.evaluate(() => window.__printed), ['team'], 'the team report was shown while printing');
    await page.waitForFunction(() => document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.view === 'dashboard');

    // The print layout of the team view.
    await page.click('button.tkv-view-button[data-view="team"]');
    await page.emulateMedia({ media: 'print' });
    const shown = await page.evaluate(() => {
      const root = document.querySelector('ticket-kpis').shadowRoot;
      const visible = (sel) => {
        const n = root.querySelector(sel);
        return Boolean(n && n.getClientRects().length && getComputedStyle(n).display !== 'none' && getComputedStyle(n).visibility !== 'hidden');
      };
      return {
        sources: visible('.tk-sources'),
        controls: visible('.tk-controls'),
        exports: visible('.tk-export'),
        import: visible('.tk-import'),
        buttons: [...root.querySelectorAll('button')].filter((b) => b.getClientRects().length > 0).length,
        team: visible('.tkv-panel[data-view="team"]'),
        tables: root.querySelectorAll('.tkv-panel[data-view="team"] table').length,
      };
    });
    assert.deepEqual(shown, { sources: false, controls: false, exports: false, import: false, buttons: 0, team: true, tables: shown.tables });
    assert.ok(shown.tables >= 2, 'the team report\'s tables print');
    await page.emulateMedia({ media: 'screen' });
    await page.click('button.tkv-view-button[data-view="dashboard"]');
  });

  test('the export buttons come back, translated, when the widget is rebuilt in another language', async () => {
    await page.evaluate(() => document.querySelector('ticket-kpis').setAttribute('lang', 'tr'));
    await page.waitForFunction(() => document.querySelector('ticket-kpis').shadowRoot.querySelector('.tk-export')?.getAttribute('aria-label') === 'Dışa aktar');
    assert.equal(await page.locator('[data-export="png"]').count(), 4);
    const csv = parseCsv((await exported(page, '[data-export="csv-agents"]')).text);
    assert.equal(csv[0][0], 'agent_id', 'CSV headers are the same in every language');
    assert.equal(csv[4][1], '(atanmamış)');
    await page.evaluate(() => document.querySelector('ticket-kpis').setAttribute('lang', 'en'));
    await page.waitForFunction(() => document.querySelector('ticket-kpis').shadowRoot.querySelector('.tk-export')?.getAttribute('aria-label') === 'Export');
    assert.deepEqual(b.problems.filter((p) => p.startsWith('pageerror') || p.startsWith('dialog')), []);
  });
});
