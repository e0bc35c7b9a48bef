// Embedding the widget in other people's pages (docs/embedding.md):
// - a host page with aggressive global CSS and a strict Content-Security-Policy header
//   (script-src 'self' 'wasm-unsafe-eval', no inline script or style) embeds two widgets that
//   load different data, in different languages: both render, neither is restyled by the host,
//   the widget's CSS does not leak out, and they work independently;
// - the JS API and events; an engine crash shows an error and the widget recovers;
// - the distributable build (dist/, scripts/dist.mjs) under the same CSP;
// - the single-file build from a file:// URL, and under CSPs with and without `worker-src blob:`
//   (without it the engine runs on the main thread).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { CHROMIUM, CHROMIUM_ARGS, FIXTURES, ROOT, WWW } from './harness.mjs';

const VERSION = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(
  await readFile(path.join(ROOT, 'Cargo.toml'), 'utf8'),
)[1];
const DIST = path.join(ROOT, 'dist');
const SINGLE = `ticket-kpis-${VERSION}.single.js`;

const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'self'; " +
  "connect-src 'self'; img-src 'self' blob:; font-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'";

// A host stylesheet that tries its worst on everything it can reach.
const HOST_CSS = `
* { all: revert; font-size: 40px !important; color: red !important; line-height: 3 !important;
    letter-spacing: 4px !important; font-family: serif !important; }
canvas, svg, progress { display: none !important; }
div, section, table, figure { display: inline !important; padding: 30px !important; }
span { display: none !important; }
button, input, select { visibility: hidden !important; }
ticket-kpis { display: block; margin: 20px; }
`;

const page = (title, head, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="host.css">
${head}
</head><body>
<h1>${title}</h1>
<p class="host-text">Some wiki text around the widgets.</p>
<div class="tk tk-tile" id="leak-check">host element that happens to use the widget's class names</div>
${body}
</body></html>
`;

/** A browser context whose pages record CSP violations and the widgets' events. */
async function browser() {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'tk-e2e-embed-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, '--allow-file-access-from-files'],
    locale: 'en-US',
    timezoneId: 'Europe/Istanbul',
    viewport: { width: 1280, height: 900 },
  });
  // Injected by the browser itself (not subject to the page's CSP): a record of violations and
  // of the widgets' events, which bubble out of the shadow roots (composed).
  await context.addInitScript(() => {
    window.__violations = [];
    window.__events = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    for (const type of ['tk-load', 'tk-report', 'tk-error', 'tk-progress']) {
      document.addEventListener(type, (e) => window.__events.push({ type, id: e.target.id, detail: e.detail?.message || '' }));
    }
  });
  const problems = [];
  const watch = (p) => {
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
  };
  const first = context.pages()[0] || (await context.newPage());
  watch(first);
  return {
    context,
    page: first,
    problems,
    async newPage() {
      const p = await context.newPage();
      watch(p);
      return p;
    },
    close: async () => {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until widget `#id` is ready; fails with its error message when it shows one. */
async function waitReady(p, id, timeout = 60_000) {
  await p.waitForFunction(
    (id) => ['ready', 'error'].includes(document.getElementById(id)?.dataset.state),
    id,
    { timeout },
  );
  const state = await p.evaluate((id) => {
    const w = document.getElementById(id);
    const $ = (x) => w.shadowRoot.getElementById(x);
    return { state: w.dataset.state, error: $('error').hidden ? null : $('error-message').textContent };
  }, id);
  assert.equal(state.error, null, `widget #${id} shows an error`);
  assert.equal(state.state, 'ready');
}

/** Tile values, canvases and computed styles of widget `#id`. */
function inspect(p, id) {
  return p.evaluate((id) => {
    const w = document.getElementById(id);
    const root = w.shadowRoot;
    const tiles = Object.fromEntries(
      [...root.querySelectorAll('.tk-tiles .tk-tile')].map((t) => [t.dataset.key, t.querySelector('.tk-tile-value').textContent]),
    );
    const canvases = [...root.querySelectorAll('.tk-charts canvas')].map((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked++;
      }
      const cs = getComputedStyle(c);
      return { id: c.id, width: c.width, height: c.height, inked, display: cs.display, drawn: Number(c.dataset.drawn || 0) };
    });
    const value = root.querySelector('.tk-tile-value');
    const vs = getComputedStyle(value);
    const app = root.getElementById('app');
    return {
      tiles,
      canvases,
      mode: w.engineMode,
      dir: app.getAttribute('dir'),
      valueColor: vs.color,
      valueFontSize: vs.fontSize,
      appPadding: getComputedStyle(app).padding,
      buttonVisibility: getComputedStyle(root.getElementById('reset')).visibility,
    };
  }, id);
}

