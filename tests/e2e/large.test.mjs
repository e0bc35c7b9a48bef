// 100,000 tickets from the project's seeded generator, dropped onto the widget. Prints the
// load + render time (not asserted: it depends on the machine).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, canvasInk, loads, open, tiles, waitLoads } from './harness.mjs';

const TICKETS = Number(process.env.E2E_LARGE_TICKETS || 100_000);

let b;
let dir;
let file;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tk-e2e-large-'));
  file = path.join(dir, `tickets-${TICKETS}.json`);
  const t0 = Date.now();
  const gen = spawnSync(
    'cargo',
    ['run', '--quiet', '--release', '--bin', 'gen-sample', '--', '--tickets', String(TICKETS), '--seed', '1', '--out', file],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  assert.equal(gen.status, 0, `gen-sample failed:\n${gen.stderr}\n${gen.stdout}`);
  const size = (await stat(file).catch(() => null))?.size;
  assert.ok(size > 0, `gen-sample wrote nothing to ${path.basename(file)}\n${gen.stderr}`);
  console.log(`generated ${TICKETS} tickets: ${(size / 1e6).toFixed(1)} MB in ${Date.now() - t0} ms`);
  b = await open();
});

after(async () => {
  await b?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test(`${TICKETS.toLocaleString('en-US')} tickets dropped on the widget`, { timeout: 300_000 }, async () => {
  const { page } = b;
  await page.goto(b.server.url);
  // The built-in sample loads first; whatever its outcome, the drop comes after it.
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('app').dataset.state));
  const n = await loads(page);

  // The test's own file input (not the widget's) hands the generated file to the page without
  // copying it through the driver; the page then gets it in a real drop event.
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'e2e-large-input';
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles('#e2e-large-input', file);

  const result = await page.evaluate(async () => {
    const app = document.getElementById('app');
    const file = document.getElementById('e2e-large-input').files[0];
    const dt = new DataTransfer();
    dt.items.add(file);
    const before = app.dataset.loads;
    const beforeErrors = app.dataset.errors || '0';
    const done = new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        if (app.dataset.loads !== before || (app.dataset.errors || '0') !== beforeErrors) {
          mo.disconnect();
          resolve();
        }
      });
      mo.observe(app, { attributes: true });
    });
    const t0 = performance.now();
    for (const type of ['dragenter', 'dragover', 'drop']) {
      app.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
    await done;
    // Until the frame with the new dashboard and charts has been produced.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return {
      ms: performance.now() - t0,
      bytes: file.size,
      state: app.dataset.state,
      error: document.getElementById('error').hidden ? null : document.getElementById('error-message').textContent,
      breakdown: document.getElementById('import-time').textContent,
    };
  });
  assert.equal(result.error, null, `the page showed an error: ${result.error}`);
  assert.equal(result.state, 'ready');
  console.log(
    `load+render of ${TICKETS} tickets (${(result.bytes / 1e6).toFixed(1)} MB): ` +
      `${Math.round(result.ms)} ms in the page; engine: ${result.breakdown}`,
  );

  await waitLoads(page, n + 1);
  assert.equal(await page.textContent('#import-tickets'), TICKETS.toLocaleString('en-US'));
  const t = await tiles(page);
  assert.ok(Number(t.created.value.replace(/,/g, '')) > 0, `created: ${t.created.value}`);
  for (const [key, tile] of Object.entries(t)) assert.ok(tile.value.length > 0, `tile ${key}`);
  const ink = await canvasInk(page);
  for (const c of ink) assert.ok(c.inked > 0, `${c.id} has pixels`);

  // Filters on 100k tickets re-run the report only.
  const channel = await page.$eval('#channel option:nth-child(2)', (o) => o.value);
  const t0 = Date.now();
  await page.selectOption('#channel', channel);
  await page.waitForFunction((c) => document.getElementById('channel').value === c, channel);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  console.log(`channel filter on ${TICKETS} tickets: ${Date.now() - t0} ms`);
  assert.deepEqual(b.foreignRequests(), []);
});
