/**
 * Conformance end to end: manifests and statuses in CBP's layouts go through `runReplay` (SQLite,
 * outbound files) on the default profile. A truck 309 with bill types 13/35 and the consignee in
 * N1*CN, and CBP's CUSCAR sample marked DOC+929:::13, are counted and their carriers notified; a
 * non-321 bill is not counted; under Release 3 a 19 / SN030 arrival moves a bill's day, a 1C does not.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../src/app/replay.js';
import type { RulesProfile } from '../../src/core/model/decision.js';
import { edifact, x12 } from './support.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-conformance-'));

async function replay(name: string, files: Record<string, string>, rules: RulesProfile) {
  const dir = join(scratch, name);
  const inbox = join(dir, 'in');
  mkdirSync(inbox, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(inbox, file), text, 'latin1');
  const out = join(dir, 'out');
  const summary = await runReplay({
    inputs: [inbox],
    dbPath: join(dir, 's.db'),
    outDir: out,
    now: '2025-10-16T12:00',
    rules,
  });
  const file = join(out, 'decisions.jsonl');
  const decisions = (existsSync(file) ? readFileSync(file, 'utf8') : '')
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) =>
        JSON.parse(l) as Record<'bill' | 'channel' | 'code' | 'recipient' | 'day', string> & {
          totalCents: number;
        },
    );
  // Sorted by bill: the order decisions are made in (crossing first) is not what these tests are about.
  const rows = decisions.map((d) => [d.bill, d.channel, d.code, d.recipient, d.day, d.totalCents] as const);
  return { summary, decisions: rows.sort((a, b) => a[0].localeCompare(b[0])) };
}

const CN = ['N1*CN*SAM LEE', 'N3*40 PARK AVE', 'N4*BUFFALO*NY*14201*US'];
const truck309 = (lines: string[]) =>
  x12('BORDERTRUCK', { id: 'AQ', version: '005020' }, [
    { st: '309', body: ['M10*BRDR*J*CA*1**TRIP1014', ...lines] },
  ]);
const lx = (n: number, scn: string, type: string, value: string) => [
  `LX*${n}`,
  `M11*${scn}*0901*1*CTN*3*K***${type}***BRDR`,
  ...CN,
  `N10*1*GOODS**HS*6117100010*${value}*****CA`,
];

describe('a CBP-layout truck 309 is counted and notified', () => {
  it('13 + 35 over $800 for one consignee: both bills get the truck 350 warning 95; the bill type 24 is not counted', async () => {
    const { decisions } = await replay(
      'truck',
      {
        '01.edi': truck309([
          'P4*0901*20251015***0830',
          ...lx(1, 'BRDR1014001', '13', '350'),
          ...lx(2, 'BRDR1014002', '24', '5000'),
          ...lx(3, 'BRDR1014003', '35', '480'),
        ]),
      },
      'release2',
    );
    expect(decisions).toEqual([
      ['BRDR/BRDR1014001', 'truck-x12-350', '95', 'BRDR', '2025-10-15', 83000],
      ['BRDR/BRDR1014003', 'truck-x12-350', '95', 'BRDR', '2025-10-15', 83000],
    ]);
  });
});

describe("CBP's truck CUSCAR sample marked Section 321 is counted and notified", () => {
  it('DOC+929:::13 with MOA+40 over $800: the carrier gets the CUSRES SN517', async () => {
    const sample = readFileSync(
      join(import.meta.dirname, '../../../shared/corpus/edifact/cbp-ace-cuscar-truck.edi'),
      'latin1',
    )
      .replace("CNI+3741+:23'", "CNI+3741+:23'\r\nDOC+929:::13'")
      .replace("PAC+158++COL'", "PAC+158++COL'\r\nMOA+40:850:USD'")
      .replace('UNT+38+CUSCAR54', 'UNT+40+CUSCAR54');
    const { decisions } = await replay('cuscar', { '01.edi': sample }, 'release2');
    expect(decisions).toEqual([
      ['LOCK/LOCKKH041122106', 'truck-cusres', 'SN517', 'LOCK', '2004-12-30', 85000],
    ]);
  });

  it('the unmarked sample is not Section 321: nothing is counted or sent', async () => {
    const sample = readFileSync(
      join(import.meta.dirname, '../../../shared/corpus/edifact/cbp-ace-cuscar-truck.edi'),
      'latin1',
    )
      .replace("PAC+158++COL'", "PAC+158++COL'\r\nMOA+40:850:USD'")
      .replace('UNT+38+CUSCAR54', 'UNT+39+CUSCAR54');
    const { decisions, summary } = await replay('cuscar-other', { '01.edi': sample }, 'release2');
    expect(summary.shipments).toBe(1);
    expect(decisions).toEqual([]);
  });
});

describe('Release 3 counts on the actual arrival: 19 / SN030, not 1C', () => {
  const manifest = truck309([
    'P4*0901*20251015***0830',
    ...lx(1, 'BRDR1015001', '13', '500'),
    'P4*0901*20251016***0830',
    ...lx(2, 'BRDR1016001', '13', '400'),
  ]);
  const x350 = (code: string) =>
    x12(
      'CBPACE',
      { id: 'AU', version: '004060' },
      [
        {
          st: '350',
          body: ['M10*BRDR*J*US*1', 'P4*0901*20251016', `X4*BRDR1015001*1*01**20251016*0030*${code}**BRDR`],
        },
      ],
      '000000902',
    );

  it('a 350 disposition 19 on the next day moves the first bill there: the day exceeds', async () => {
    const { decisions } = await replay('r3-19', { '01.edi': manifest, '02.edi': x350('19') }, 'release3');
    expect(decisions.map((d) => [d[0], d[4], d[5]])).toEqual([
      ['BRDR/BRDR1015001', '2025-10-16', 90000],
      ['BRDR/BRDR1016001', '2025-10-16', 90000],
    ]);
  });

  it('a 1C (release) moves nothing: no day exceeds', async () => {
    const { decisions } = await replay('r3-1c', { '01.edi': manifest, '02.edi': x350('1C') }, 'release3');
    expect(decisions).toEqual([]);
  });

  it('a CUSRES trip SN030 with DTM+163 on the next day does what the 19 does', async () => {
    const cusres = edifact('CBPACE', 'CUSRES', [
      [
        'BGM+34:::ST+TRIP1015',
        'DTM+163:202510160030:203',
        'TDT+20+TRIP1015+3',
        'NAD+CA+BRDR::172',
        'ERP+1',
        'ERC+SN030',
        'DOC+929:::13+BRDR1015001',
        'RFF+AAM:BRDR1015001',
        'ERP+2',
        'ERC+SN053',
      ],
    ]);
    const { decisions } = await replay('r3-sn030', { '01.edi': manifest, '02.edi': cusres }, 'release3');
    expect(decisions.map((d) => [d[0], d[4], d[5]])).toEqual([
      ['BRDR/BRDR1015001', '2025-10-16', 90000],
      ['BRDR/BRDR1016001', '2025-10-16', 90000],
    ]);
  });
});
