// The widget's privacy and security promises in a real browser (docs/security.md):
//
// 1. No egress: every request, WebSocket and beacon of the page (and of its worker) is recorded
//    while it loads the sample, a dropped file and a ?src= URL on another origin, switches
//    filters and views and exports everything; only the widget's own files and the named data
//    URL may appear. Nothing is left in localStorage, sessionStorage, IndexedDB, Cache Storage,
//    cookies or the address.
// 2. No injection: tests/fixtures/payloads.json carries HTML/JS payloads in agent names, teams,
//    tags, channels, priorities, tiers, subjects, satisfaction comments, the dataset name and a
//    bad record; it is dropped under a file name that is itself a payload. No dialog opens,
//    window.__pwned stays unset, no element or handler is made from data anywhere in the DOM
//    (shadow roots included), the payload text is shown as text, the CSV exports neutralise
//    formulas and the HTML snapshot escapes everything and holds no script.
// 3. Panics: a real engine panic (a wasm trap) shows an error in the widget, which recovers: the
//    filters still work and the next file loads.
// 4. Limits: a file larger than the engine's limit (check_file_size) is refused with its
//    message before a byte of it is read; so is a URL whose Content-Length is too large.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, WWW, open } from './harness.mjs';

const PAYLOADS_PATH = path.join(FIXTURES, 'payloads.json');
const SMALL_PATH = path.join(FIXTURES, 'e2e-small.json');
const PAYLOAD_FILE_NAME = '"><img src=x onerror=window.__pwned=1>.json';
const AGENT_IMG = '<img src=x onerror="window.__pwned=1">';
const AGENT_CMD = "=cmd|' /C calc'!A0";
const AGENT_SVG = '<svg onload=window.__pwned=4>';
const TEAM_SCRIPT = '</script><script>window.__pwned=2</script>';
const CHANNEL_ATTR = '"><img src=x onerror=window.__pwned=5>';

// ---- page helpers ------------------------------------------------------------------------------

/** Recorders installed before any page script: beacons, print, and what the page tried. */
const INIT_SCRIPT = () => {
  window.__beacons = [];
  if (navigator.sendBeacon) {
    const send = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => {
      window.__beacons.push(String(url));
      return send(url, data);
    };
  }
  window.__prints = 0;
  window.print = () => {
    window.__prints += 1;
  };
};

const widget = (page) => page.locator('ticket-kpis');

/** The widget's own counters (the element mirrors them in data-loads / data-errors / data-state). */
const state = (page) =>
  page.evaluate(() => {
    const el = document.querySelector('ticket-kpis');
    return { loads: Number(el.dataset.loads || 0), errors: Number(el.dataset.errors || 0), state: el.dataset.state };
  });

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

async function waitErrors(page, n, timeout = 30_000) {
  await page.waitForFunction((n) => Number(document.querySelector('ticket-kpis')?.dataset.errors || 0) >= n, n, { timeout });
}

/** Waits until the widget has rendered `n` reports in all (filters and views re-render). */
async function waitRenders(page, n, timeout = 30_000) {
  await page.waitForFunction(
    (n) => Number(document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.renders || 0) >= n,
    n,
    { timeout },
  );
}
const renders = (page) =>
  page.evaluate(() => Number(document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.renders || 0));

/** Drops a file on the widget with real drag events carrying a File. */
async function dropFile(page, name, content, type = 'application/json') {
  const dataTransfer = await page.evaluateHandle(
    ({ name, content, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type }));
      return dt;
    },
    { name, content, type },
  );
  await page.dispatchEvent('#app', 'dragenter', { dataTransfer });
  await page.dispatchEvent('#app', 'dragover', { dataTransfer });
  await page.dispatchEvent('#app', 'drop', { dataTransfer });
  await dataTransfer.dispose();
}

/** Clicks an export button and returns the saved file's name and text. */
async function exported(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click(selector)]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8'), bytes: await readFile(file) };
}

/**
 * Everything in the document and in every shadow root that could run or load something: elements
 * that execute or fetch, event-handler attributes, javascript: URLs. Runs in the page.
 */
