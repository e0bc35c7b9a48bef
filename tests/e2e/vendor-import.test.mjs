// Vendor exports dropped into the page as they are: the widget recognises the format and its
// import panel says what it understood (format, records read, tickets kept, skipped, and the
// skip reasons). The expected numbers are the ones checked by hand in tests/adapters_real_data.rs
// (real third-party files in ../shared/data) and tests/adapters_fixtures.rs (fixtures written
// to the vendors' published schemas, tests/fixtures/vendors).
//
// The page loads one dropped file with Engine.load, which detects the format; several files
// of one export (tickets + comments + users) go through Engine.load_files, which the page does
// not call yet, so only single files are dropped here.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, ROOT, dropFile, loads, open, waitLoads } from './harness.mjs';

const DATA = path.join(ROOT, '..', 'shared', 'data');
const REC = path.join(DATA, '01_zammad_vcr_cassettes');
const VENDORS = path.join(FIXTURES, 'vendors');

// [file, format line, records, tickets, skipped, skip reasons shown]
const SAMPLES = [
  [
    path.join(REC, 'decoded_zendesk', '003_incremental_tickets.json'),
    'Zendesk tickets',
    '144',
    '143',
    '1',
    ['deleted ticket (Zendesk status "deleted"): skipped'],
  ],
  [path.join(REC, 'decoded_freshdesk', '010_tickets.json'), 'Freshdesk tickets', '13', '13', '0', []],
  [path.join(REC, 'decoded_kayako', '007_api_v1_cases.json'), 'Kayako cases', '5', '5', '0', []],
  [
    path.join(DATA, '02_twcs_sample', 'sample.csv'),
    'Customer Support on Twitter: 93 tweets grouped into 27 conversations',
    '27',
    '25',
    '2',
    [
      'conversation starts with a reply to a tweet that is not in the file (its creation time is unknown): conversation skipped',
    ],
  ],
  [
    path.join(DATA, '03_kaggle_customer_support_tickets', 'customer_support_tickets.csv'),
    'CSV (comma delimited, 17 columns)',
    '8,469',
    '5,650',
    '2,819',
    ['no "First Response Time" (the column that dates the tickets): record skipped'],
  ],
  [
    path.join(DATA, '05_fivetran_dbt_zendesk_seeds', 'ticket_data.csv'),
    'Fivetran Zendesk ticket table',
    '10',
    '8',
    '2',
    ['deleted ticket (Zendesk status "deleted"): skipped'],
  ],
  [
    path.join(VENDORS, 'chatwoot_conversations.json'),
    'Chatwoot conversations',
    '3',
    '3',
    '0',
    [],
  ],
  [
    path.join(VENDORS, 'helpscout_conversations_embed_threads.json'),
    'Help Scout conversations',
    '3',
    '2',
    '1',
    ['spam conversation (Help Scout status "spam"): skipped'],
  ],
  [
    path.join(VENDORS, 'jira_search_servicedesk.json'),
    'Jira Service Management issues',
    '3',
    '3',
    '0',
    [],
  ],
  [
    path.join(VENDORS, 'github_issues_rest.json'),
    'GitHub issues',
    '3',
    '2',
    '1',
    ['pull request (GitHub lists pull requests among issues): skipped'],
  ],
  [
    path.join(VENDORS, 'zammad_tickets.json'),
    'Zammad tickets',
    '3',
    '2',
    '1',
    ['merged ticket (Zammad state "merged": merged into another ticket): skipped'],
  ],
  [
    path.join(VENDORS, 'csv_zendesk_ticket_export.csv'),
    'CSV (comma delimited, 40 columns)',
    '3',
    '3',
    '0',
    [],
  ],
];

describe('vendor exports dropped into the page', () => {
  let b;
  let page;

  before(async () => {
    b = await open();
    page = b.page;
    await page.goto(b.server.url);
    await waitLoads(page, 1);
  });

  after(async () => {
    await b?.close();
  });

  for (const [file, format, records, tickets, skipped, reasons] of SAMPLES) {
    test(`${path.basename(file)} is read as ${format}`, async () => {
      const content = await readFile(file, 'utf8');
      const n = await loads(page);
      const type = file.endsWith('.csv') ? 'text/csv' : 'application/json';
      await dropFile(page, path.basename(file), content, type);
      await waitLoads(page, n + 1);
      assert.equal(await page.isVisible('#error'), false, 'no error shown');
      assert.equal(await page.textContent('#import-source'), path.basename(file));
      assert.equal(await page.textContent('#import-format'), format);
      assert.equal(await page.textContent('#import-records'), records);
      assert.equal(await page.textContent('#import-tickets'), tickets);
      assert.equal(await page.textContent('#import-skipped'), skipped);
      const shown = await page.$$eval('#import-warnings li.is-skipped .tk-warning-message', (els) =>
        els.map((e) => e.textContent),
      );
      assert.deepEqual(shown, reasons);
      assert.deepEqual(b.foreignRequests(), [], 'nothing left the page');
    });
  }
});
