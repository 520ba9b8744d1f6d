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

export type AckLevel = 'interchange' | 'group' | 'message' | 'segment' | 'element';

export interface AckCodeMapping {
  /** Level the issue is acknowledged at; when absent it follows the position. */
  level?: AckLevel;
  ta1?: string;
  /** TA105 chosen by the ISA element the issue names (X12_ISA_FIELD). */
  ta1ByElement?: Readonly<Record<number, string>>;
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

/** TA105 per ISA element: 010–013 authorization/security, 005–008 ids, 014–020 date…usage, 027 ISA16. */
const TA1_BY_ISA_ELEMENT: Readonly<Record<number, string>> = {
  1: '010',
  2: '011',
  3: '012',
  4: '013',
  5: '005',
  6: '006',
  7: '007',
  8: '008',
  9: '014',
  10: '015',
  11: '016',
  12: '017',
  13: '018',
  14: '019',
  15: '020',
  16: '027',
};

export const ACK_CODE_TABLE: Readonly<Record<string, AckCodeMapping>> = {
  // pipeline
  PIPELINE_UNSUPPORTED_MESSAGE: { level: 'message', transaction: '1', contrl: '17', unsupported: true },
  PIPELINE_DUPLICATE_INTERCHANGE: { level: 'interchange', ta1: '025', contrl: '26' },
  PIPELINE_INTERCHANGE_TOO_LARGE: { level: 'interchange', ta1: '024', contrl: '18' },
  // intake (file level: only reach an acknowledgment when attached to an interchange)
  INTAKE_BOM: { level: 'interchange', ta1: '024', contrl: '18' },
  INTAKE_TOO_LARGE: { level: 'interchange', ta1: '024', contrl: '18' },
  INTAKE_NOT_EDI: { level: 'interchange', ta1: '024', contrl: '18' },
  // X12 reader (src/core/errors/x12-codes.ts)
  X12_ISA_INVALID: { level: 'interchange', ta1: '022' },
  X12_ISA_LENGTH: { level: 'interchange', ta1: '022' },
  X12_ISA_FIELD: { level: 'interchange', ta1: '022', ta1ByElement: TA1_BY_ISA_ELEMENT },
  X12_IEA_COUNT: { level: 'interchange', ta1: '021' },
  X12_IEA_CONTROL: { level: 'interchange', ta1: '001' },
  X12_IEA_MISSING: { level: 'interchange', ta1: '023' },
  X12_GS_INVALID: { level: 'interchange', ta1: '024' },
  X12_SEGMENT_OUTSIDE_ENVELOPE: { level: 'interchange', ta1: '024' },
  X12_JUNK_OUTSIDE_INTERCHANGE: { level: 'interchange', ta1: '024' },
  X12_GE_COUNT: { level: 'group', group: '5' },
  X12_GE_CONTROL: { level: 'group', group: '4' },
  X12_GE_MISSING: { level: 'group', group: '3' },
  X12_ST_INVALID: { level: 'message', transaction: '6' },
  X12_SE_COUNT: { level: 'message', transaction: '4' },
  X12_SE_CONTROL: { level: 'message', transaction: '3' },
  X12_SE_MISSING: { level: 'message', transaction: '2' },
  X12_SEGMENT_TOO_LONG: { level: 'message', transaction: '5' },
  X12_SEGMENT_TAG_INVALID: { level: 'segment', segment: '1' },
  X12_SEGMENT_EMPTY: { level: 'segment', segment: '1' },
  X12_BINARY_INVALID: { level: 'segment', segment: '8' },
  // EDIFACT reader (src/core/errors/edifact-codes.ts); levels UCI / UCF / UCM / UCS
  EDIFACT_UNA_INVALID: { level: 'interchange', contrl: '20' },
  EDIFACT_SEGMENT_TOO_LONG: { level: 'interchange', contrl: '18' },
  EDIFACT_UNB_INVALID: { level: 'interchange', contrl: '13' },
  EDIFACT_UNZ_COUNT: { level: 'interchange', contrl: '29' },
  EDIFACT_UNZ_REFERENCE: { level: 'interchange', contrl: '28' },
  EDIFACT_MISSING_UNZ: { level: 'interchange', contrl: '13' },
  EDIFACT_UNMATCHED_TRAILER: { level: 'interchange', contrl: '33' },
  EDIFACT_GROUPS_MIXED: { level: 'interchange', contrl: '30' },
  EDIFACT_SEGMENT_OUTSIDE_MESSAGE: { level: 'interchange', contrl: '33' },
  EDIFACT_MESSAGE_OUTSIDE_INTERCHANGE: { level: 'interchange', contrl: '33' },
  EDIFACT_SEGMENT_OUTSIDE_INTERCHANGE: { level: 'interchange', contrl: '33' },
  EDIFACT_UNG_INVALID: { level: 'group', contrl: '13' },
  EDIFACT_UNE_COUNT: { level: 'group', contrl: '29' },
  EDIFACT_UNE_REFERENCE: { level: 'group', contrl: '28' },
  EDIFACT_MISSING_UNE: { level: 'group', contrl: '13' },
  EDIFACT_UNH_INVALID: { level: 'message', contrl: '13' },
  EDIFACT_UNT_COUNT: { level: 'message', contrl: '29' },
  EDIFACT_UNT_REFERENCE: { level: 'message', contrl: '28' },
  EDIFACT_MISSING_UNT: { level: 'message', contrl: '13' },
  EDIFACT_BAD_TAG: { level: 'segment', contrl: '22' },
};

export interface ResolvedAckCodes {
  level: AckLevel | null;
  ta1: string;
  group: string | null;
  transaction: string;
  segment: string;
  element: string;
  contrl: string;
  unsupported: boolean;
}

export function ackCodesFor(
  code: string,
  element: number | undefined = undefined,
  table: Readonly<Record<string, AckCodeMapping>> = ACK_CODE_TABLE,
): ResolvedAckCodes {
  const row = table[code] ?? {};
  const byElement = element === undefined ? undefined : row.ta1ByElement?.[element];
  return {
    level: row.level ?? null,
    ta1: byElement ?? row.ta1 ?? GENERIC_ACK_CODES.ta1,
    group: row.group ?? GENERIC_ACK_CODES.group,
    transaction: row.transaction ?? GENERIC_ACK_CODES.transaction,
    segment: row.segment ?? GENERIC_ACK_CODES.segment,
    element: row.element ?? GENERIC_ACK_CODES.element,
    contrl: row.contrl ?? GENERIC_ACK_CODES.contrl,
    unsupported: row.unsupported === true,
  };
}