function assertCharts(info, kinds) {
  assert.deepEqual(
    info.canvases.map((c) => c.id),
    kinds.map((k) => `chart-${k.replace(/[^a-z0-9_-]/gi, '-')}`),
  );
  for (const c of info.canvases) {
    assert.notEqual(c.display, 'none', `${c.id} is displayed`);
    assert.ok(c.drawn > 0 && c.width > 0 && c.height > 0, `${c.id} drawn`);
    assert.ok(c.inked > 0, `${c.id} has pixels`);
  }
}

let site;
let server;
let b;

before(async () => {
  await stat(path.join(DIST, SINGLE)).catch(() => {
    throw new Error('dist/ is not built: run scripts/dist.sh (scripts/build.sh does it)');
  });
  site = await mkdtemp(path.join(os.tmpdir(), 'tk-e2e-site-'));
  await cp(WWW, path.join(site, 'www'), { recursive: true, dereference: true });
  await cp(DIST, path.join(site, 'dist'), { recursive: true, dereference: true });
  await mkdir(path.join(site, 'data'));
  await cp(path.join(FIXTURES, 'e2e-small.json'), path.join(site, 'data', 'e2e-small.json'));
  await writeFile(path.join(site, 'host.css'), HOST_CSS);
  await writeFile(
    path.join(site, 'two.html'),
    page(
      'Two widgets',
      '<script type="module" src="www/ticket-kpis.js"></script>',
      `<ticket-kpis id="a" sample lang="fa"></ticket-kpis>
<ticket-kpis id="b" src="data/e2e-small.json" lang="en" kpis="created,frt,csat,resolution_rate"
             charts="volume,heatmap,kpi:frt" targets="frt=1h,csat=90%" bucket="day"></ticket-kpis>`,
    ),
  );
  await writeFile(
    path.join(site, 'dist.html'),
    page(
      'Distributable build',
      `<script type="module" src="dist/ticket-kpis-${VERSION}.js"></script>`,
      '<ticket-kpis id="d" src="data/e2e-small.json" lang="en"></ticket-kpis>',
    ),
  );
  await writeFile(
    path.join(site, 'single.html'),
    page('Single file', `<script src="dist/${SINGLE}"></script>`, '<ticket-kpis id="s" sample lang="en"></ticket-kpis>'),
  );
  server = await startServer(site, 0, { headers: { 'Content-Security-Policy': STRICT_CSP } });
  b = await browser();
});

