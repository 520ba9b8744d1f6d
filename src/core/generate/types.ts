/**
 * Contract of the outbound channel generators: one batch of decisions for one recipient and one
 * channel in, one file out. Creation date/time and control numbers are inputs (the adapter persists
 * control numbers per partner); generators never read a clock.
 */
import type { Channel, Decision } from '../model/decision.js';
import type { Issue } from '../model/issue.js';
import type { PartnerProfile } from './profile.js';

export type { PartnerProfile } from './profile.js';

export interface OutboundBatch {
  /** Carrier SCAC or broker filer code; every decision must have this recipient. */
  recipient: string;
  channel: Channel;
  decisions: Decision[];
  /** Next free control numbers of this partner: ISA13/UNB 0020, GS06, first ST02/UNH 0062. */
  control: { interchange: number; group: number; firstMessage: number };
  /** Creation date 'YYYY-MM-DD' and time 'HH:MM' written into envelopes and status lines. */
  created: { date: string; time: string };
}

export interface ControlNumbersUsed {
  interchange: number;
  /** null for formats without functional groups (EDIFACT here, CAMIR, ABI, report). */
  group: number | null;
  /** Message references written (ST02 / UNH 0062 / CAMIR message sequence), in order. */
  messages: string[];
  /** firstMessage + messages written: what the adapter persists as the next free number. */
  nextMessage: number;
}

/** Which decision went out in which message, with the code actually sent. */
export interface SentLine {
  decisionId: string;
  messageRef: string;
  code: string;
}

export interface GeneratedFile {
  channel: Channel;
  recipient: string;
  /** Deterministic from channel, recipient and interchange control number; [A-Za-z0-9._-] only. */
  fileName: string;
  /** '' when ok is false: nothing may be sent. */
  content: string;
  /** Encoding the adapter must use to write `content`. */
  charset: string;
  /** Messages (transaction sets, EDIFACT messages, CAMIR messages, ABI entries, report lines) in the file. */
  messages: number;
  controlNumbers: ControlNumbersUsed;
  issues: Issue[];
  /** The JSON twin: the decisions actually sent, in file order. */
  twin: Decision[];
  sent: SentLine[];
  ok: boolean;
}

export type ChannelGenerator = (batch: OutboundBatch, partner: PartnerProfile) => GeneratedFile;
