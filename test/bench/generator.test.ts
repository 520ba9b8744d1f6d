import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateTraffic, type TrafficOptions } from '../../bench/traffic/index.js';

function digest(options: TrafficOptions): { hash: string; names: string[]; sizes: number[] } {
  const h = createHash('sha256');
  const names: string[] = [];
  const sizes: number[] = [];
  for (const f of generateTraffic(options)) {
    h.update(f.fileName);
    h.update(f.content);
    names.push(f.fileName);
    sizes.push(f.content.length);
  }
  return { hash: h.digest('hex'), names, sizes };
}

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('traffic generator', () => {
  it('gives the same bytes for the same seed and different bytes for another seed', () => {
    const a = digest({ seed: 42, shipments: 12_000 });
    const b = digest({ seed: 42, shipments: 12_000 });
    const c = digest({ seed: 43, shipments: 12_000 });
    expect(b.hash).toBe(a.hash);
    expect(b.names).toEqual(a.names);
    expect(c.hash).not.toBe(a.hash);
  });

  it('iterating the same Traffic twice repeats bytes and ground truth', () => {
    const traffic = generateTraffic({ seed: 9, shipments: 5_000 });
    const first = [...traffic].map((f) => createHash('sha1').update(f.content).digest('hex'));
    const truth1 = structuredClone(traffic.truth);
    const second = [...traffic].map((f) => createHash('sha1').update(f.content).digest('hex'));
    expect(second).toEqual(first);
    expect(traffic.truth).toEqual(truth1);
  });

  it('produces exactly the requested shipments, several files, several interchanges per file', () => {
    const traffic = generateTraffic({ seed: 1, shipments: 30_000, x12Share: 0.5 });
    const files = [...traffic];
    const t = traffic.truth;
    expect(t.shipments).toBe(30_000);
    expect(t.uniqueEvents.declared + t.uniqueEvents.amended + t.uniqueEvents.deleted).toBe(30_000);
    expect(files.length).toBe(t.files);
    expect(files.length).toBeGreaterThan(2);
    expect(t.bytes).toBe(files.reduce((n, f) => n + f.content.length, 0));
    // Streaming granularity: files of a few MB at most, never the whole traffic in one.
    for (const f of files) expect(f.content.length).toBeLessThan(12e6);
    const interchanges = t.interchanges.x12 + t.interchanges.edifact;
    expect(interchanges / files.length).toBeGreaterThan(3);
    // The X12 share is held per shipment, not per file coin.
    const x12 = t.eventsByStandard.x12;
    const x12Loops = x12.declared + x12.amended + x12.deleted;
    const all = t.events.declared + t.events.amended + t.events.deleted;
    expect(x12Loops / all).toBeGreaterThan(0.4);
    expect(x12Loops / all).toBeLessThan(0.6);
  });

  it('has the traffic mix the benchmark is meant to carry', () => {
    const traffic = generateTraffic({
      seed: 5,
      shipments: 60_000,
      personDayStats: true,
      duplicateRate: 0.1,
      interchangeSize: [200, 600],
    });
    const files = [...traffic];
    const t = traffic.truth;
    for (const mode of ['truck', 'air', 'ocean', 'rail', 'mail'] as const)
      expect(t.byMode[mode]).toBeGreaterThan(0);
    expect(t.byMode.mail / t.shipments).toBeLessThan(0.15);
    expect(t.uniqueEvents.amended).toBeGreaterThan(0);
    expect(t.uniqueEvents.deleted).toBeGreaterThan(0);
    expect(t.duplicateInterchanges).toBeGreaterThan(0);
    expect(t.events.declared).toBeGreaterThan(t.uniqueEvents.declared);
    expect(t.et86).toBeGreaterThan(0);
    expect(t.express).toBeGreaterThan(0);
    expect(t.statusAhead).toBeGreaterThan(0);
    expect(t.arrivals).toBeGreaterThan(0);
    const foreign = t.foreignCurrencyLines / t.goodsLines;
    expect(foreign).toBeGreaterThan(0.03);
    expect(foreign).toBeLessThan(0.15);
    const cnhk = t.cnHkOriginLines / t.goodsLines;
    expect(cnhk).toBeGreaterThan(0.05);
    expect(cnhk).toBeLessThan(0.3);
    // A realistic minority of person-days crosses $800; a few consignees are heavy.
    const pd = t.personDays;
    expect(pd).toBeDefined();
    expect(pd?.exceededShare).toBeGreaterThan(0.005);
    expect(pd?.exceededShare).toBeLessThan(0.1);
    expect(pd?.maxShipments).toBeGreaterThan(50);
    expect((pd?.personDays ?? 0) / t.shipments).toBeGreaterThan(0.4);

    const text = files.map((f) => latin1(f.content)).join('');
    // CBP's layouts: the Section 321 bill type in M11-09 (truck 13 / 35, rail 23 with its N9*ZF
    // bill), the consignee in N1*CN; no formats.md N9*ZZ markers.
    expect(text).not.toContain('N9*ZZ*');
    expect(text).not.toContain('GIS+');
    expect(text).toMatch(/M11\*[A-Z]{4}\d{10}\*\d{4}\*\d+\*PCS\*{5}13~/);
    expect(text).toMatch(/M11\*[A-Z]{4}\d{10}\*\d{4}\*\d+\*PCS\*{5}35~/);
    expect(text).toMatch(/M11\*[A-Z]{4}\d{10}\*\d{4}\*\d+\*PCS\*{5}23~\s*N9\*ZF\*[A-Z]{4}\d{10}~/);
    expect(text).toMatch(/N1\*CN\*/);
    expect(text).not.toMatch(/N1\*UC\*/);
    expect(text).toContain('N9*ET*86~');
    expect(text).toMatch(/N9\*EN\*[A-Z0-9]{3}\d{8}~/);
    expect(text).toMatch(/M13\*[A-Z]{4}\*\d{4}\*C~/);
    expect(text).toMatch(/M13\*[A-Z]{4}\*\d{4}\*D~/);
    expect(text).toMatch(/X4\*[A-Z0-9]+\*\d\*\*\*\d{8}\*\d{4}\*19\*\*[A-Z]{4}~/);
    expect(text).toContain('BGM+85+');
    expect(text).toMatch(/BGM\+85\+[A-Z]{4}\d{8}\+5'/);
    expect(text).toMatch(/BGM\+85\+[A-Z]{4}\d{8}\+3'/);
    expect(text).toMatch(/UNH\+\d+\+CUSRES:D:03B:UN'/);
    expect(text).toMatch(/CNI\+\d+\+:23'\s*DOC\+929:::(13|35)'\s*RFF\+AAM:/);
    expect(text).toMatch(/CNI\+\d+\+:23'\s*DOC\+929:::86'\s*RFF\+AAM:/);
    expect(text).toMatch(/NAD\+CN\+/);
    expect(text).toMatch(/BGM\+34:::ST\+/);
    expect(text).toMatch(/ERP\+1'\s*ERC\+SN030'/);
    expect(text).toMatch(
      /DOC\+929:::13\+[A-Z0-9]+'\s*RFF\+AAM:[A-Z0-9]+'\s*DTM\+163:\d{12}:203'\s*ERP\+2'\s*ERC\+SN05[03]'/,
    );
    expect(text).toMatch(/MOA\+40:\d+[.,]\d{2}:(EUR|CAD|GBP|CNY)'/);
    expect(text).toMatch(/\*\*(EUR|CAD|GBP|CNY)~/);
    // Release character in data: apostrophes and plus signs are escaped in EDIFACT.
    expect(text).toMatch(/O\?'(BRIEN|CONNOR|NEILL)/);
    expect(text).toContain('CHARGER?+CABLE');
    // Latin-1 letters only where the interchange declares UNOC.
    expect(text).toMatch(/M\xdcLLER|N\xda\xd1EZ|JOS\xc9/);
  });

  it('puts the estimated arrival on the configured days', () => {
    const traffic = generateTraffic({ seed: 3, shipments: 8_000, startDay: '2025-08-30', days: 3 });
    const files = [...traffic];
    const text = files.map((f) => latin1(f.content)).join('');
    const p4Days = new Set([...text.matchAll(/~\n?P4\*\d{4}\*(\d{8})/g)].map((m) => m[1]));
    const dtmDays = new Set([...text.matchAll(/DTM\+132:(\d{8})\d{4}:203'/g)].map((m) => m[1]));
    for (const d of [...p4Days, ...dtmDays]) expect(['20250830', '20250831', '20250901']).toContain(d);
    expect(p4Days.size + dtmDays.size).toBeGreaterThan(2);
    expect(files[0]?.fileName).toMatch(/^20250830-000000\.(x12|edi)$/);
  });

  it('rejects a malformed start day and a negative size', () => {
    expect(() => [...generateTraffic({ seed: 1, shipments: 10, startDay: '2025/06/01' })]).toThrow(
      /YYYY-MM-DD/,
    );
    expect(() => generateTraffic({ seed: 1, shipments: -1 })).toThrow(/non-negative/);
  });
});
