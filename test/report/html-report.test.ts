/**
 * `s321 report --html` rendered in a real headless browser (Debian's chromium driven by
 * puppeteer-core over a pipe: no browser download, no listening port) and checked through the DOM;
 * `--csv` parsed with csv-parse. The data is a real replay: the release2 fixture day (truck, air,
 * ocean), plus a manifest with an id-keyed consignee over $800 and three near-identical Smiths.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/core/report/render-csv.js';
import { chromiumBinary } from '../support/binaries.js';
import { FIXTURE_DAY, FIXTURE_REPLAY_OPTIONS } from '../support/fixture-day.js';
import { type ManifestBill, truck309 } from './manifest.js';

const CLI = 'dist/src/cli/main.js';
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

const smithAt = { street: '12 MAIN STREET', city: 'BOSTON', state: 'MA', postal: '02110' };
const bills: ManifestBill[] = [
  {
    scn: 'ACMEHTML001',
    name: 'ACME IMPORTS <LLC>',
    street: '1 HARBOR WAY',
    city: 'BOSTON',
    state: 'MA',
    postal: '02210',
    value: '500.00',
    id: ['24', '105541071'],
  },
  {
    scn: 'ACMEHTML002',
    name: 'ACME IMPORTS <LLC>',
    street: '1 HARBOR WAY',
    city: 'BOSTON',
    state: 'MA',
    postal: '02210',
    value: '450.25',
    id: ['24', '105541071'],
  },
  { scn: 'ACMEHTML003', name: 'JOHN SMITH', ...smithAt, value: '500.00' },
  { scn: 'ACMEHTML004', name: 'J SMITH', ...smithAt, value: '500.00' },
  { scn: 'ACMEHTML005', name: 'SMITH JOHN', ...smithAt, value: '500.00' },
];

function replayInto(dir: string, extra: string[] = []): string {
  const input = join(dir, 'in');
  mkdirSync(input);
  for (const f of readdirSync(FIXTURE_DAY)) copyFileSync(join(FIXTURE_DAY, f), join(input, f));
  writeFileSync(join(input, '07-split.edi'), truck309(701, '2025-06-10', bills));
  const db = join(dir, 's.db');
  run('replay', input, '--db', db, '--out', join(dir, 'out'), ...FIXTURE_REPLAY_OPTIONS, ...extra);
  return db;
}

describe('s321 report --html in a headless browser', () => {
  let dir = '';
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's321-html-'));
    const db = replayInto(dir);
    const r = run('report', '--db', db, '--html', join(dir, 'report.html'), '--csv', join(dir, 'report.csv'));
    expect(r.status).toBe(0);
    browser = await puppeteer.launch({
      executablePath: chromiumBinary(),
      headless: true,
      pipe: true, // DevTools over stdio: the browser opens no port
      // Root in a container has no user namespaces for the sandbox; the page is our own local file.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    page = await browser.newPage();
    // Offline: any request leaving the file would fail the page (self-contained check below).
    await page.setRequestInterception(true);
    const external: string[] = [];
    page.on('request', (req) => {
      if (req.url().startsWith('file:')) void req.continue();
      else {
        external.push(req.url());
        void req.abort();
      }
    });
    await page.setViewport({ width: 1150, height: 900 });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
    expect(external).toEqual([]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the exceeded day with consignee name and address, bills, values, codes and the id readably', async () => {
    const day = await page.$eval('section.day[data-day="2025-06-10"]', (s) => s.textContent ?? '');
    expect(day).toMatch(/exceeded/);
    const acme = await page.$eval('.pd[data-consignee-key="id|24|105541071"]', (e) => ({
      who: e.querySelector('.who')?.textContent,
      text: e.textContent ?? '',
      bills: [...e.querySelectorAll('tr.bill')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      ),
    }));
    // Escaped, not markup: the name's angle brackets are text.
    expect(acme.who).toBe('ACME IMPORTS <LLC>');
    expect(acme.text).toContain('qualifier 24, id 105541071');
    expect(acme.text).toContain('1 HARBOR WAY, BOSTON, MA 02210, US');
    expect(acme.text).toContain('$950.25');
    expect(acme.bills.map((b) => b.slice(0, 3))).toEqual([
      ['ACME/ACMEHTML001', 'truck', '$500.00'],
      ['ACME/ACMEHTML002', 'truck', '$450.25'],
    ]);
    // Codes sent: the replay emitted the notifications (truck 350, broker none: carrier channel).
    expect(acme.bills.every((b) => /\S/.test(b[3] ?? ''))).toBe(true);
    expect(acme.text).not.toContain('id|24|105541071');
  });

  it('lists the split-shipment suspects with the combined total and the evidence', async () => {
    const suspects = await page.$$eval('.suspect', (all) =>
      all.map((s) => ({
        members: [...s.querySelectorAll('tr.member .who')].map((w) => w.textContent),
        combined: s.querySelector('.combined')?.textContent,
        pairs: [...s.querySelectorAll('li.pair')].map((li) => li.textContent),
      })),
    );
    const smith = suspects.find((s) => s.members.includes('SMITH JOHN'));
    expect(smith?.members.sort()).toEqual(['J SMITH', 'JOHN SMITH', 'SMITH JOHN']);
    expect(smith?.combined).toBe('$1,500.00');
    expect(smith?.pairs).toHaveLength(3);
    expect(smith?.pairs.join(' ')).toContain('name words in another order');
  });

  it('draws the charts as inline SVG with one bar per day and per day and mode', async () => {
    const charts = await page.$$eval('svg.chart', (all) =>
      all.map((svg) => ({
        label: svg.getAttribute('aria-label'),
        bars: svg.querySelectorAll('rect').length,
        width: svg.getBoundingClientRect().width,
      })),
    );
    expect(charts.map((c) => c.label)).toEqual([
      'bar chart of the declared value per day',
      'bar chart of the exceeded person-days per day',
      'bar chart of the declared value per day and transport mode',
    ]);
    expect(charts.every((c) => c.bars >= 1 && c.width > 100)).toBe(true);
    expect(charts[2]?.bars).toBeGreaterThanOrEqual(3); // truck, air, ocean in the fixture day
  });

  it('renders: a full-page screenshot (UPDATE_SCREENSHOT=1 writes docs/report-screenshot.png)', async () => {
    const path = process.env.UPDATE_SCREENSHOT === '1' ? 'docs/report-screenshot.png' : join(dir, 'shot.png');
    await page.screenshot({ path: path as `${string}.png`, fullPage: true });
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });

  it('--csv: one row per bill of each exceeded person-day, with a header', () => {
    const rows: Record<string, string>[] = parse(readFileSync(join(dir, 'report.csv')), { columns: true });
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    const acme = rows.filter((r) => r.consignee_id === '105541071');
    expect(acme.map((r) => [r.bill, r.mode, r.value_usd, r.person_day_total_usd, r.consignee_name])).toEqual([
      ['ACME/ACMEHTML001', 'truck', '500.00', '950.25', 'ACME IMPORTS <LLC>'],
      ['ACME/ACMEHTML002', 'truck', '450.25', '950.25', 'ACME IMPORTS <LLC>'],
    ]);
    expect(acme.every((r) => r.codes_sent !== '' && r.consignee_id_qualifier === '24')).toBe(true);
    // The Smiths are suspects, not exceeded: no rows of theirs.
    expect(rows.some((r) => (r.consignee_name ?? '').includes('SMITH'))).toBe(false);
  });
});

describe('s321 report honours the profile the decisions were made under', () => {
  it('a day the calendar now calls suspended, replayed under release2, is reported under release2', () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-profile-'));
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'late.edi'), truck309(801, '2025-09-15', bills.slice(0, 2)));
    const db = join(dir, 's.db');
    run(
      'replay',
      join(dir, 'in'),
      '--db',
      db,
      '--out',
      join(dir, 'out'),
      '--now',
      '2025-09-15T18:00',
      '--rules',
      'release2',
    );
    expect(run('report', '--db', db, '--csv', join(dir, 'r.csv')).status).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(join(dir, 'r.csv')), { columns: true });
    expect(rows.map((r) => [r.day, r.bill, r.person_day_total_usd, r.threshold_usd, r.profile])).toEqual([
      ['2025-09-15', 'ACME/ACMEHTML001', '950.25', '800.00', 'release2'],
      ['2025-09-15', 'ACME/ACMEHTML002', '950.25', '800.00', 'release2'],
    ]);
  });
});
