/**
 * Acknowledgment input and output. The input is exactly what a reader reports through its sink
 * (src/core/model/reader.ts): the interchange header, every message header with its result, and
 * the interchange result. Control numbers and creation time are inputs, as for generators.
 */

import type { PartnerProfile } from '../generate/profile.js';
import type { ControlNumbersUsed } from '../generate/types.js';
import type { Issue } from '../model/issue.js';
import type { InterchangeHeader, InterchangeResult, MessageHeader, MessageResult } from '../model/reader.js';

export interface AckMessage {
  header: MessageHeader;
  result: MessageResult;
}

export interface AckInput {
  interchange: InterchangeHeader;
  messages: AckMessage[];
  result: InterchangeResult;
}

export type AckKind = '999' | '997' | 'CONTRL';

export interface AckRequest {
  input: AckInput;
  /** Profile of the partner that sent the inbound interchange (our ids, delimiters, 999/997 choice). */
  partner: PartnerProfile;
  /** Next free control numbers of this partner's outbound acknowledgments. */
  control: { interchange: number; group: number; firstMessage: number };
  created: { date: string; time: string };
  /** Default: 'CONTRL' for EDIFACT input, partner.x12.ack.kind for X12 input. */
  kind?: AckKind;
}

export type AckStatus = 'accepted' | 'accepted-with-errors' | 'partially-accepted' | 'rejected';

export interface AckSummary {
  interchange: { controlNumber: string; status: AckStatus; ta1Code: string | null };
  groups: Array<{ groupControl: string; status: AckStatus; codes: string[] }>;
  messages: Array<{
    groupControl: string;
    reference: string;
    type: string;
    status: AckStatus;
    codes: string[];
  }>;
}

export interface GeneratedAck {
  /** What was written: a 999/997 (possibly preceded by a TA1), a TA1 alone, or a CONTRL. */
  kind: '999' | '997' | 'TA1' | 'CONTRL';
  fileName: string;
  /** '' when ok is false or when nothing needs acknowledging (an empty interchange without errors). */
  content: string;
  charset: string;
  ok: boolean;
  messages: number;
  controlNumbers: ControlNumbersUsed;
  issues: Issue[];
  summary: AckSummary;
}
