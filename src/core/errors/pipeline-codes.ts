import { defineCodes } from './define.js';

/** Codes of the pipeline, aggregation and adapters. */
export const PIPELINE_CODES = defineCodes({
  PIPELINE_DUPLICATE_INTERCHANGE: {
    stage: 'intake',
    severity: 'warning',
    retryable: false,
    summary:
      'The same interchange (sender, control number and content) was already processed; it is skipped.',
  },
  PIPELINE_UNSUPPORTED_MESSAGE: {
    stage: 'normalize',
    severity: 'error',
    retryable: false,
    ack: '999:IK5=R; CONTRL:UCM=4/0085=17',
    summary: 'The message type is read and its envelope checked, but s321 does not process it.',
  },
  PIPELINE_INTERCHANGE_TOO_LARGE: {
    stage: 'intake',
    severity: 'error',
    retryable: false,
    ack: 'TA1:024',
    summary: 'An interchange holds more shipments than one unit of work may buffer; it is rejected whole.',
  },
  PIPELINE_INPUT_READ_FAILED: {
    stage: 'adapter',
    severity: 'error',
    retryable: true,
    summary: 'The input could not be read (I/O error); it stays in place to be retried.',
  },
  PIPELINE_OUTBOUND_NAME_TAKEN: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      'An outbound file name is already recorded in the store (or named twice in one call); nothing of the call is recorded.',
  },
  PIPELINE_DECISION_ALREADY_EMITTED: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      'A decision is already in a recorded outbound file (two emitters raced); nothing of the call is recorded, so no decision is sent twice.',
  },
  PIPELINE_CONTROL_NUMBER_RANGE: {
    stage: 'adapter',
    severity: 'error',
    retryable: false,
    summary:
      'A control-number reservation of none, or of more numbers than the envelope field holds, is refused.',
  },
  PIPELINE_DAY_PRUNED: {
    stage: 'aggregate',
    severity: 'error',
    retryable: false,
    summary:
      "A shipment or status names a day before the store's retention watermark: that day's totals were pruned (docs/retention.md), so nothing can be decided on it; the event is rejected, never counted as new.",
  },
  PIPELINE_BILL_PRUNED: {
    stage: 'aggregate',
    severity: 'error',
    retryable: false,
    summary:
      'An amendment, deletion or status names a bill whose records were pruned by the retention window (docs/retention.md); the event is rejected, never counted as a new bill.',
  },
});