const DEEP_SCAN = () => {
  const found = [];
  const pageScripts = new Set(['demo.js', 'ticket-kpis.js']);
  const visit = (root, where) => {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.localName;
      if (tag === 'script') {
        const src = el.getAttribute('src') || '';
        if (!(root === document && pageScripts.has(src.replace(/^\.\//, '')))) found.push(`${where}: <script ${src}>`);
      }
      if (['img', 'iframe', 'object', 'embed', 'frame', 'base', 'meta', 'image', 'foreignObject', 'use'].includes(tag)) {
        if (!(root === document && tag === 'meta')) found.push(`${where}: <${tag}>`);
      }
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith('on')) found.push(`${where}: <${tag} ${n}>`);
        if (/^\s*javascript:/i.test(a.value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(n)) {
          found.push(`${where}: <${tag} ${n}="${a.value}">`);
        }
      }
      if (el.shadowRoot) visit(el.shadowRoot, `${where} > ${tag}#shadow`);
    }
  };
  visit(document, 'document');
  return found;
};

/** All text of the widget, shadow roots included (what a reader could see or a screen reader read). */
const DEEP_TEXT = () => {
  const parts = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.localName === 'style' || el.localName === 'script') continue;
      for (const n of el.childNodes) if (n.nodeType === 3) parts.push(n.nodeValue);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return parts.join('\n');
};

/** Parses a CSV document (RFC 4180) into rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
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
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A tiny server on another origin (port 0) for "the URL the user names". */
async function dataServer(routes) {
  const sockets = new Set();
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url, 'http://x').pathname];
    if (!route) {
      res.writeHead(404, { 'Access-Control-Allow-Origin': '*' });
      res.end();
      return;
    }
    route(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(resolve);
      }),
  };
}

// ---- 1. no egress, nothing stored ------------------------------------------------------------------

describe('no egress: only the widget\'s own files and the named data URL', () => {
  let b;
  let data;
  const seen = [];
  const sockets = [];
  const cdp = [];

  before(async () => {
    const small = await readFile(SMALL_PATH);
    data = await dataServer({
      '/exports/desk.json': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
        res.end(small);
      },
    });
    b = await open();
    await b.context.addInitScript(INIT_SCRIPT);
    // Every request of the context: pages, their workers, downloads, preloads.
    b.context.on('request', (r) => seen.push({ url: r.url(), type: r.resourceType(), from: 'context' }));
    b.page.on('websocket', (ws) => sockets.push(ws.url()));
    b.page.on('worker', (w) => seen.push({ url: w.url(), type: 'worker', from: 'worker' }));
    // And what the browser itself saw on the page's connection (Chrome DevTools Protocol).
    const session = await b.context.newCDPSession(b.page);
    await session.send('Network.enable');
    session.on('Network.requestWillBeSent', (e) => cdp.push(e.request.url));
    session.on('Network.webSocketCreated', (e) => sockets.push(e.url));
  });

  after(async () => {
    await b?.close();
    await data?.close();
  });

  test('loading the sample, a dropped file and a ?src= URL, filtering, switching views and exporting', async () => {
    const { page } = b;
    const namedUrl = `${data.origin}/exports/desk.json`;
    const start = `${b.server.url}?src=${encodeURIComponent(namedUrl)}`;

    // The ?src= URL (another origin, as named by the user).
    await page.goto(start);
    await waitLoads(page, 1);
    assert.match(await page.locator('#import-source').textContent(), /desk\.json/);

    // The built-in sample, then a dropped file.
    await page.click('#sample-button');
    await waitLoads(page, 2);
    await dropFile(page, 'dropped.json', await readFile(SMALL_PATH, 'utf8'));
    await waitLoads(page, 3);

    // Filters and views.
    let n = await renders(page);
    await page.selectOption('#channel', 'email');
    await waitRenders(page, ++n);
    await page.selectOption('#agent', { index: 1 });
    await waitRenders(page, ++n);
    for (const view of ['kpis', 'team', 'agent', 'management', 'dashboard']) {
      await page.click(`button.tkv-view-button[data-view="${view}"]`);
      await page.waitForFunction((v) => document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.view === v, view);
    }
    await page.click('#reset');
    await waitRenders(page, ++n);

    // Every export.
    for (const sel of [
      '[data-export="csv-kpis"]',
      '[data-export="csv-agents"]',
      '[data-export="csv-scorecard"]',
      '[data-export="csv-tickets"]',
      '[data-export="snapshot"]',
      '[data-export="png"][data-kind="volume"]',
      '[data-svg="channels"]',
    ]) {
      await exported(page, sel);
    }
    await page.click('[data-export="copy-snapshot"]');
    await page.click('[data-export="print"]');
    await page.waitForFunction(() => window.__prints > 0);
    await page.waitForTimeout(300); // let anything late (a beacon on a timer) show up

    // Every URL is the widget's own file, a Blob of its own origin (downloads), a data: URL or the
    // named URL.
    const urls = [...new Set([...seen.map((s) => s.url), ...cdp])];
    const foreign = urls.filter((u) => {
      if (u === namedUrl) return false;
      let url;
      try {
        url = new URL(u);
      } catch {
        return true;
      }
      if (url.protocol === 'blob:') return new URL(url.pathname).origin !== b.origin;
      // The browser's own images (a date field's icon) as data: URLs: no network at all.
      if (url.protocol === 'data:') return false;
      if (url.origin !== b.origin) return true;
      if (url.pathname === '/') return url.search !== '' && url.href !== start;
      const file = path.join(WWW, decodeURIComponent(url.pathname));
      return !file.startsWith(WWW + path.sep) || !existsSync(file);
    });
    assert.deepEqual(foreign, [], `requests beyond the widget's files and the named URL:\n${foreign.join('\n')}`);
    assert.ok(urls.includes(namedUrl), 'the named URL was fetched');
    assert.ok(urls.some((u) => u.endsWith('/pkg/ticket_kpis_bg.wasm')), 'the recorder saw the engine load');
    assert.ok(urls.some((u) => u.endsWith('/engine-worker.js')), 'the recorder saw the worker');
    assert.deepEqual(sockets, [], 'no WebSocket');
    assert.deepEqual(await page.evaluate(() => window.__beacons), [], 'no beacon');

    // Nothing stored, nothing in the address.
    const stored = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      databases: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
      cookie: document.cookie,
      serviceWorkers: (await navigator.serviceWorker.getRegistrations()).length,
      href: location.href,
    }));
    assert.deepEqual(stored, {
      local: 0,
      session: 0,
      databases: [],
      caches: [],
      cookie: '',
      serviceWorkers: 0,
      href: start,
    });
    assert.deepEqual(await b.context.cookies(), []);
  });
});

