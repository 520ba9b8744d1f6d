/**
 * The ack code table against the error registry: every registered code that announces an
 * acknowledgment (CodeSpec.ack) has a row, and the row drives the code the registry names.
 */
import { describe, expect, it } from 'vitest';
import { ACK_CODE_TABLE, ackCodesFor } from '../../src/core/ack/ack-codes.js';
import { CODES } from '../../src/core/errors/registry.js';

const withAck = Object.entries(CODES).filter(
  ([, spec]) => (spec as { ack?: string }).ack !== undefined,
) as Array<[string, { ack: string }]>;

describe('ack code table', () => {
  it('has a row for every registered code that drives an acknowledgment', () => {
    expect(withAck.length).toBeGreaterThan(0);
    expect(withAck.map(([code]) => code).filter((code) => ACK_CODE_TABLE[code] === undefined)).toEqual([]);
  });

  it('agrees with the code each registry entry announces', () => {
    const disagreements: string[] = [];
    for (const [code, { ack }] of withAck) {
      const row = ACK_CODE_TABLE[code] ?? {};
      const check = (re: RegExp, actual: string | undefined, what: string) => {
        const m = re.exec(ack);
        if (m !== null && m[1] !== actual)
          disagreements.push(`${code}: registry ${what}=${m[1]}, table ${actual}`);
      };
      check(/TA1:(\d{3})(?!-)/, row.ta1, 'TA1'); // 'TA1:005-020 by element' is a range, checked below
      check(/AK9=(\d+)/, row.group, 'AK905');
      check(/IK5=(\d+)/, row.transaction, 'IK502');
      check(/IK3=(\d+)/, row.segment, 'IK304');
      check(/0085=(\d+)/, row.contrl, '0085');
      const level = /CONTRL:(UCI|UCF|UCM|UCS)/.exec(ack)?.[1];
      const expectedLevel = { UCI: 'interchange', UCF: 'group', UCM: 'message', UCS: 'segment' }[level ?? ''];
      if (expectedLevel !== undefined && row.level !== expectedLevel)
        disagreements.push(`${code}: registry level ${level}, table ${row.level}`);
    }
    // PIPELINE_UNSUPPORTED_MESSAGE announces 'CONTRL:UCM=7' (acknowledged); s321 rejects unsupported
    // messages (UCM 0083=4, 0085=17) as its brief asks — the one known, deliberate difference.
    expect(disagreements).toEqual([]);
  });

  it('picks the TA105 code from the ISA element for X12_ISA_FIELD', () => {
    expect(ackCodesFor('X12_ISA_FIELD', 6).ta1).toBe('006');
    expect(ackCodesFor('X12_ISA_FIELD', 13).ta1).toBe('018');
    expect(ackCodesFor('X12_ISA_FIELD').ta1).toBe('022');
  });

  it('falls back to generic codes for unknown issue codes', () => {
    expect(ackCodesFor('SOMETHING_NEW')).toMatchObject({
      level: null,
      ta1: '024',
      transaction: '5',
      segment: '8',
      element: '7',
      contrl: '18',
    });
  });
});
