/**
 * The shipped rule calendar (schemas/profiles/rules-calendar.json, rules.md §5, ace-sources.md "Rule
 * calendar additions"): the February 2025 China / Hong Kong window (CSMS 63992482, 64082249), the
 * suspension (CSMS 66065494) and the statutory repeal of July 1, 2027 (P.L. 119-21), as eras and
 * as what a shipment on those days gets.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDecisionStore } from '../../src/adapters/store/memory-store.js';
import { SqliteDecisionStore } from '../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { ineligibleLine } from '../../src/cli/commands/report.js';
import type { Decision } from '../../src/core/model/decision.js';
import { parseRuleCalendar } from '../../src/core/rules/calendar.js';
import { aggregationConfig, DEFAULT_RULE_CALENDAR } from '../../src/core/rules/defaults.js';
import { ev } from './event-builder.js';

const rules = aggregationConfig().rules;

describe('rule calendar', () => {
  it.each([
    ['2025-02-03', 'release2', [], false],
    ['2025-02-04', 'release2', ['CN', 'HK'], false],
    ['2025-02-06', 'release2', ['CN', 'HK'], false],
    ['2025-02-07', 'release2', [], false],
    ['2025-05-01', 'release2', [], false],
    ['2025-05-02', 'release2', ['CN', 'HK'], false],
    ['2025-08-28', 'release3', ['CN', 'HK'], false],
    ['2025-08-29', 'suspended', ['CN', 'HK'], true],
    ['2027-06-30', 'suspended', ['CN', 'HK'], true],
    ['2027-07-01', 'repealed', ['CN', 'HK'], true],
  ])('%s: %s, excluded origins %j, suspended %s', (day, profile, excluded, suspended) => {
    const era = rules.eraFor(day);
    expect([era.profile, era.excludedOrigins, era.suspended]).toEqual([profile, excluded, suspended]);
  });

  it('CN / HK goods are ineligible on 2025-02-04 to 02-06 and counted again from 02-07', async () => {
    const store = new MemoryDecisionStore();
    const out = await applyBatch(
      store,
      [
        {
          sender: 'S',
          controlNumber: '1',
          fingerprint: 'f',
          file: 'f.edi',
          events: [
            ev({ bill: 'C3', cents: 100, day: '2025-02-03', origin: 'CN' }),
            ev({ bill: 'C4', cents: 100, day: '2025-02-04', origin: 'CN' }),
            ev({ bill: 'H6', cents: 100, day: '2025-02-06', origin: 'HK' }),
            ev({ bill: 'C7', cents: 100, day: '2025-02-07', origin: 'CN' }),
            ev({ bill: 'V5', cents: 100, day: '2025-02-05', origin: 'VN' }),
          ],
        },
      ],
      aggregationConfig(),
    );
    expect(out.decisions.map((d) => [d.bill, d.code])).toEqual([
      ['ABCD/C4', 'INELIGIBLE-ORIGIN'],
      ['ABCD/H6', 'INELIGIBLE-ORIGIN'],
    ]);
    expect((await store.personDays()).map((p) => p.day)).toEqual(['2025-02-03', '2025-02-05', '2025-02-07']);
  });

  it('under the suspension and after the repeal every shipment is reported ineligible, saying ACE rejects the claim', async () => {
    const store = new MemoryDecisionStore();
    const out = await applyBatch(
      store,
      [
        {
          sender: 'S',
          controlNumber: '1',
          fingerprint: 'f',
          file: 'f.edi',
          events: [
            ev({ bill: 'S', cents: 100, day: '2026-03-02' }),
            ev({ bill: 'E', cents: 100, day: '2026-03-02', mode: 'ocean', type: 'ET86', broker: 'BRK' }),
            ev({ bill: 'R', cents: 100, day: '2027-07-01' }),
            ev({ bill: 'O', cents: 100, day: '2027-07-01', type: 'other' }),
          ],
        },
      ],
      aggregationConfig(),
    );
    expect(out.decisions.map((d) => [d.bill, d.code, d.role, d.profile])).toEqual([
      ['ABCD/S', 'INELIGIBLE-SUSPENDED', 'ineligible', 'suspended'],
      ['ABCD/E', 'INELIGIBLE-SUSPENDED', 'ineligible', 'suspended'],
      ['ABCD/R', 'INELIGIBLE-REPEALED', 'ineligible', 'repealed'],
    ]);
    const [suspended, , repealed] = out.decisions;
    expect(suspended?.text).toMatch(
      /ACE REJECTS SECTION 321 MANIFEST CLAIMS AND TYPE 86 ENTRIES \(CSMS 66065494\)/,
    );
    expect(repealed?.text).toMatch(/REPEALED.*2027-07-01.*NO SECTION 321 OR TYPE 86 CLAIM IS ACCEPTED/);
    expect(await store.personDays()).toEqual([]);
  });

  it('s321 report lists ineligible shipments; a suspended one says ACE rejects the claim, even as recorded before', async () => {
    const store = new SqliteDecisionStore(join(mkdtempSync(join(tmpdir(), 's321-report-')), 'state.db'));
    try {
      await applyBatch(
        store,
        [
          {
            sender: 'S',
            controlNumber: '1',
            fingerprint: 'f',
            file: 'f.edi',
            events: [
              ev({ bill: 'S', cents: 100, day: '2025-09-02' }),
              ev({ bill: 'C', cents: 100, day: '2025-02-05', origin: 'CN' }),
            ],
          },
        ],
        aggregationConfig(),
      );
      const lines = store.ineligibleReports().map((d) => ineligibleLine(d));
      expect(lines).toEqual([
        '2025-09-02  INELIGIBLE  INELIGIBLE-SUSPENDED  ABCD/S  DE MINIMIS SUSPENDED FOR ALL COUNTRIES - ACE REJECTS SECTION 321 MANIFEST CLAIMS AND TYPE 86 ENTRIES (CSMS 66065494)  (not counted)\n',
        '2025-02-05  INELIGIBLE  INELIGIBLE-ORIGIN  ABCD/C  ORIGIN CN NOT ELIGIBLE FOR DE MINIMIS  (not counted)\n',
      ]);
      expect(store.ineligibleReports('2025-02-05').map((d) => d.bill)).toEqual(['ABCD/C']);
      // A decision recorded with the earlier wording still reads as a rejected claim.
      const old = {
        ...(store.ineligibleReports('2025-09-02')[0] as Decision),
        text: 'DE MINIMIS SUSPENDED FOR ALL COUNTRIES',
      };
      expect(ineligibleLine(old)).toMatch(/ACE REJECTS .* \(CSMS 66065494\)/);
    } finally {
      await store.close();
    }
  });

  it('--rules suspended still replays the suspension (not the repeal)', () => {
    const forced = aggregationConfig({ rulesOverride: 'suspended' }).rules.eraFor('2025-06-10');
    expect([forced.from, forced.ineligible?.code]).toEqual(['2025-08-29', 'INELIGIBLE-SUSPENDED']);
  });

  it('every era names its source; a report code must be an INELIGIBLE-* code', () => {
    for (const era of DEFAULT_RULE_CALENDAR.eras) expect(era.note.length).toBeGreaterThan(10);
    const bad = structuredClone(DEFAULT_RULE_CALENDAR);
    (bad.eras[bad.eras.length - 1] as { ineligible?: unknown }).ineligible = { code: 'REPEALED', text: 'x' };
    expect(() => parseRuleCalendar(bad)).toThrow();
  });
});
