/** What every issue and event of one message needs to know about where it comes from. */
import { codeSpec, type ErrorCode } from '../errors/registry.js';
import type { Issue } from '../model/issue.js';
import type { InterchangeHeader, MessageHeader } from '../model/reader.js';
import { type RateTable, rateFor } from '../money/rate-table.js';
import { type SmallDecimal, smallRate } from '../money/small-decimal.js';
import { type CodeTables, codeTables } from '../profiles/code-tables.js';
import type { InboundProfileBody } from '../profiles/inbound-profile.js';
import { profileForSender } from '../profiles/resolve-profile.js';
import type { NormalizeContext } from './types.js';

export interface MessageScope {
  file: string;
  standard: 'x12' | 'edifact';
  sender: string;
  interchangeControl: string;
  groupControl: string;
  messageRef: string;
  messageType: string;
  /** The interchange's usage indicator as outbound files mirror it (undefined: not P or T). */
  usage: 'P' | 'T' | undefined;
  /** File-level index of ST / UNH (position in message = index − this + 1). */
  messageIndex: number;
  profile: InboundProfileBody;
  /** The profile's code tables as Maps/Sets (profiles/code-tables.ts). */
  codes: CodeTables;
  rates: RateTable;
  /** Rates looked up in this message, by `currency day` (a manifest has few currencies and days). */
  rateCache: Map<string, SmallDecimal | undefined>;
  /** The last rate looked up: consecutive shipments nearly always ask for the same one. */
  lastRate: { currency: string; day: string; rate: SmallDecimal | undefined } | undefined;
  /** UTF-8 of the event-id origin prefix (the same for every event of the message), made on first use. */
  originPrefix: Uint8Array | undefined;
}

export function createScope(ic: InterchangeHeader, msg: MessageHeader, ctx: NormalizeContext): MessageScope {
  const profile = profileForSender(ctx.profile, ic);
  return {
    file: ctx.file,
    standard: ic.standard,
    sender: ic.senderId.trim(),
    interchangeControl: ic.controlNumber,
    groupControl: msg.groupControl,
    messageRef: msg.reference,
    messageType: msg.type,
    usage: usageOf(ic),
    messageIndex: msg.segmentIndex,
    profile,
    codes: codeTables(profile),
    rates: ctx.rates,
    rateCache: new Map(),
    lastRate: undefined,
    originPrefix: undefined,
  };
}

/**
 * ISA15 'P' / 'T' as sent ('I' information is neither); UNB 0035 '1' is a test interchange and its
 * absence production (ISO 9735).
 */
function usageOf(ic: InterchangeHeader): 'P' | 'T' | undefined {
  if (ic.standard === 'edifact') return ic.usage === '1' ? 'T' : ic.usage === '' ? 'P' : undefined;
  return ic.usage === 'P' || ic.usage === 'T' ? ic.usage : undefined;
}

/**
 * The rate of `currency` on `day` as a SmallDecimal, undefined when there is none or it does not
 * fit (the caller then takes the exact path, which reports why). Cached per message: rateFor scans
 * the currency's entries and parses the rate text on every call.
 */
export function scopeRate(scope: MessageScope, currency: string, day: string): SmallDecimal | undefined {
  const last = scope.lastRate;
  if (last !== undefined && last.currency === currency && last.day === day) return last.rate;
  const key = `${currency} ${day}`;
  let rate: SmallDecimal | undefined;
  if (scope.rateCache.has(key)) rate = scope.rateCache.get(key);
  else {
    const lookup = rateFor(scope.rates, currency, day);
    rate = lookup.ok ? smallRate(lookup.rate) : undefined;
    scope.rateCache.set(key, rate);
  }
  scope.lastRate = { currency, day, rate };
  return rate;
}

/** A position inside the message: a segment, optionally an element and component (1-based). */
export interface Where {
  index: number;
  byteOffset: number;
  tag: string;
  element?: number | undefined;
  component?: number | undefined;
}

/**
 * One literal with every field, `undefined` for an element or component not named (issueAt reads
 * both as absent): a property added after the literal allocated a property array besides the
 * object, and the normalizers make ~10 of these per shipment (docs/ingest-cpu.md).
 */
export function at(
  seg: { index: number; byteOffset: number; tag: string },
  element?: number,
  component?: number,
): Where {
  return { index: seg.index, byteOffset: seg.byteOffset, tag: seg.tag, element, component };
}

export function issueAt(scope: MessageScope, code: ErrorCode, message: string, where?: Where): Issue {
  const issue: Issue = {
    code,
    severity: codeSpec(code).severity,
    message,
    file: scope.file,
    interchangeControl: scope.interchangeControl,
    messageRef: scope.messageRef,
  };
  if (scope.groupControl !== '') issue.groupControl = scope.groupControl;
  if (where !== undefined) {
    issue.segmentIndex = where.index;
    issue.positionInMessage = where.index - scope.messageIndex + 1;
    issue.segmentTag = where.tag;
    if (where.element !== undefined) issue.element = where.element;
    if (where.component !== undefined) issue.component = where.component;
    issue.byteOffset = where.byteOffset;
  }
  return issue;
}
