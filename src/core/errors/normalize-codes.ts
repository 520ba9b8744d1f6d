import { defineCodes } from './define.js';

/**
 * Shipment-level codes raised while mapping messages to shipment events. Owned by src/core/normalize/.
 * Errors reject one shipment (the others of the message still come out); warnings ride along.
 * 999/CONTRL mapping: shipment rejections are application-level, so they do not reject the
 * transaction set; the pipeline reports them in its own rejection records.
 */
export const NORMALIZE_CODES = defineCodes({
  NORMALIZE_MISSING_BILL: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'The shipment carries no bill of lading / shipment control number (M11-01, X4-01, RFF+BM).',
  },
  NORMALIZE_MISSING_ISSUER: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'No usable issuer SCAC for the bill (explicit issuer, carrier SCAC or SCAC prefix).',
  },
  NORMALIZE_BAD_AIR_WAYBILL: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'Air mode: the master air waybill is not a 3-digit airline prefix plus an 8-digit serial.',
  },
  NORMALIZE_AWB_CHECK_DIGIT: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary: 'Air waybill serial fails the mod-7 check digit (kept as sent).',
  },
  NORMALIZE_MISSING_CONSIGNEE: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'A declared or amended shipment names no usable consignee (UC or CN with a name or an id).',
  },
  NORMALIZE_BAD_DATE: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'A date or time element is not a valid calendar date / clock time in the expected format.',
  },
  NORMALIZE_UNKNOWN_TIME_ZONE: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'DTM format 303 carries a time zone designator that the profile does not know.',
  },
  NORMALIZE_MISSING_EDA: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary:
      'A declared or amended shipment has no estimated date of arrival (P4-02, DTM+132): no day to count it on.',
  },
  NORMALIZE_UNKNOWN_CURRENCY: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary:
      'The value currency is not in the rate table (or not an ISO 4217 code); no conversion is guessed.',
  },
  NORMALIZE_NO_RATE_FOR_DAY: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: "The rate table has the currency but no rate in force on the shipment's day.",
  },
  NORMALIZE_MIXED_CURRENCIES: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'The value lines of one shipment use different currencies; the event holds one amount as sent.',
  },
  NORMALIZE_NEGATIVE_AMOUNT: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'A value amount is negative.',
  },
  NORMALIZE_MALFORMED_AMOUNT: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'A value amount is not a decimal number with the message decimal mark (or is too large).',
  },
  NORMALIZE_UNKNOWN_MODE: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'The transport mode (M10-02, TDT 8067) is absent or not in the profile mode table.',
  },
  NORMALIZE_MISSING_CARRIER: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'The manifest names no carrier SCAC (M10-01, NAD+CA).',
  },
  NORMALIZE_UNKNOWN_ACTION: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary: 'The action / message function code (M13, BGM 1225) is not in the profile table.',
  },
  NORMALIZE_FUNCTIONAL_ID_MISMATCH: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary:
      'The functional group identifier (GS01) is not the one the profile expects for the transaction set.',
  },
  NORMALIZE_NO_SHIPMENTS: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary: 'The message holds no shipment loop (LX, CNI, X4, RFF+BM).',
  },
  NORMALIZE_RESIDUE_VALUE: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    summary:
      'A rail residue bill (M11-09 23) sends no customs value (N10-06) or one over $200; ACE rejects it (CSMS 12-000064), so it is not counted.',
  },
  NORMALIZE_S321_CONSIGNEE_STATE: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary:
      'A Section 321 shipment names a consignee without a valid U.S. state code (N4-02 / NAD 3229), which CBP requires for bill types 13 and 35 (CSMS 64824427); it is still counted.',
  },
  NORMALIZE_ET86_WITHOUT_ENTRY: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary: 'An ET86 shipment carries no entry number (N9 entry number, DOC+929 number, RFF+ABT).',
  },
  NORMALIZE_ENTRY_NUMBER_FORMAT: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary: 'The entry number is not a 3-character filer code plus 8 digits (kept as sent).',
  },
  NORMALIZE_CONFLICTING_SHIPMENT_TYPE: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary: 'The shipment is marked both S321 and ET86; ET86 is kept (an entry was filed).',
  },
  NORMALIZE_BAD_QUANTITY: {
    stage: 'normalize',
    severity: 'warning',
    retryable: false,
    summary: 'A quantity is not a non-negative whole number; pieces are left out.',
  },
});
