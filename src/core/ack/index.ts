/** Acknowledgment of one inbound interchange: X12 → 999/997 (+ TA1), EDIFACT → CONTRL. */
import { buildContrl } from './contrl.js';
import type { AckRequest, GeneratedAck } from './types.js';
import { buildX12Ack } from './x12-ack.js';

export function buildAck(req: AckRequest): GeneratedAck {
  return req.input.interchange.standard === 'edifact' ? buildContrl(req) : buildX12Ack(req);
}

export {
  ACK_CODE_TABLE,
  type AckCodeMapping,
  type AckLevel,
  ackCodesFor,
  GENERIC_ACK_CODES,
} from './ack-codes.js';
export { classifyAck } from './classify.js';
export { buildContrl } from './contrl.js';
export type {
  AckInput,
  AckKind,
  AckMessage,
  AckRequest,
  AckStatus,
  AckSummary,
  GeneratedAck,
} from './types.js';
export { ackBaseName, buildX12Ack } from './x12-ack.js';
