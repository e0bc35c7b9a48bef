// The pure parts of www/export.js in Node (no browser): CSV quoting and formula neutralisation,
// file names from hostile file names, and the HTML snapshot's escaping. The browser tests
// (export.test.mjs, security.test.mjs) check the same through real downloads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Locale } from '../../www/i18n.js';
import { agentRows, csvCell, fileBase, neutralise, snapshotHtml, toCsv } from '../../www/export.js';

describe('CSV', () => {
  test('text is quoted (RFC 4180), quotes doubled, line breaks kept inside the quotes', () => {
    assert.equal(csvCell('plain'), '"plain"');
    assert.equal(csvCell('say "hi", then go'), '"say ""hi"", then go"');
    assert.equal(csvCell('two\r\nlines'), '"two\r\nlines"');
    assert.equal(csvCell(''), '""');
  });

  test('numbers and booleans are bare, missing values empty', () => {
    assert.deepEqual([12, -3.5, 66.66666666666667, 0, true, false, null, undefined, NaN].map(csvCell), [
      '12', '-3.5', '66.666667', '0', 'true', 'false', '', '', '',
    ]);
  });

  test('cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP)', () => {
    const cases = {
      "=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
      '+SUM(1+1)': "'+SUM(1+1)",
      '-2+3': "'-2+3",
      '@SUM(A1:A9)': "'@SUM(A1:A9)",
      '\t=1+1': "'\t=1+1",
      '\r=1+1': "'\r=1+1",
      '=HYPERLINK("http://evil.example/","x")': '\'=HYPERLINK("http://evil.example/","x")',
      'a=b': 'a=b',
      ' =1': ' =1',
      '<img src=x onerror=alert(1)>': '<img src=x onerror=alert(1)>',
    };
    for (const [input, want] of Object.entries(cases)) assert.equal(neutralise(input), want, JSON.stringify(input));
    assert.equal(csvCell("=cmd|' /C calc'!A0"), `"'=cmd|' /C calc'!A0"`);
    assert.equal(csvCell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"');
    // A negative number stays a number; negative-looking text does not.
    assert.equal(csvCell(-2), '-2');
    assert.equal(csvCell('-2'), '"\'-2"');
  });

  test('a document: byte order mark, CRLF after every row', () => {
    assert.equal(toCsv([['a', 1], ['=b', null]]), '\uFEFF"a",1\r\n"\'=b",\r\n');
  });

  test('rows from the report name the unassigned in the viewer\'s language', () => {
    const report = {
      agents: [
        { id: 'a1', name: '=cmd|x', tickets: 2, solved: 1, frt_median: 60, resolution_median: null, csat: 50, csat_ratio: { numerator: 1, denominator: 2 } },
        { id: '', name: '(unassigned)', tickets: 1, solved: 0, frt_median: null, resolution_median: null, csat: null, csat_ratio: { numerator: 0, denominator: 0 } },
      ],
    };
    assert.equal(
      toCsv(agentRows(report, new Locale('en'))),
      '\uFEFF"agent_id","agent","tickets","solved","frt_median_seconds","resolution_median_seconds","csat_percent","csat_satisfied","csat_ratings"\r\n' +
        '"a1","\'=cmd|x",2,1,60,,50,1,2\r\n' +
        '"","(unassigned)",1,0,,,,0,0\r\n',
    );
  });
});

describe('file names', () => {
  test('only letters, digits, dot, dash and underscore; a fallback when nothing is left', () => {
    assert.equal(fileBase('"><img src=x onerror=window.__pwned=1>.json'), 'img-src-x-onerror-window.__pwned-1');
    assert.equal(fileBase('../../etc/passwd'), 'etc-passwd');
    assert.equal(fileBase('Müşteri desteği — Mart.ndjson'), 'Müşteri-desteği-Mart');
    assert.equal(fileBase('گزارش.json'), 'گزارش');
    assert.equal(fileBase('<>.json'), 'ticket-kpis');
    assert.equal(fileBase(null), 'ticket-kpis');
    assert.equal(fileBase('x'.repeat(200)).length, 60);
  });
});

describe('HTML snapshot', () => {
  const IMG = '<img src=x onerror="alert(1)">';
  const report = {
    period: { from: '2026-03-02', to: '2026-03-08', timezone: 'UTC' },
    previous_period: { from: '2026-02-23', to: '2026-03-01' },
    time_basis: 'calendar',
    tiles: [{ key: 'created', value: 3, missing: null }],
    kpis: [
      { key: 'created', label: 'Tickets created', section: 'volume', unit: 'count', value: 3, previous: 1, change: 2, change_percent: 200 },
      { key: 'frt', label: 'First response time', section: 'speed', unit: 'seconds', value: 90, previous: null, change: null, change_percent: null, missing: null },
    ],
    channels: [{ name: '</script><script>alert(2)</script>', count: 3, percent: 100 }],
    agents: [{ id: 'a1', name: IMG, tickets: 3, solved: 1, frt_median: 90, resolution_median: null, csat: null, csat_ratio: { numerator: 0, denominator: 0 } }],
    scorecard: { keys: ['created'], rows: [{ id: 'a1', name: IMG, team: '"><svg onload=alert(3)>', values: [3] }], team_median: [3] },
    breakdown: { dimension: 'tag', keys: ['created'], rows: [{ name: '&amp; <b>x</b>', values: [3] }] },
    feedback: { satisfied: [['<i>great</i>', 2]], dissatisfied: [] },
  };

  test('every ticket-derived string is escaped; no script, no handler, a CSP of its own', () => {
    const { fragment, document } = snapshotHtml({
      report,
      locale: new Locale('en'),
      source: '"><img src=x onerror=alert(4)>.json',
      made: new Date('2026-03-09T10:00:00Z'),
    });
    assert.ok(document.startsWith('<!doctype html>'));
    assert.ok(document.includes(fragment));
    assert.match(document, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">/);
    for (const html of [fragment, document]) {
      assert.doesNotMatch(html, /<(script|img|svg|b|i)\b/i);
      assert.doesNotMatch(html, /<[a-z][^<>]*\son[a-z]+\s*=/i);
    }
    assert.ok(fragment.includes('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'));
    assert.ok(fragment.includes('&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;'));
    assert.ok(fragment.includes('&quot;&gt;&lt;svg onload=alert(3)&gt;'));
    assert.ok(fragment.includes('&amp;amp; &lt;b&gt;x&lt;/b&gt;'));
    assert.ok(fragment.includes('&lt;i&gt;great&lt;/i&gt; (2)'));
    assert.ok(fragment.includes('Snapshot of &quot;&gt;&lt;img src=x onerror=alert(4)&gt;.json, made Mar 9, 2026'));
    assert.ok(fragment.includes('<td class="tk-s-num">+2 +200%</td>'));
  });

  test('in the viewer\'s language and direction', () => {
    const { fragment } = snapshotHtml({ report, locale: new Locale('fa'), made: new Date('2026-03-09T10:00:00Z') });
    assert.match(fragment, /^<section class="tk-snapshot" lang="fa" dir="rtl">/);
  });
});
