// The <ticket-kpis> widget in each of its languages, in headless Chromium: English, Turkish,
// Persian (right-to-left, Persian digits, Solar Hijri dates as an option) and Dutch. Each case
// opens a host page with <ticket-kpis lang="…"> reading tests/fixtures/e2e-small.json, checks
// that the visible texts are in that language and the figures are formatted for it, and saves a
// screenshot to test-output/i18n-<case>.png (gitignored; made at run time).
//
// The fixture (see dashboard.test.mjs for the hand computation): period 2026-03-02 … 2026-03-07
// (Esfand 11–16, 1404 in the Solar Hijri calendar), created 10, FRT median 30 min, resolution
// median 14 h, resolution rate 60%, open at the end 4, CSAT 4 of 6 = 66.7%.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { audit } from '../../scripts/i18n-keys.mjs';
import { CATALOGS } from '../../www/locales/index.js';
import { CHROMIUM, CHROMIUM_ARGS, FIXTURES, ROOT, WWW } from './harness.mjs';

const OUT = path.join(ROOT, 'test-output');
const FIXTURE = path.join(FIXTURES, 'e2e-small.json');

// What the tiles must show, per language (value text of each default tile).
const TILE_VALUES = {
  en: { created: '10', frt: '30 min', resolution_time: '14 h', resolution_rate: '60%', backlog: '4', csat: '66.7%' },
  tr: { created: '10', frt: '30 dk', resolution_time: '14 sa', resolution_rate: '%60', backlog: '4', csat: '%66,7' },
  nl: { created: '10', frt: '30 min', resolution_time: '14 u', resolution_rate: '60%', backlog: '4', csat: '66,7%' },
  fa: { created: '۱۰', frt: '۳۰ دقیقه', resolution_time: '۱۴ ساعت', resolution_rate: '۶۰٪', backlog: '۴', csat: '۶۶٫۷٪' },
};

// A few texts spelled out here (not read from the catalogs), so a catalog that fails to load or
// register cannot pass for a translated page.
const KNOWN = {
  en: { title: 'Help-desk KPIs', created: 'Tickets created', from: 'From' },
  tr: { title: 'Destek Masası KPI’ları', created: 'Oluşturulan talepler', from: 'Başlangıç' },
  fa: { title: 'شاخص‌های میز پشتیبانی', created: 'تیکت‌های ایجادشده', from: 'از' },
  nl: { title: 'Helpdesk-KPI’s', created: 'Aangemaakte tickets', from: 'Van' },
};

const WEEK_START = { en: 6, tr: 0, fa: 5, nl: 0 };

let server;
let origin;
let browser;
let hostHtml;
let english; // Map(key → English) of every key the page looks up with a literal English text