after(async () => {
  await b?.close();
  await server?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

describe('embedded in a hostile host page', () => {
  test('two widgets under a strict CSP and aggressive CSS load different data and both render', async () => {
    const p = b.page;
    await p.goto(`${server.url}two.html`);
    await waitReady(p, 'a');
    await waitReady(p, 'b');

    const a = await inspect(p, 'a');
    const bb = await inspect(p, 'b');
    // Widget a: the sample, in Persian (right to left, Persian digits).
    const fa1500 = await p.evaluate(() => new Intl.NumberFormat('fa-IR').format(1500));
    assert.equal(a.tiles.created, fa1500);
    assert.equal(a.dir, 'rtl');
    assertCharts(a, ['volume', 'channels', 'frt', 'backlog']);
    // Widget b: the small fixture, its own tiles and charts.
    assert.deepEqual(bb.tiles, { created: '10', frt: '30 min', csat: '66.7%', resolution_rate: '60%' });
    assert.equal(bb.dir, 'ltr');
    assertCharts(bb, ['volume', 'heatmap', 'kpi:frt']);
    // The bucket attribute applies from the first report on (a's is automatic: weeks).
    assert.equal(await p.evaluate(() => document.getElementById('b').report.period.bucket), 'day');
    assert.equal(await p.evaluate(() => document.getElementById('a').report.period.bucket), 'week');
    assert.equal(a.mode, 'worker');
    assert.equal(bb.mode, 'worker');

    // The host's CSS does not reach inside; the widget's does not leak out.
    for (const w of [a, bb]) {
      assert.notEqual(w.valueColor, 'rgb(255, 0, 0)');
      assert.notEqual(w.valueFontSize, '40px');
      assert.equal(w.appPadding, '20px 24px 32px');
      assert.equal(w.buttonVisibility, 'visible');
    }
    const host = await p.evaluate(() => ({
      text: getComputedStyle(document.querySelector('.host-text')).color,
      leak: getComputedStyle(document.getElementById('leak-check')).backgroundColor,
    }));
    assert.equal(host.text, 'rgb(255, 0, 0)', 'the host keeps its own styles');
    assert.equal(host.leak, 'rgba(0, 0, 0, 0)', "the widget's .tk styles do not apply outside it");

    // Independent: a filter on b leaves a alone.
    await p.evaluate(() => document.getElementById('b').setFilters({ channel: ['chat'] }));
    await p.waitForFunction(() => document.getElementById('b').report.tiles.find((t) => t.key === 'created').value === 3);
    assert.equal((await inspect(p, 'b')).tiles.created, '3');
    assert.equal((await inspect(p, 'a')).tiles.created, fa1500);
    await p.evaluate(() => document.getElementById('b').setFilters({}));
    await p.waitForFunction(() => document.getElementById('b').report.tiles.find((t) => t.key === 'created').value === 10);

    const seen = await p.evaluate(() => ({ violations: window.__violations, events: window.__events }));
    assert.deepEqual(seen.violations, [], 'no CSP violation');
    for (const id of ['a', 'b']) {
      for (const type of ['tk-load', 'tk-report']) {
        assert.ok(seen.events.some((e) => e.id === id && e.type === type), `${type} from #${id}`);
      }
    }
    // Chromium asks the host for /favicon.ico, which this site does not have.
    assert.deepEqual(b.problems.filter((m) => !/404/.test(m)), []);
  });

  test('the JS API: loadObject, loadBytes, setOptions, report, events', async () => {
    const p = b.page;
    const r = await p.evaluate(async () => {
      const w = document.getElementById('b');
      const got = [];
      w.addEventListener('tk-load', (e) => got.push(['load', e.detail.import.tickets]));
      const ticket = (id, day, extra = {}) => ({ id, created_at: `2026-04-0${day}T09:00:00Z`, status: 'open', channel: 'email', ...extra });
      const imp = await w.loadObject([ticket('X1', 1), ticket('X2', 2), ticket('X3', 3, { channel: 'chat' })], 'api.json');
      const created1 = w.report.tiles.find((t) => t.key === 'created').value;
      const bytes = new TextEncoder().encode(JSON.stringify([ticket('Y1', 1)]));
      await w.loadBytes(bytes, 'bytes.json');
      const created2 = w.report.tiles.find((t) => t.key === 'created').value;
      await w.setOptions({ bucket: 'week' });
      const bucket = w.report.period.bucket;
      // The caller's bytes are copied, not taken over (transferred) by the engine.
      return { tickets: imp.tickets, created1, created2, bucket, got, idleCancel: w.cancel(), kept: bytes.byteLength > 0 };
    });
    assert.deepEqual(r, {
      tickets: 3,
      created1: 3,
      created2: 1,
      bucket: 'week',
      got: [
        ['load', 3],
        ['load', 1],
      ],
      idleCancel: false,
      kept: true,
    });
  });

  test('an engine crash shows an error and the widget recovers with a fresh engine', async () => {
    const p = b.page;
    await p.evaluate(() => document.getElementById('b').loadUrl('data/e2e-small.json'));
    for (const how of ['throw', 'trap']) {
      const errorsBefore = await p.evaluate(() => Number(document.getElementById('b').dataset.errors || 0));
      await p.evaluate((how) => document.getElementById('b')._simulateEngineCrash(how), how);
      await p.waitForFunction((n) => Number(document.getElementById('b').dataset.errors || 0) > n, errorsBefore);
      const message = await p.evaluate(() => document.getElementById('b').shadowRoot.getElementById('error-message').textContent);
      assert.match(message, /fresh engine/, `${how}: ${message}`);
      // The data is loaded into the fresh engine on the next request.
      await p.evaluate(() => document.getElementById('b').setFilters({ channel: ['email'] }));
      await p.waitForFunction(() => document.getElementById('b').report.tiles.find((t) => t.key === 'created').value === 5);
      await p.evaluate(() => document.getElementById('b').setFilters({}));
      await p.waitForFunction(() => document.getElementById('b').report.tiles.find((t) => t.key === 'created').value === 10);
      assert.equal((await inspect(p, 'b')).tiles.created, '10');
    }
    // Widget a never noticed.
    const fa1500 = await p.evaluate(() => new Intl.NumberFormat('fa-IR').format(1500));
    assert.equal((await inspect(p, 'a')).tiles.created, fa1500);
    b.problems.splice(0); // the crashes log their errors on purpose
  });
});

describe('distributable builds', () => {
  test(`dist/ticket-kpis-${VERSION}.js renders under the strict CSP`, async () => {
    const p = await b.newPage();
    const requests = [];
    p.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await p.goto(`${server.url}dist.html`);
    await waitReady(p, 'd');
    const d = await inspect(p, 'd');
    assert.equal(d.tiles.created, '10');
    assert.equal(d.mode, 'worker');
    assertCharts(d, ['volume', 'channels', 'frt', 'backlog']);
    assert.ok(requests.includes(`/dist/ticket-kpis-${VERSION}_bg.wasm`), requests.join('\n'));
    assert.ok(!requests.some((r) => r.startsWith('/www/')), 'nothing from www/');
    assert.deepEqual(await p.evaluate(() => window.__violations), []);
    await p.close();
  });

  test('the single-file build works from a file:// URL', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tk-e2e-file-'));
    try {
      await cp(path.join(DIST, SINGLE), path.join(dir, SINGLE));
      await writeFile(path.join(dir, 'host.css'), HOST_CSS);
      await writeFile(
        path.join(dir, 'report.html'),
        page('Opened from disk', `<script src="${SINGLE}"></script>`, '<ticket-kpis id="s" sample lang="en"></ticket-kpis>'),
      );
      const p = await b.newPage();
      const requests = [];
      p.on('request', (r) => requests.push(r.url()));
      await p.goto(pathToFileURL(path.join(dir, 'report.html')).href);
      await waitReady(p, 's');
      const s = await inspect(p, 's');
      assert.equal(s.tiles.created, '1,500');
      assertCharts(s, ['volume', 'channels', 'frt', 'backlog']);
      console.log(`single file from file://: engine in ${s.mode === 'worker' ? 'a Web Worker' : 'the main thread'}`);
      assert.ok(
        requests.every((u) => u.startsWith('file:') || u.startsWith('blob:') || u.startsWith('data:')),
        `only local files: ${requests.join('\n')}`,
      );
      await p.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const [workerSrc, mode] of [
    ["'self' blob:", 'worker'],
    ["'self'", 'main'],
  ]) {
    test(`the single-file build under worker-src ${workerSrc}: engine on the ${mode === 'worker' ? 'worker' : 'main thread'}`, async () => {
      const csp = STRICT_CSP.replace("worker-src 'self'", `worker-src ${workerSrc}`);
      const s2 = await startServer(site, 0, { headers: { 'Content-Security-Policy': csp } });
      const p = await b.newPage();
      try {
        await p.goto(`${s2.url}single.html`);
        await waitReady(p, 's');
        const s = await inspect(p, 's');
        assert.equal(s.mode, mode);
        assert.equal(s.tiles.created, '1,500');
        assertCharts(s, ['volume', 'channels', 'frt', 'backlog']);
        const violations = await p.evaluate(() => window.__violations);
        if (mode === 'worker') assert.deepEqual(violations, []);
        else assert.ok(violations.every((v) => v.startsWith('worker-src')), violations.join('\n'));
      } finally {
        await p.close();
        await s2.close();
      }
    });
  }
});
