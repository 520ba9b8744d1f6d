/**
 * Issue code → acknowledgment code, keyed by Issue.code. One row says, per acknowledgment level,
 * which code the issue drives:
 *   ta1         TA105 interchange note code
 *   group       997/999 AK905 functional group syntax error code
 *   transaction 999 IK502 / 997 AK502 transaction set syntax error code
 *   segment     999 IK304 / 997 AK304 segment syntax error code
 *   element     999 IK403 / 997 AK403 data element syntax error code
 *   contrl      EDIFACT CONTRL 0085 syntax error code (at UCI, UCM, UCS or UCD depending on position)
 * A code missing from this table falls back to GENERIC_ACK_CODES. test/ack/ack-codes.test.ts
 * fails when a registered code announcing an acknowledgment (CodeSpec.ack) has no row here.
 */

export interface AckCodeMapping {
  ta1?: string;
  group?: string;
  transaction?: string;
  segment?: string;
  element?: string;
  contrl?: string;
  /** Not an error of the data but an unsupported message: IK5/AK5 'R' + '1', CONTRL UCM 0083=4. */
  unsupported?: boolean;
}

/** Used for codes without a row: the most neutral code of each level. */
export const GENERIC_ACK_CODES = {
  /** 024 Invalid Interchange Content */
  ta1: '024',
  /** No AK905 code is sent for an unknown group-level problem; AK901 says R. */
  group: null,
  /** 5 One or More Segments in Error */
  transaction: '5',
  /** 8 Segment Has Data Element Errors */
  segment: '8',
  /** 7 Invalid Code Value */
  element: '7',
  /** 18 Unspecified error */
  contrl: '18',
} as const;

// X12 reader codes are named X12_* (src/core/errors/x12-codes.ts), EDIFACT reader codes EDIFACT_*
// (edifact-codes.ts). Rows are added here as those codes are defined.
export const ACK_CODE_TABLE: Readonly<Record<string, AckCodeMapping>> = {
  // pipeline
  PIPELINE_UNSUPPORTED_MESSAGE: { transaction: '1', contrl: '17', unsupported: true },
  PIPELINE_DUPLICATE_INTERCHANGE: { ta1: '025', contrl: '26' },
  // intake (file level: only reach an acknowledgment when the reader attached them to an interchange)
  INTAKE_BOM: { ta1: '024', contrl: '18' },
  INTAKE_TOO_LARGE: { ta1: '024', contrl: '18' },
  INTAKE_NOT_EDI: { ta1: '024', contrl: '18' },
};

export interface ResolvedAckCodes {
  ta1: string;
  group: string | null;
  transaction: string;
  segment: string;
  element: string;
  contrl: string;
  unsupported: boolean;
  /** Levels the table names explicitly (the generic fallback names none). */
  explicit: ReadonlySet<'ta1' | 'group' | 'transaction' | 'segment' | 'element'>;
}

export function ackCodesFor(code: string, table: Readonly<Record<string, AckCodeMapping>> = ACK_CODE_TABLE): ResolvedAckCodes {
  const row = table[code] ?? {};
  const explicit = new Set<'ta1' | 'group' | 'transaction' | 'segment' | 'element'>();
  for (const k of ['ta1', 'group', 'transaction', 'segment', 'element'] as const) if (row[k] !== undefined) explicit.add(k);
  return {
    ta1: row.ta1 ?? GENERIC_ACK_CODES.ta1,
    group: row.group ?? GENERIC_ACK_CODES.group,
    transaction: row.transaction ?? GENERIC_ACK_CODES.transaction,
    segment: row.segment ?? GENERIC_ACK_CODES.segment,
    element: row.element ?? GENERIC_ACK_CODES.element,
    contrl: row.contrl ?? GENERIC_ACK_CODES.contrl,
    unsupported: row.unsupported === true,
    explicit,
  };
}