before(async () => {
  await mkdir(OUT, { recursive: true });
  server = await startServer(WWW, 0);
  origin = new URL(server.url).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  hostHtml = await readFile(path.join(WWW, 'index.html'), 'utf8');
  assert.match(hostHtml, /<ticket-kpis[^>]*><\/ticket-kpis>/, 'www/index.html hosts one <ticket-kpis>');
  const a = await audit();
  english = new Map([...a.used].filter(([, v]) => v.english).map(([k, v]) => [k, v.english]));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens the demo page (same CSP and files) with `<ticket-kpis ${attrs}>` reading the fixture, in
 * a browser whose language is `browserLocale`. Resolves once the widget shows the data.
 */
async function openWidget(attrs, { browserLocale = 'en-US', name = 'host' } = {}) {
  const context = await browser.newContext({
    locale: browserLocale,
    timezoneId: 'Europe/Istanbul',
    viewport: { width: 1280, height: 900 },
  });
  const problems = [];
  const html = hostHtml.replace(
    /<ticket-kpis[^>]*><\/ticket-kpis>/,
    `<ticket-kpis ${attrs} src="/__i18n__/e2e-small.json"></ticket-kpis>`,
  );
  // At the server root, so the page's relative URLs (ticket-kpis.js, demo.css) resolve as in
  // www/index.html.
  await context.route(`${origin}/i18n-${name}.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  await context.route(`${origin}/__i18n__/e2e-small.json`, async (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: await readFile(FIXTURE) }),
  );
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  await page.goto(`${origin}/i18n-${name}.html`);
  await page.waitForFunction(
    () => {
      const a = document.querySelector('ticket-kpis')?.shadowRoot?.getElementById('app');
      return a && Number(a.dataset.loads || 0) >= 1 && a.dataset.state === 'ready';
    },
    null,
    { timeout: 60_000 },
  );
  return { context, page, problems };
}

/** Texts of the widget: `sel` → trimmed textContent inside the shadow root (null when absent). */
function texts(page, selectors) {
  return page.evaluate((selectors) => {
    const root = document.querySelector('ticket-kpis').shadowRoot;
    return Object.fromEntries(
      Object.entries(selectors).map(([k, sel]) => {
        const n = root.querySelector(sel);
        return [k, n ? n.textContent.replace(/\s+/g, ' ').trim() : null];
      }),
    );
  }, selectors);
}

/** Every visible text of the widget (text nodes, aria-labels, titles, placeholders), deduplicated. */
function visibleTexts(page) {
  return page.evaluate(() => {
    const out = new Set();
    const walk = (root) => {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = w.currentNode; n; n = w.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) {
          const p = n.parentElement;
          if (p && (p.closest('style, script, template') || p.closest('[hidden]'))) continue;
          const s = n.textContent.replace(/\s+/g, ' ').trim();
          if (s) out.add(s);
        } else if (n.nodeType === Node.ELEMENT_NODE) {
          if (n.closest('[hidden]')) continue;
          for (const a of ['aria-label', 'title', 'placeholder']) {
            const v = n.getAttribute(a);
            if (v && v.trim()) out.add(v.trim());
          }
          if (n.shadowRoot) walk(n.shadowRoot);
        }
      }
    };
    walk(document.querySelector('ticket-kpis').shadowRoot);
    return [...out];
  });
}

function tileValues(page) {
  return page.evaluate(() => {
    const root = document.querySelector('ticket-kpis').shadowRoot;
    return Object.fromEntries(
      [...root.querySelectorAll('.tk-tile[data-key]')].map((t) => [
        t.dataset.key,
        t.querySelector('.tk-tile-value').textContent.trim(),
      ]),
    );
  });
}

/** English texts of the page's own strings that show through untranslated in `lang`. */
function untranslated(lang, shown) {
  const catalog = CATALOGS[lang];
  const seen = new Set(shown);
  // Texts the language itself uses ("CSAT" is CSAT in Turkish too) are no sign of a leak.
  const own = new Set(Object.values(catalog));
  const out = [];
  for (const [key, en] of english) {
    if (/\{\w+\}/.test(en) || en.length < 3 || own.has(en)) continue;
    if (!Object.hasOwn(catalog, key) || catalog[key] === en) continue;
    if (seen.has(en.trim())) out.push(`${key}: ${en}`);
  }
  return out;
}

async function shoot(page, name) {
  const file = path.join(OUT, `i18n-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

describe('the widget in each language', () => {
  for (const lang of ['en', 'tr', 'fa', 'nl']) {
    test(`lang="${lang}": texts, numbers, direction and week start`, { timeout: 120_000 }, async (t) => {
      const { context, page, problems } = await openWidget(`lang="${lang}"`, { name: lang });
      try {
        const root = await page.evaluate(() => {
          const a = document.querySelector('ticket-kpis').shadowRoot.getElementById('app');
          return { lang: a.lang, dir: a.dir, direction: getComputedStyle(a).direction };
        });
        assert.deepEqual(root, {
          lang,
          dir: lang === 'fa' ? 'rtl' : 'ltr',
          direction: lang === 'fa' ? 'rtl' : 'ltr',
        });

        const shown = await texts(page, {
          title: '.tk-h1',
          created: '.tk-tile[data-key="created"] .tk-tile-label',
          from: 'label[for="from"]',
        });
        assert.deepEqual(shown, KNOWN[lang]);
        if (lang !== 'en') {
          const more = await texts(page, {
            footer: '.tk-footer',
            agents: '#agents-title',
            volume: '.tk-chart[data-chart="volume"] .tk-chart-title',
            detail: '.tk-tile[data-key="resolution_rate"] .tk-tile-detail',
          });
          const c = CATALOGS[lang];
          assert.equal(more.footer, c['widget.footer']);
          assert.equal(more.agents, c['widget.agents']);
          assert.equal(more.volume, c['widget.chart.volume']);
          const n = lang === 'fa' ? ['۶', '۱۰'] : ['6', '10'];
          assert.equal(more.detail, c['widget.tile.solved'].replace('{n}', n[0]).replace('{d}', n[1]));
        }

        assert.deepEqual(await tileValues(page), TILE_VALUES[lang]);

        // Upper-case labels follow the language's case rules (Turkish i → İ).
        if (lang === 'tr') {
          const upper = await page.evaluate(() => {
            const root = document.querySelector('ticket-kpis').shadowRoot;
            return root.querySelector('#agents-table thead th').innerText;
          });
          assert.equal(upper, 'TEMSİLCİ');
        }

        // No English page text shows through where the language has its own.
        if (lang !== 'en') {
          const leaks = untranslated(lang, await visibleTexts(page));
          assert.deepEqual(leaks, [], `untranslated in ${lang}`);
        }

        // The report's weeks start on the language's first day.
        const weekStart = await page.evaluate(() => document.querySelector('ticket-kpis').report.period.week_start);
        assert.equal(weekStart, WEEK_START[lang], 'week_start passed to the engine');

        const file = await shoot(page, lang);
        t.diagnostic(`screenshot ${path.relative(ROOT, file)}`);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test('Persian: right-to-left, Persian digits in the tiles, no Latin digits', { timeout: 120_000 }, async (t) => {
    const { context, page, problems } = await openWidget('lang="fa"', { name: 'fa-digits' });
    try {
      const tiles = await page.evaluate(() => {
        const root = document.querySelector('ticket-kpis').shadowRoot;
        return [...root.querySelectorAll('.tk-tile')].map((n) => n.innerText);
      });
      assert.equal(tiles.length, 6);
      for (const text of tiles) {
        assert.match(text, /[۰-۹]/u, `Persian digits in ${JSON.stringify(text)}`);
        assert.doesNotMatch(text, /[0-9]/, `no Latin digits in ${JSON.stringify(text)}`);
      }
      // The agents table and the period line use Persian digits too.
      const agents = await page.evaluate(() =>
        [...document.querySelector('ticket-kpis').shadowRoot.querySelectorAll('#agents-table tbody td')].map(
          (td) => td.textContent,
        ),
      );
      assert.ok(agents.some((s) => /[۰-۹]/u.test(s)));
      assert.ok(agents.every((s) => !/[0-9]/.test(s)), agents.join(' | '));
      const { period } = await texts(page, { period: '#period-text' });
      assert.match(period, /۲۰۲۶/, 'Gregorian dates unless Solar Hijri is asked for');
      assert.match(period, /مارس/);
      // Mirrored layout: the title block starts on the right.
      const box = await page.evaluate(() => {
        const root = document.querySelector('ticket-kpis').shadowRoot;
        const app = root.getElementById('app').getBoundingClientRect();
        const title = root.querySelector('.tk-title').getBoundingClientRect();
        return { appRight: app.right, titleRight: title.right, titleLeft: title.left, appLeft: app.left };
      });
      assert.ok(box.appRight - box.titleRight < box.titleLeft - box.appLeft, JSON.stringify(box));
      // The audience views are right-to-left too; a screenshot of each.
      for (const view of ['kpis', 'team', 'management']) {
        await page.locator(`ticket-kpis .tkv-view-button[data-view="${view}"]`).click();
        await page.waitForFunction(
          (view) => document.querySelector('ticket-kpis').shadowRoot.getElementById('app').dataset.view === view,
          view,
        );
        const dir = await page.evaluate(() => {
          const v = document.querySelector('ticket-kpis').shadowRoot.querySelector('.tkv');
          return getComputedStyle(v).direction;
        });
        assert.equal(dir, 'rtl', view);
        t.diagnostic(`screenshot ${path.relative(ROOT, await shoot(page, `fa-${view}`))}`);
      }
      assert.deepEqual(problems, []);
      t.diagnostic('Persian tiles: ' + tiles.map((s) => s.replace(/\s+/g, ' ')).join(' | '));
    } finally {
      await context.close();
    }
  });

  test('Persian with calendar-system="persian": Solar Hijri dates (Esfand 1404)', { timeout: 120_000 }, async (t) => {
    const { context, page, problems } = await openWidget('lang="fa" calendar-system="persian"', { name: 'fa-persian' });
    try {
      const { period } = await texts(page, { period: '#period-text' });
      assert.match(period, /۱۴۰۴/, period);
      assert.match(period, /اسفند/, period);
      assert.doesNotMatch(period, /۲۰۲۶|2026/, period);
      const cal = await page.evaluate(() => document.querySelector('ticket-kpis').locale.calendar);
      assert.equal(cal, 'persian');
      const file = await shoot(page, 'fa-persian');
      t.diagnostic(`screenshot ${path.relative(ROOT, file)}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test('Solar Hijri is a calendar option, not tied to Persian: English with 1404', { timeout: 120_000 }, async () => {
    const { context, page } = await openWidget('lang="en" calendar-system="persian"', { name: 'en-persian' });
    try {
      const { period } = await texts(page, { period: '#period-text' });
      assert.match(period, /Esfand/, period);
      assert.match(period, /1404/, period);
    } finally {
      await context.close();
    }
  });

  test('without a lang attribute the browser language decides', { timeout: 120_000 }, async () => {
    for (const [browserLocale, lang] of [
      ['nl-NL', 'nl'],
      ['tr-TR', 'tr'],
      ['de-DE', 'en'],
    ]) {
      const { context, page } = await openWidget('', { browserLocale, name: `browser-${lang}` });
      try {
        const got = await page.evaluate(() => {
          const a = document.querySelector('ticket-kpis').shadowRoot.getElementById('app');
          return { lang: a.lang, title: a.querySelector('.tk-h1').textContent.trim() };
        });
        assert.deepEqual(got, { lang, title: KNOWN[lang].title }, browserLocale);
      } finally {
        await context.close();
      }
    }
  });

  test('changing lang on a shown widget re-renders it in the new language and direction', { timeout: 120_000 }, async () => {
    const { context, page } = await openWidget('lang="en"', { name: 'switch' });
    try {
      await page.evaluate(() => document.querySelector('ticket-kpis').setAttribute('lang', 'fa'));
      await page.waitForFunction(() => {
        const a = document.querySelector('ticket-kpis').shadowRoot.getElementById('app');
        return a && a.dir === 'rtl' && a.dataset.state === 'ready';
      });
      assert.deepEqual(await tileValues(page), TILE_VALUES.fa);
      // A week start the user sets wins over the language's.
      await page.evaluate(() => document.querySelector('ticket-kpis').setOptions({ week_start: 2 }));
      await page.waitForFunction(() => document.querySelector('ticket-kpis').report.period.week_start === 2);
    } finally {
      await context.close();
    }
  });

  test('engine messages stay English, framed in the language with a visible details line', { timeout: 120_000 }, async () => {
    const { context, page } = await openWidget('lang="tr"', { name: 'error-tr' });
    try {
      // A period the data cannot have makes the engine refuse the report.
      await page.evaluate(() => document.querySelector('ticket-kpis').setOptions({ from: '2026-03-07', to: '2026-03-01' }).catch(() => {}));
      await page.waitForFunction(() => {
        const a = document.querySelector('ticket-kpis').shadowRoot.getElementById('app');
        return Number(a.dataset.errors || 0) >= 1;
      });
      const shown = await texts(page, {
        title: '#error-title',
        details: '#error-details',
        message: '#error-message',
      });
      assert.equal(shown.title, CATALOGS.tr['widget.error.report']);
      assert.equal(shown.details, CATALOGS.tr['widget.error.details']);
      // The engine's own words, in English and marked as English.
      assert.match(shown.message, /[a-z]{3,}/);
      const marked = await page.evaluate(() => {
        const m = document.querySelector('ticket-kpis').shadowRoot.getElementById('error-message');
        return m.lang;
      });
      assert.equal(marked, 'en');
      await shoot(page, 'tr-error');
    } finally {
      await context.close();
    }
  });
});
