/**
 * Conformance, inbound CUSCAR: CBP's own ACE truck CUSCAR sample (shared/corpus, CBP sample
 * cuscar_012_30_3) and the same message marked Section 321 as real ones are (DOC+929:::13 / :::35
 * right after CNI; CNI's second component is the action 23 add / 24 change / 22 cancel, not a type).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edifact, facts, read } from './support.js';

const SAMPLE = join(import.meta.dirname, '../../../shared/corpus/edifact/cbp-ace-cuscar-truck.edi');
const sample = readFileSync(SAMPLE, 'latin1');

/**
 * The sample with `replace` applied and segments inserted after the segment that starts with each
 * `after` text; UNT is recounted (segments from UNH to UNT).
 */
function edited(
  inserts: ReadonlyArray<readonly [string, readonly string[]]>,
  replace: Record<string, string> = {},
): string {
  let text = sample;
  for (const [from, to] of Object.entries(replace)) text = text.replace(from, to);
  for (const [after, add] of inserts) {
    const end = text.indexOf("'", text.indexOf(after)) + 1;
    text = `${text.slice(0, end)}${add.map((s) => `\r\n${s}'`).join('')}${text.slice(end)}`;
  }
  const body = text.slice(text.indexOf('UNH+'), text.indexOf('UNT+'));
  const count = body.split("'").length; // segments before UNT, plus UNT itself
  return text.replace(/UNT\+\d+\+CUSCAR54/, `UNT+${count}+CUSCAR54`);
}

describe("CBP's truck CUSCAR sample", () => {
  const run = read(sample);

  it('reads as one new truck shipment that is not Section 321 (no DOC+929): not counted', () => {
    expect(run.rejected).toEqual([]);
    expect(run.events.map(facts)).toEqual([
      {
        bill: 'LOCK/LOCKKH041122106',
        kind: 'declared',
        mode: 'truck',
        type: 'other',
        consignee: 'CN KATHY SMITH',
        cents: undefined,
        day: '2004-12-30',
      },
    ]);
  });

  it('takes the consignee from NAD+CN (id 65424, qualifier 109), the SCN from RFF+AAM, the EDA from DTM+132 format 203', () => {
    const ev = run.events[0];
    expect(ev?.consignee).toMatchObject({ role: 'CN', id: '65424', idQualifier: '109', state: 'MD' });
    expect([ev?.bill.scn, ev?.eda, ev?.edaTime, ev?.port, ev?.carrierScac]).toEqual([
      'LOCKKH041122106',
      '2004-12-30',
      '12:00',
      '0901',
      'LOCK',
    ]);
  });

  it('the same message with DOC+929:::13 or :::35 after CNI is Section 321, valued by MOA+40', () => {
    for (const type of ['13', '35']) {
      const marked = read(
        edited([
          ['CNI+3741+:23', [`DOC+929:::${type}`]],
          ['PAC+158++COL', ['MOA+40:650:USD']],
        ]),
      );
      expect(marked.rejected).toEqual([]);
      expect(marked.events.map(facts)).toEqual([
        {
          bill: 'LOCK/LOCKKH041122106',
          kind: 'declared',
          mode: 'truck',
          type: 'S321',
          consignee: 'CN KATHY SMITH',
          cents: 65000,
          day: '2004-12-30',
        },
      ]);
    }
  });

  it("CNI's action: 24 is a change, 22 a cancellation", () => {
    const change = read(edited([['CNI+3741+:24', ['DOC+929:::13']]], { 'CNI+3741+:23': 'CNI+3741+:24' }));
    expect(change.events.map((e) => [e.kind, e.shipmentType])).toEqual([['amended', 'S321']]);
    const cancel = read(edited([], { 'CNI+3741+:23': 'CNI+3741+:22' }));
    expect(cancel.events.map((e) => [e.kind, e.consignee])).toEqual([['deleted', undefined]]);
  });
});

describe('truck CUSCAR written like the CBP sample, several consignments', () => {
  it('types each consignment by its DOC+929; a consignment without it is not counted', () => {
    const head = [
      'BGM+85:::STANDARD+ACMETRIP1015+22',
      'DTM+132:202510150830:203',
      'LOC+60+0901:77',
      'NAD+CA+ACME:172+++1 DEPOT RD+BUFFALO+NY:163+14201',
      'TDT+11++03+:::BT++I++:109::10000324',
    ];
    const cni = (n: number, action: string, doc: string[], scn: string, value: string) => [
      `CNI+${n}+:${action}`,
      ...doc,
      `RFF+AAM:${scn}`,
      'NAD+CN+++SAM LEE+40 PARK AVE+BUFFALO+NY:163+14201+US',
      'GID+1',
      'FTX+AAA+++SCARVES',
      `MOA+40:${value}:USD`,
    ];
    const run = read(
      edifact('ACME', 'CUSCAR', [
        [
          ...head,
          ...cni(1, '23', ['DOC+929:::13'], 'ACME1015001', '350'),
          ...cni(2, '23', ['DOC+929:::35'], 'ACME1015002', '480'),
          ...cni(3, '23', [], 'ACME1015003', '5000'),
          ...cni(4, '23', ['DOC+929:::86+AB123456789'], 'ACME1015004', '120'),
        ],
      ]),
    );
    expect(run.readerIssues).toEqual([]);
    expect(run.events.map((e) => [...Object.values(facts(e)), e.entryNumber])).toEqual([
      ['ACME/ACME1015001', 'declared', 'truck', 'S321', 'CN SAM LEE', 35000, '2025-10-15', undefined],
      ['ACME/ACME1015002', 'declared', 'truck', 'S321', 'CN SAM LEE', 48000, '2025-10-15', undefined],
      ['ACME/ACME1015003', 'declared', 'truck', 'other', 'CN SAM LEE', 500000, '2025-10-15', undefined],
      ['ACME/ACME1015004', 'declared', 'truck', 'ET86', 'CN SAM LEE', 12000, '2025-10-15', 'AB123456789'],
    ]);
  });
});