// ---- 2. no injection -----------------------------------------------------------------------------

describe('no injection: ticket text is data everywhere', () => {
  let b;
  let page;
  const dialogs = [];

  before(async () => {
    b = await open();
    page = b.page;
    await b.context.addInitScript(INIT_SCRIPT);
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: b.origin });
    page.on('dialog', (d) => dialogs.push(d.message()));
    await page.goto(b.server.url);
    await waitLoads(page, 1);
    await dropFile(page, PAYLOAD_FILE_NAME, await readFile(PAYLOADS_PATH, 'utf8'));
    await waitLoads(page, 2);
  });

  after(async () => {
    await b?.close();
  });

  async function assertInert(where) {
    assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: a payload ran`);
    assert.deepEqual(await page.evaluate(DEEP_SCAN), [], `${where}: markup made from data`);
    assert.deepEqual(
      b.problems.filter((p) => p.startsWith('pageerror')),
      [],
      `${where}: page errors`,
    );
  }

  test('the dashboard shows the payloads as text', async () => {
    await assertInert('dashboard');
    // Agent names in the agents table, as typed.
    const names = await page.locator('#agents-table tbody th').allTextContents();
    for (const name of [AGENT_IMG, AGENT_CMD, AGENT_SVG]) assert.ok(names.includes(name), `${name} in ${names}`);
    assert.ok(await page.locator('#agents-table tbody th', { hasText: AGENT_IMG }).isVisible());
    // The filter menus, the file name and the dataset name.
    const options = await page.locator('#agent option').allTextContents();
    assert.ok(options.includes(AGENT_IMG));
    assert.ok((await page.locator('#channel option').allTextContents()).includes(CHANNEL_ATTR));
    assert.equal(await page.locator('#import-source').textContent(), PAYLOAD_FILE_NAME);
    assert.equal(await page.locator('#dataset-name').textContent(), '<img src=x onerror=window.__pwned=6> desk');
    // The bad record's warning quotes its payload as text.
    const warnings = await page.locator('#import-warnings').textContent();
    assert.ok(warnings.includes('onerror'), warnings);
    // The chart's text alternative names the channel as text.
    const text = await page.evaluate(DEEP_TEXT);
    assert.ok(text.includes(CHANNEL_ATTR), 'the channel payload is visible as text');
  });

  test('every view, breakdowns by tag, team and tier, the agent view of each agent', async () => {
    for (const dim of ['tag', 'team', 'tier', 'priority', 'channel']) {
      const n = await renders(page);
      await page.evaluate((g) => document.querySelector('ticket-kpis').setOptions({ group_by: g }), dim);
      await waitRenders(page, n + 1);
      for (const view of ['kpis', 'team', 'management']) {
        await page.click(`button.tkv-view-button[data-view="${view}"]`);
        await page.waitForFunction((v) => document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.view === v, view);
        await assertInert(`${view} view by ${dim}`);
      }
    }
    // The team report names the teams and tags as text.
    await page.click('button.tkv-view-button[data-view="team"]');
    const text = await page.evaluate(DEEP_TEXT);
    assert.ok(text.includes(TEAM_SCRIPT), 'a team payload is shown as text');
    await page.click('button.tkv-view-button[data-view="agent"]');
    await assertInert('agent view');
    await page.click('button.tkv-view-button[data-view="dashboard"]');
    await assertInert('after every view');
  });

  test('CSV exports quote every text cell and neutralise formulas', async () => {
    await page.evaluate(() => document.querySelector('ticket-kpis').setOptions({ group_by: 'tag' }));
    await page.waitForFunction(() => document.querySelector('ticket-kpis').report?.breakdown?.dimension === 'tag');

    const agents = await exported(page, '[data-export="csv-agents"]');
    // The file name is made of the payload file's name, with nothing but letters, digits, - . _
    assert.match(agents.name, /^[\p{L}\p{N}._-]+-agents\.csv$/u);
    assert.ok(agents.text.includes(`"'${AGENT_CMD.replace(/"/g, '""')}"`), agents.text);
    const rows = parseCsv(agents.text);
    const names = rows.slice(1).map((r) => r[1]);
    assert.ok(names.includes(`'${AGENT_CMD}`), 'the formula is neutralised');
    assert.ok(names.includes(AGENT_IMG), 'other text is kept as written');
    for (const cell of rows.flat()) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `cell ${JSON.stringify(cell)} could run`);

    const tickets = parseCsv((await exported(page, '[data-export="csv-tickets"]')).text);
    const head = tickets[0];
    const col = (name) => head.indexOf(name);
    const channels = tickets.slice(1).map((r) => r[col('channel')]);
    // (Channel, tag and priority names are read in lower case.)
    assert.ok(channels.includes("'+sum(1+1)"), channels.join(' | '));
    assert.ok(channels.includes(CHANNEL_ATTR));
    assert.ok(tickets.slice(1).some((r) => r[col('id')] === `'${"=cmd|' /C calc'!A0"}`), 'a formula ticket id is neutralised');
    assert.ok(tickets.slice(1).some((r) => r[col('priority')] === "'-2+3"));
    for (const cell of tickets.flat()) assert.doesNotMatch(cell, /^[=+@\t\r]|^-(?!\d)/, `cell ${JSON.stringify(cell)} could run`);

    const breakdown = parseCsv((await exported(page, '[data-export="csv-breakdown"]')).text);
    const tags = breakdown.slice(1).map((r) => r[0]);
    assert.ok(tags.includes(`'=hyperlink("http://evil.example/","x")`), tags.join(' | '));
    assert.ok(tags.includes(AGENT_IMG));

    const scorecard = parseCsv((await exported(page, '[data-export="csv-scorecard"]')).text);
    assert.ok(scorecard.slice(1).some((r) => r[2] === "'@SUM(A1:A9)"), 'a formula team is neutralised');
    await assertInert('after the CSV exports');
  });

  test('the HTML snapshot escapes every ticket-derived string and holds no script', async () => {
    const snap = await exported(page, '[data-export="snapshot"]');
    assert.match(snap.name, /-snapshot\.html$/);
    const html = snap.text;
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /<svg onload/i);
    // Every '<' of the data is escaped, so each tag is the snapshot's own: none has a handler.
    assert.doesNotMatch(html, /<[a-z][^<>]*\son[a-z]+\s*=/i, 'no event handler attribute');
    assert.doesNotMatch(html, /(href|src)\s*=\s*"?\s*javascript:/i, 'no javascript: link');
    assert.ok(html.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;'), 'the agent name, escaped');
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;'), 'the team, escaped');
    assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=window.__pwned=5&gt;'), 'the channel, escaped');
    assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=window.__pwned=1&gt;.json'), 'the file name, escaped');
    assert.match(html, /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'charts inline as SVG');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);

    // Opened as a page of its own, nothing in it runs.
    const viewer = await b.context.newPage();
    const seen = [];
    viewer.on('request', (r) => seen.push(r.url()));
    viewer.on('dialog', (d) => dialogs.push(d.message()));
    await viewer.setContent(html);
    assert.equal(await viewer.evaluate(() => window.__pwned), undefined);
    assert.equal(await viewer.locator('img, script, iframe').count(), 0);
    assert.ok((await viewer.locator('table').count()) >= 3);
    assert.ok((await viewer.locator('figure svg').count()) >= 3);
    assert.ok((await viewer.textContent('body')).includes(AGENT_IMG), 'the agent name reads as text');
    assert.deepEqual(seen.filter((u) => !u.startsWith('data:') && u !== 'about:blank'), []);
    await viewer.close();

    // Copied for a wiki: the same escaped fragment, on the clipboard as HTML and as text.
    await page.click('[data-export="copy-snapshot"]');
    await page.waitForFunction(() =>
      document.querySelector('ticket-kpis').shadowRoot.querySelector('.tk-export-status')?.textContent,
    );
    assert.equal(
      await page.locator('.tk-export-status').textContent(),
      'Snapshot copied: paste it into a wiki page.',
    );
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^<section class="tk-snapshot"/);
    assert.doesNotMatch(copied, /<script|<img/i);
    assert.ok(copied.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;'));

    // The team report's own "Copy for a wiki page" (www/views/team-report.js): the same care.
    await page.click('button.tkv-view-button[data-view="team"]');
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.getByRole('button', { name: 'Copy for a wiki page' }).click();
    await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== '');
    const team = await page.evaluate(async () => {
      const items = await navigator.clipboard.read();
      const html = items[0].types.includes('text/html') ? await (await items[0].getType('text/html')).text() : '';
      return { html, text: await navigator.clipboard.readText() };
    });
    assert.doesNotMatch(team.html, /<script|<img|<svg/i, 'the team report copy holds no markup from data');
    assert.doesNotMatch(team.html, /<[a-z][^<>]*\son[a-z]+\s*=/i, 'no event handler attribute');
    assert.ok(team.html.includes('&lt;/script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;'), 'the team, escaped');
    await page.click('button.tkv-view-button[data-view="dashboard"]');
    await assertInert('after the snapshot');
  });

  test('chart exports: SVG escapes the text, PNG is an image', async () => {
    const svg = await exported(page, '[data-svg="channels"]');
    assert.match(svg.text, /^<svg/);
    assert.doesNotMatch(svg.text, /<img|<script|onerror=window/i);
    // The label is shortened to fit; what is there is escaped.
    assert.ok(svg.text.includes('&quot;&gt;&lt;img src=x oner'), 'the channel name, escaped in <text>');
    const png = await exported(page, '[data-export="png"][data-kind="channels"]');
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await assertInert('after the chart exports');
  });
});

