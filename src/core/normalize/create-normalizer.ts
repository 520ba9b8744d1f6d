/**
 * Entry points: pick the normalizer for a message, or undefined when s321 does not process the
 * message type (the pipeline then acknowledges it as unsupported). X12 is chosen by the transaction
 * set id (ST01) — a GS01 that disagrees with the profile is a warning, not a refusal.
 */
import type { EdifactInterchangeHeader, MessageHeader, X12InterchangeHeader } from '../model/reader.js';
import type { EdifactSegment, X12Segment } from '../model/segment.js';
import { createCuscar } from './edifact-cuscar.js';
import { createCusres } from './edifact-cusres.js';
import type { MessageNormalizer, NormalizeContext } from './types.js';
import { createX12_309 } from './x12-309.js';
import { createX12_350 } from './x12-350.js';

export const PROCESSED_X12 = ['309', '350'] as const;
export const PROCESSED_EDIFACT = ['CUSCAR', 'CUSRES'] as const;

export function createX12Normalizer(
  ic: X12InterchangeHeader,
  msg: MessageHeader,
  ctx: NormalizeContext,
): MessageNormalizer<X12Segment> | undefined {
  switch (msg.type.trim()) {
    case '309':
      return createX12_309(ic, msg, ctx);
    case '350':
      return createX12_350(ic, msg, ctx);
    default:
      return undefined;
  }
}

export function createEdifactNormalizer(
  ic: EdifactInterchangeHeader,
  msg: MessageHeader,
  ctx: NormalizeContext,
): MessageNormalizer<EdifactSegment> | undefined {
  switch (msg.type.trim().toUpperCase()) {
    case 'CUSCAR':
      return createCuscar(ic, msg, ctx);
    case 'CUSRES':
      return createCusres(ic, msg, ctx);
    default:
      return undefined;
  }
}
