// www/i18n.js and the catalogs in www/locales/, in node (no browser): language choice, number and
// date formatting per language (Persian digits, Solar Hijri), week start, t() with placeholders,
// and the catalog audit of scripts/i18n-keys.mjs — a key used in the page but missing from a
// catalog fails here, so a new string cannot go untranslated silently.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGES, Locale, WEEK_START, pickLanguage } from '../../www/i18n.js';
import { CATALOGS } from '../../www/locales/index.js';
import { audit, engineKeys, placeholders, scanSource } from '../../scripts/i18n-keys.mjs';
import { parseAmount } from '../../www/views/dom.js';

const LATIN_DIGIT = /[0-9]/;
const PERSIAN_DIGITS_ONLY = /^[۰-۹٬٫−\-+٪%\s]+$/u;

describe('language choice', () => {
  test('pickLanguage reads BCP 47 tags and lists, falling back to English', () => {
    assert.equal(pickLanguage('fa-IR'), 'fa');
    assert.equal(pickLanguage('tr'), 'tr');
    assert.equal(pickLanguage('nl_BE'), 'nl');
    assert.equal(pickLanguage('EN-gb'), 'en');
    assert.equal(pickLanguage(['de-DE', 'nl-NL', 'en-US']), 'nl');
    assert.equal(pickLanguage(['de-DE', 'fr']), 'en');
    assert.equal(pickLanguage([]), 'en');
    assert.equal(pickLanguage(undefined), 'en');
  });

  test('an unknown language gives an English locale', () => {
    const l = new Locale('de');
    assert.equal(l.lang, 'en');
    assert.equal(l.dir, 'ltr');
  });

  test('four languages, Persian right-to-left', () => {
    assert.deepEqual([...LANGUAGES].sort(), ['en', 'fa', 'nl', 'tr']);
    for (const lang of LANGUAGES) {
      assert.equal(new Locale(lang).dir, lang === 'fa' ? 'rtl' : 'ltr', lang);
    }
  });
});