// ---- 3 and 4. panics and limits --------------------------------------------------------------------

describe('panics and limits', () => {
  let b;
  let page;
  let small;
  let data;

  before(async () => {
    small = await readFile(SMALL_PATH, 'utf8');
    data = await dataServer({
      // Says it is 5 GB and sends nothing: the widget must refuse it from the header alone.
      '/huge.json': (req, res) => {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': '5000000000',
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Expose-Headers': 'Content-Length',
        });
        res.flushHeaders();
      },
    });
    b = await open();
    page = b.page;
    await b.context.addInitScript(INIT_SCRIPT);
    await page.goto(b.server.url);
    await waitLoads(page, 1);
  });

  after(async () => {
    await b?.close();
    await data?.close();
  });

  const errorText = async () => ({
    visible: await page.locator('#error').isVisible(),
    title: await page.locator('#error-title').textContent(),
    message: await page.locator('#error-message').textContent(),
  });

  test('an engine panic shows an error and the widget recovers', async () => {
    await dropFile(page, 'small.json', small);
    await waitLoads(page, 2);
    const tilesBefore = await page.locator('.tk-tile[data-key="created"] .tk-tile-value').textContent();
    assert.equal(tilesBefore, '10');
    const { errors } = await state(page);

    // A real Rust panic in the engine (a wasm `unreachable` trap), through the worker's test hook.
    await page.evaluate(() => document.querySelector('ticket-kpis')._simulateEngineCrash('trap'));
    await waitErrors(page, errors + 1);
    const shown = await errorText();
    assert.equal(shown.visible, true);
    assert.match(shown.title, /engine stopped/i);
    assert.match(shown.message, /unreachable/i, 'the trap is named');
    assert.match(shown.message, /fresh engine/i);
    // The dashboard still shows the data.
    assert.equal(await page.locator('.tk-tile[data-key="created"] .tk-tile-value').textContent(), '10');

    // The fresh engine gets the data again: a filter still computes.
    const n = await renders(page);
    await page.selectOption('#channel', 'email');
    await waitRenders(page, n + 1);
    assert.equal(await page.locator('.tk-tile[data-key="created"] .tk-tile-value').textContent(), '5');

    // And the next file loads.
    const before = (await state(page)).loads;
    await dropFile(page, 'payloads.json', await readFile(PAYLOADS_PATH, 'utf8'));
    await waitLoads(page, before + 1);
    assert.equal(await page.locator('.tk-tile[data-key="created"] .tk-tile-value').textContent(), '4');

    // An uncaught error in the worker is survived the same way.
    const e2 = (await state(page)).errors;
    await page.evaluate(() => document.querySelector('ticket-kpis')._simulateEngineCrash('throw'));
    await waitErrors(page, e2 + 1);
    assert.match((await errorText()).title, /engine stopped/i);
    const l2 = (await state(page)).loads;
    await dropFile(page, 'small.json', small);
    await waitLoads(page, l2 + 1);
    assert.equal(await page.locator('.tk-tile[data-key="created"] .tk-tile-value').textContent(), '10');
    assert.deepEqual(b.problems.filter((p) => p.startsWith('pageerror')), []);
  });

  test('a file over the limit is refused with the message before it is read', async () => {
    const { errors, loads } = await state(page);
    // A File that says it is 5 GB (one canonical file streams up to 4 GB); reading it in any
    // way is recorded.
    await page.evaluate(() => {
      window.__read = [];
      const file = new File(['[]'], 'huge.json', { type: 'application/json' });
      Object.defineProperty(file, 'size', { value: 5_000_000_000 });
      for (const m of ['slice', 'arrayBuffer', 'text', 'stream']) {
        const orig = file[m].bind(file);
        file[m] = (...a) => {
          window.__read.push(m);
          return orig(...a);
        };
      }
      document.querySelector('ticket-kpis').loadFiles([file]).catch(() => {});
    });
    await waitErrors(page, errors + 1);
    const shown = await errorText();
    assert.match(shown.title, /huge\.json/);
    assert.match(shown.message, /^the file is 5(\.0)? GB: the widget can read files up to 4 GB$/);
    assert.deepEqual(await page.evaluate(() => window.__read), [], 'not a byte was read');
    // The data shown before stays.
    assert.equal((await state(page)).loads, loads);
    assert.equal((await state(page)).state, 'ready');
    assert.equal(await page.locator('.tk-tile[data-key="created"] .tk-tile-value').textContent(), '10');
  });

  test('a URL announcing more than the limit is refused from its Content-Length', async () => {
    const { errors } = await state(page);
    await page.fill('#url-input', `${data.origin}/huge.json`);
    await page.click('#url-form button[type="submit"]');
    await waitErrors(page, errors + 1);
    assert.match((await errorText()).message, /^the file is 5(\.0)? GB: the widget can read files up to 4 GB$/);
    assert.equal((await state(page)).state, 'ready');
  });
});
