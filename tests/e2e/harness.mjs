// Shared setup of the browser tests: the page served by scripts/serve.mjs on a free port, a
// headless Debian Chromium driven by playwright-core, every request recorded.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = path.join(ROOT, 'www');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Serves www/ and opens a browser context. Returns helpers and a close().
 * `requests` collects every URL the page or the context asked for (page- and context-level).
 */
export async function open({ deviceScaleFactor = 1, viewport = { width: 1280, height: 900 } } = {}) {
  const server = await startServer(WWW, 0);
  const origin = new URL(server.url).origin;
  const profile = await mkdtemp(path.join(os.tmpdir(), 'tk-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'en-US',
    // Not UTC on purpose: fixtures name their own zone, which must win over the viewer's.
    timezoneId: 'Europe/Istanbul',
    viewport,
    deviceScaleFactor,
    acceptDownloads: true,
  });
  const requests = [];
  const problems = [];
  context.on('request', (r) => requests.push({ where: 'context', url: r.url() }));
  const page = context.pages()[0] || (await context.newPage());
  page.on('request', (r) => requests.push({ where: 'page', url: r.url() }));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()} (${m.location().url})`);
  });
  page.on('dialog', async (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    await d.dismiss();
  });
  return {
    server,
    origin,
    context,
    page,
    requests,
    problems,
    /** Requests that went anywhere but the served origin. */
    foreignRequests: () =>
      requests.filter(({ url }) => {
        try {
          return new URL(url).origin !== origin;
        } catch {
          return true;
        }
      }),
    close: async () => {
      await context.close().catch(() => {});
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The number of successful loads so far (the page counts them in #app[data-loads]). */
export const loads = (page) => page.$eval('#app', (a) => Number(a.dataset.loads || 0));
export const errors = (page) => page.$eval('#app', (a) => Number(a.dataset.errors || 0));

/** Waits until the page has finished `n` successful loads. */
export async function waitLoads(page, n, timeout = 60_000) {
  await page.waitForFunction(
    (n) => {
      const a = document.querySelector('ticket-kpis').shadowRoot.getElementById('app');
      return Number(a.dataset.loads || 0) >= n && a.dataset.state === 'ready';
    },
    n,
    { timeout },
  );
}

/** Waits until the page has shown `n` errors. */
export async function waitErrors(page, n, timeout = 30_000) {
  await page.waitForFunction((n) => Number(document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.errors || 0) >= n, n, {
    timeout,
  });
}

/**
 * Drops a file onto the widget with real drag events carrying a DataTransfer that holds a File
 * (dragenter → dragover → drop). Returns whether the drop overlay was visible during the drag.
 */
export async function dropFile(page, name, content, type = 'application/json') {
  const dataTransfer = await page.evaluateHandle(
    ({ name, content, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([content], name, { type }));
      return dt;
    },
    { name, content, type },
  );
  await page.dispatchEvent('#app', 'dragenter', { dataTransfer });
  await page.dispatchEvent('#tiles', 'dragover', { dataTransfer });
  const overlayShown = await page.isVisible('#drop-overlay');
  await page.dispatchEvent('#tiles', 'drop', { dataTransfer });
  await dataTransfer.dispose();
  return overlayShown;
}

/** Tile texts by key: { value, detail, note, missing }. */
export function tiles(page) {
  return page.$$eval('.tk-tile', (els) =>
    Object.fromEntries(
      els.map((e) => [
        e.dataset.key,
        {
          value: e.querySelector('.tk-tile-value').textContent,
          detail: e.querySelector('.tk-tile-detail').textContent,
          note: e.querySelector('.tk-tile-note').textContent,
          missing: e.querySelector('.tk-tile-value').classList.contains('is-missing'),
        },
      ]),
    ),
  );
}

/** The per-agent table as rows of cell texts. */
export function agentRows(page) {
  return page.$$eval('#agents-table tbody tr', (rows) =>
    rows.map((r) => Array.from(r.children).map((c) => c.textContent)),
  );
}

/** For each chart canvas: its pixel and CSS size, and how many pixels are not white. */
export function canvasInk(page) {
  return page.$$eval('.tk-charts canvas', (canvases) =>
    canvases.map((c) => {
      const ctx = c.getContext('2d');
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked++;
      }
      const rect = c.getBoundingClientRect();
      return {
        id: c.id,
        width: c.width,
        height: c.height,
        cssWidth: rect.width,
        cssHeight: rect.height,
        dpr: window.devicePixelRatio,
        inked,
        drawn: Number(c.dataset.drawn || 0),
        label: c.getAttribute('aria-label') || '',
      };
    }),
  );
}
