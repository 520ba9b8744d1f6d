/**
 * emitOutbound generates each file once, with the control numbers a reservation would give, and
 * reserves them only after the file could be generated. When another emitter of the same partner
 * reserves in between (partitioned emitters share one control-number store), the file must carry the
 * numbers actually reserved — generated again — so no two files share a number and none is skipped.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/adapters/clock/system-clock.js';
import { emitOutbound } from '../../src/app/emit-outbound.js';
import { storeWithDecisions } from './support/store-with-decisions.js';

const scratch = mkdtempSync(join(tmpdir(), 's321-emit-reservation-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** ISA13 (interchange) and every ST02 (message) of an X12 file. */
function x12Numbers(content: string): { isa: string; st: string[] } {
  const segments = content.split(/~\r?\n?/);
  const isa = (segments.find((s) => s.startsWith('ISA')) ?? '').split('*')[13] ?? '';
  const st = segments.filter((s) => s.startsWith('ST*')).map((s) => s.split('*')[2] ?? '');
  return { isa, st };
}

describe('emitOutbound reservation', () => {
  it('a reservation by another emitter between peek and reserve: the file carries the numbers reserved', async () => {
    const quiet = await storeWithDecisions(scratch, 'quiet', 12, 'R');
    const raced = await storeWithDecisions(scratch, 'raced', 12, 'R');
    const [pending] = await raced.pendingDecisions();
    expect(pending).toBeDefined();
    const partnerKey = `${pending?.channel}:${pending?.recipient}`;
    // Another emitter takes interchange, group and message numbers of this partner right after
    // this emitter looked at them (the real store, the real reservations).
    let raceDone = false;
    const racing = new Proxy(raced, {
      get(target, prop, receiver) {
        if (prop !== 'reserveControlNumbers') return Reflect.get(target, prop, receiver);
        return async (partner: string, kind: string, count: number, max: number): Promise<number> => {
          if (!raceDone && partner === partnerKey) {
            raceDone = true;
            for (const k of ['interchange', 'group', 'message'])
              await target.reserveControlNumbers(partnerKey, k, 1, max);
          }
          return target.reserveControlNumbers(partner, kind, count, max);
        };
      },
    });
    const clock = fixedClock('2025-06-10T18:00');
    const quietDir = join(scratch, 'quiet-out');
    const racedDir = join(scratch, 'raced-out');
    const a = await emitOutbound(quiet, quietDir, clock);
    const b = await emitOutbound(racing, racedDir, clock);
    expect(raceDone).toBe(true);
    expect(a.decisions).toBeGreaterThan(0);
    expect(b.decisions).toBe(a.decisions);
    const names = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.x12'));
    expect(names(quietDir)).toEqual([expect.stringMatching(/_000000001\.x12$/)]);
    expect(names(racedDir)).toEqual([expect.stringMatching(/_000000002\.x12$/)]);
    const quietFile = readFileSync(join(quietDir, names(quietDir)[0] as string), 'latin1');
    const racedFile = readFileSync(join(racedDir, names(racedDir)[0] as string), 'latin1');
    const q = x12Numbers(quietFile);
    const r = x12Numbers(racedFile);
    expect(q.isa).toBe('000000001');
    expect(r.isa).toBe('000000002');
    expect(q.st[0]).toBe('0001');
    expect(r.st[0]).toBe('0002');
    expect(r.st).toHaveLength(q.st.length);
    // Nothing used up beyond what the two emitters reserved: the next file is number 3.
    expect(await raced.peekControlNumbers(partnerKey, 'interchange', 1, 999_999_999)).toBe(3);
    await quiet.close();
    await raced.close();
  });
});