describe('week start', () => {
  test('Monday for tr and nl, Saturday for fa, Sunday for en-US', () => {
    assert.deepEqual(WEEK_START, { en: 6, tr: 0, fa: 5, nl: 0 });
    for (const lang of LANGUAGES) assert.equal(new Locale(lang).weekStart, WEEK_START[lang]);
  });

  test('weekday names start on the week start, in the language', () => {
    assert.deepEqual(new Locale('en').weekdays(), ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    assert.equal(new Locale('tr').weekdays()[0], 'Pzt');
    assert.equal(new Locale('nl').weekdays()[0], 'ma');
    const fa = new Locale('fa').weekdays();
    assert.equal(fa[0], 'شنبه');
    assert.equal(fa[6], 'جمعه');
    assert.equal(new Set(fa).size, 7);
    // An explicit week start wins over the language's.
    assert.equal(new Locale('en').weekdays(0)[0], 'Mon');
  });
});

describe('numbers', () => {
  test('grouping and decimals per language', () => {
    assert.equal(new Locale('en').integer(1234567), '1,234,567');
    assert.equal(new Locale('tr').integer(1234567), '1.234.567');
    assert.equal(new Locale('nl').integer(1234567), '1.234.567');
    assert.equal(new Locale('nl').number(2.5), '2,5');
    assert.equal(new Locale('en').percent(42.5), '42.5%');
    assert.equal(new Locale('tr').percent(42.5), '%42,5');
    assert.equal(new Locale('nl').percent(42.5), '42,5%');
  });

  test('Persian digits, no Latin digits', () => {
    const fa = new Locale('fa');
    for (const text of [fa.integer(1234567), fa.number(2.5), fa.percent(66.7), fa.integer(0)]) {
      assert.match(text, PERSIAN_DIGITS_ONLY, text);
      assert.doesNotMatch(text, LATIN_DIGIT, text);
    }
    assert.equal(fa.integer(1234), '۱٬۲۳۴');
  });

  test('missing values are a dash in every language', () => {
    for (const lang of LANGUAGES) {
      const l = new Locale(lang);
      for (const v of [null, undefined, NaN, Infinity]) {
        assert.equal(l.integer(v), '—');
        assert.equal(l.percent(v), '—');
        assert.equal(l.duration(v), '—');
      }
    }
  });

  test('durations with translated units', () => {
    assert.equal(new Locale('en').duration(8100), '2 h 15 min');
    assert.equal(new Locale('en').duration(3 * 86400 + 4 * 3600), '3 d 4 h');
    assert.equal(new Locale('tr').duration(8100), '2 sa 15 dk');
    assert.equal(new Locale('tr').duration(45), '45 sn');
    assert.equal(new Locale('nl').duration(3 * 86400 + 4 * 3600), '3 d 4 u');
    const fa = new Locale('fa').duration(8100);
    assert.equal(fa, '۲ ساعت ۱۵ دقیقه');
    assert.doesNotMatch(fa, LATIN_DIGIT);
  });

  test('KPI values by unit', () => {
    const fa = new Locale('fa');
    assert.equal(fa.value('count', 10), '۱۰');
    assert.equal(fa.value('seconds', 1800), '۳۰ دقیقه');
    assert.match(fa.value('percent', 60), /^۶۰\s?٪$/u);
    assert.equal(new Locale('en').value('score', 42.25), '42.25');
  });
});

describe('dates', () => {
  test('Gregorian by default, in the language (Persian digits for fa)', () => {
    assert.equal(new Locale('en').day('2026-03-02'), 'Mar 2, 2026');
    assert.equal(new Locale('nl').day('2026-03-02'), '2 mrt 2026');
    assert.equal(new Locale('tr').day('2026-03-02'), '2 Mar 2026');
    const fa = new Locale('fa').day('2026-03-02');
    assert.match(fa, /۲۰۲۶/);
    assert.match(fa, /مارس/);
    assert.doesNotMatch(fa, LATIN_DIGIT);
  });

  test('Solar Hijri as an option: March 2026 before Nowruz is Esfand 1404', () => {
    const fa = new Locale('fa', { calendar: 'persian' });
    assert.equal(fa.calendar, 'persian');
    const d = fa.day('2026-03-02');
    assert.match(d, /۱۴۰۴/);
    assert.match(d, /اسفند/);
    assert.doesNotMatch(d, LATIN_DIGIT);
    // Nowruz (1 Farvardin 1405) fell on 2026-03-21.
    assert.match(fa.day('2026-03-21'), /^۱ فروردین ۱۴۰۵$/);
    const range = fa.dayRange('2026-03-02', '2026-03-07');
    assert.match(range, /۱۴۰۴/);
    assert.doesNotMatch(range, LATIN_DIGIT);
    // The calendar is not tied to the language.
    assert.match(new Locale('en', { calendar: 'persian' }).day('2026-03-02'), /Esfand 11, 1404/);
  });

  test('an unknown calendar is Gregorian; a bad date is shown as given', () => {
    assert.equal(new Locale('fa', { calendar: 'islamic' }).calendar, 'gregorian');
    assert.equal(new Locale('en').day('not a date'), 'not a date');
  });
});

describe('typed amounts', () => {
  test('targets typed with a Persian keyboard (Persian digits, ٫ and ٪) read as with Latin ones', () => {
    assert.equal(parseAmount('seconds', '۱h ۳۰m'), 5400);
    assert.equal(parseAmount('percent', '۹۰٪'), 90);
    assert.equal(parseAmount('number', '۴٫۵'), 4.5);
    assert.equal(parseAmount('percent', '٩٠'), 90);
    // Turkish and Dutch decimal comma.
    assert.equal(parseAmount('seconds', '1,5h'), 5400);
  });
});

describe('t()', () => {
  test('English from the call site when no catalog has the key', () => {
    for (const lang of LANGUAGES) {
      assert.equal(new Locale(lang).t('test.nowhere', 'Only English'), 'Only English');
    }
  });

  test('placeholders filled, numbers formatted in the language, unknown ones kept', () => {
    const en = new Locale('en');
    assert.equal(en.t('test.x', '{n} of {total} tickets', { n: 1234, total: 'all' }), '1,234 of all tickets');
    assert.equal(en.t('test.x', 'keep {this}', { other: 1 }), 'keep {this}');
    const fa = new Locale('fa');
    assert.equal(fa.t('test.x', '{n} tickets', { n: 1234 }), '۱٬۲۳۴ tickets');
    // Text from a catalog, with the var formatted in Persian digits.
    const label = fa.t('kpi.created', 'Tickets created');
    assert.equal(label, 'تیکت‌های ایجادشده');
    const insight = fa.t('insight.changed', '{label} changed by {change} ({from} → {to}).', {
      label,
      change: '۱۲٪',
      from: 10,
      to: 12,
    });
    assert.match(insight, /^تیکت‌های ایجادشده /);
    assert.match(insight, /۱۰/);
    assert.doesNotMatch(insight, LATIN_DIGIT);
  });

  test('KPI labels come from the catalogs in every language', () => {
    assert.equal(new Locale('tr').t('kpi.frt', 'First response time'), 'İlk yanıt süresi');
    assert.equal(new Locale('nl').t('kpi.frt', 'First response time'), 'Eerste reactietijd');
    assert.equal(new Locale('fa').t('kpi.frt', 'First response time'), 'زمان اولین پاسخ');
    assert.equal(new Locale('en').t('kpi.frt', 'First response time'), 'First response time');
  });
});

describe('catalogs', () => {
  test('the key scanner reads literal, concatenated and template keys', () => {
    const calls = scanSource(
      [
        "locale.t('a.b', 'Hello {name}', { name });",
        'this.locale.t("c.d", "It\'s " +',
        "  'joined');",
        't(`kpi.${row.key}`, row.label);',
        'function t(key, english) {}',
        'const t = (k, en, vars) => locale.t(k, en, vars);',
        'locale.t(someKey, "x");',
        "const x = at('no.key', 'not a call of t');",
      ].join('\n'),
    );
    assert.deepEqual(
      calls.map(({ key, dynamic, english, computed }) => ({ key, dynamic, english, computed })),
      [
        { key: 'a.b', dynamic: false, english: 'Hello {name}', computed: undefined },
        { key: 'c.d', dynamic: false, english: "It's joined", computed: undefined },
        { key: 'kpi.', dynamic: true, english: null, computed: undefined },
        // A forwarder is not a lookup; a key in a variable is one the script cannot check.
        { key: null, dynamic: undefined, english: undefined, computed: 'someKey' },
      ],
    );
  });

  test('every key the page uses is in every catalog, with the same placeholders', async (t) => {
    const a = await audit();
    assert.deepEqual(Object.keys(a.langs).sort(), ['fa', 'nl', 'tr']);
    const problems = [];
    for (const [lang, r] of Object.entries(a.langs)) {
      for (const k of r.missing) {
        problems.push(`${lang}: missing ${k} ${JSON.stringify(a.required.get(k).english)} (${a.required.get(k).files[0]})`);
      }
      for (const p of r.placeholders) {
        problems.push(`${lang}: ${p.key} has {${p.got}}, the English has {${p.want}}`);
      }
      if (r.unused.length) t.diagnostic(`${lang}: ${r.unused.length} catalog keys no code uses: ${r.unused.join(' ')}`);
    }
    for (const c of a.conflicts) {
      problems.push(`key ${c.key} has different English at different call sites: ${JSON.stringify(c.englishes)}`);
    }
    t.diagnostic(`${a.used.size} keys in t() calls, ${a.required.size} required; dynamic: ${[...new Set(a.dynamic.map((d) => d.prefix))].join(' ') || 'none'}`);
    if (a.unchecked.length) t.diagnostic(`dynamic keys not checked: ${a.unchecked.join(' ')}`);
    for (const c of a.computed) t.diagnostic(`computed key not checked: t(${c.arg}, …) at ${c.where}`);
    assert.deepEqual(problems, [], `run node scripts/i18n-keys.mjs and translate:\n${problems.join('\n')}`);
  });

  test('every catalogue KPI has a label in every language', async () => {
    const engine = await engineKeys();
    assert.equal(engine.catalogueKpis.size, 38, 'src/kpi/catalogue.rs CATALOGUE has 38 KPIs');
    // …and the import report's support list labels five views the same way.
    assert.equal(engine.supportViews.size, 5, 'src/ingest/support.rs VIEWS');
    const kpis = [...engine['kpi.'].keys()];
    for (const [lang, table] of Object.entries(CATALOGS)) {
      for (const key of kpis) assert.ok(table[`kpi.${key}`], `${lang} kpi.${key}`);
    }
  });

  test('all three catalogs translate the same keys, none empty, placeholders alike', () => {
    const [first, ...rest] = Object.entries(CATALOGS);
    for (const [lang, table] of rest) {
      assert.deepEqual(Object.keys(table).sort(), Object.keys(first[1]).sort(), `${lang} vs ${first[0]}`);
    }
    for (const [lang, table] of Object.entries(CATALOGS)) {
      for (const [key, text] of Object.entries(table)) {
        assert.equal(typeof text, 'string', `${lang} ${key}`);
        assert.ok(text.trim().length > 0, `${lang} ${key} is empty`);
        // Outer spaces only where the other catalogs have them too (text joined to a value).
        const outer = (x) => [/^\s/.test(x), /\s$/.test(x)].join();
        assert.equal(outer(text), outer(first[1][key]), `${lang} ${key}: outer spaces differ`);
        assert.deepEqual(placeholders(text), placeholders(first[1][key]), `${lang} ${key} placeholders`);
      }
    }
  });

  test('Persian: Persian letters and digits, no Arabic yeh/kaf, no Latin digits', () => {
    for (const [key, text] of Object.entries(CATALOGS.fa)) {
      assert.doesNotMatch(text, /[\u064A\u0643\u0649]/u, `fa ${key}: Arabic ي/ك/ى instead of Persian ی/ک`);
      // Latin digits only inside «…» where they are an example of what to type ("1h 30m").
      assert.doesNotMatch(
        text.replace(/\{\w+\}/g, '').replace(/«[^»]*»/g, ''),
        LATIN_DIGIT,
        `fa ${key}: Latin digit`,
      );
      assert.doesNotMatch(text, /[\u0660-\u0669]/u, `fa ${key}: Arabic-Indic digit instead of Persian`);
      // A word-internal break is a zero-width non-joiner, not a space: «می شود» → «می‌شود».
      assert.doesNotMatch(text, /(^|\s)(ن?می) [\u0600-\u06FF]/u, `fa ${key}: «می» needs a ZWNJ`);
      assert.doesNotMatch(text, /[\u0600-\u06FF] (ها|های|هایی)(?=[\s.،:)]|$)/u, `fa ${key}: «ها» needs a ZWNJ`);
      // Persian words, or nothing but placeholders and punctuation, or an acronym (CSAT, SVG).
      const words = text.replace(/\{\w+\}/g, '');
      assert.ok(
        /[\u0600-\u06FF]/u.test(words) || !/\p{L}/u.test(words) || /^[A-Z]{2,5}$/.test(words),
        `fa ${key}: not Persian: ${text}`,
      );
    }
  });

  test('Turkish uses dotted and dotless i as Turkish does', () => {
    for (const [key, text] of Object.entries(CATALOGS.tr)) {
      // "I" followed by a Turkish front vowel letter pattern like "Ilk" is almost always a
      // mistyped "İlk"; a combining dot (i̇) means a wrong toLowerCase of "İ".
      assert.doesNotMatch(text, /\u0307/u, `tr ${key}: combining dot`);
      assert.doesNotMatch(text, /\bIlk|\bIle\b|\bIçin|\bIş\b|\bIptal/u, `tr ${key}: "I" where Turkish writes "İ"`);
    }
  });
});
