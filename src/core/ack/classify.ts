/**
 * Sorts the error issues of a read interchange into acknowledgment levels (interchange, group,
 * message, segment, element) with their codes from the ack code table. Shared by the X12 999/997/TA1
 * and the EDIFACT CONTRL builders. Warnings never reject anything and are not acknowledged.
 */
import type { Issue } from '../model/issue.js';
import type { MessageHeader, MessageResult } from '../model/reader.js';
import { type AckCodeMapping, ACK_CODE_TABLE, ackCodesFor } from './ack-codes.js';
import type { AckInput } from './types.js';

export interface ElementFinding {
  element: number;
  component: number | null;
  /** IK403 / AK403 */
  code: string;
  /** CONTRL 0085 */
  contrl: string;
  issue: Issue;
}

export interface SegmentFinding {
  /** 1-based position in the message (ST / UNH = 1). */
  position: number;
  tag: string;
  /** IK304 / AK304 codes of segment-level issues. */
  codes: string[];
  contrl: string[];
  elements: ElementFinding[];
}

export interface MessageFinding {
  header: MessageHeader;
  result: MessageResult;
  rejected: boolean;
  unsupported: boolean;
  /** IK502 / AK502 codes. */
  codes: string[];
  /** CONTRL 0085 codes at UCM level. */
  contrl: string[];
  segments: SegmentFinding[];
}

export interface GroupFinding {
  groupControl: string;
  rejected: boolean;
  /** AK905 codes. */
  codes: string[];
  contrl: string[];
}

export interface ClassifiedAck {
  interchange: { rejected: boolean; ta1: string[]; contrl: string[] };
  groups: GroupFinding[];
  messages: MessageFinding[];
}

const issueKey = (i: Issue): string =>
  [i.code, i.groupControl, i.messageRef, i.positionInMessage, i.segmentTag, i.element, i.component, i.message].join('\u0000');

const pushUnique = (list: string[], code: string | null): void => {
  if (code !== null && !list.includes(code)) list.push(code);
};

export function classifyAck(input: AckInput, table: Readonly<Record<string, AckCodeMapping>> = ACK_CODE_TABLE): ClassifiedAck {
  const seen = new Set<string>();
  const fresh = (i: Issue): boolean => {
    if (i.severity !== 'error') return false;
    const k = issueKey(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  };

  const messages: MessageFinding[] = input.messages.map((m) => ({
    header: m.header,
    result: m.result,
    rejected: false,
    unsupported: false,
    codes: [],
    contrl: [],
    segments: [],
  }));
  const groups = new Map<string, GroupFinding>();
  const group = (gc: string): GroupFinding => {
    let g = groups.get(gc);
    if (g === undefined) {
      g = { groupControl: gc, rejected: false, codes: [], contrl: [] };
      groups.set(gc, g);
    }
    return g;
  };
  for (const m of messages) group(m.header.groupControl);
  const interchange = { rejected: false, ta1: [] as string[], contrl: [] as string[] };

  const addToMessage = (m: MessageFinding, issue: Issue): void => {
    const codes = ackCodesFor(issue.code, table);
    m.rejected = true;
    if (codes.unsupported) {
      m.unsupported = true;
      pushUnique(m.codes, codes.transaction);
      pushUnique(m.contrl, codes.contrl);
      return;
    }
    const located = issue.positionInMessage !== undefined && issue.segmentTag !== undefined;
    const hasElement = located && issue.element !== undefined;
    const ex = codes.explicit;
    const generic = !ex.has('element') && !ex.has('segment') && !ex.has('transaction');
    let level: 'element' | 'segment' | 'transaction';
    if (hasElement && (ex.has('element') || generic)) level = 'element';
    else if (located && (ex.has('segment') || ex.has('element') || generic)) level = 'segment';
    else level = 'transaction';
    if (level === 'transaction') {
      pushUnique(m.codes, codes.transaction);
      pushUnique(m.contrl, codes.contrl);
      return;
    }
    const position = issue.positionInMessage ?? 0;
    let seg = m.segments.find((s) => s.position === position);
    if (seg === undefined) {
      seg = { position, tag: issue.segmentTag ?? '', codes: [], contrl: [], elements: [] };
      m.segments.push(seg);
      m.segments.sort((a, b) => a.position - b.position);
    }
    if (level === 'segment') {
      pushUnique(seg.codes, codes.segment);
      pushUnique(seg.contrl, codes.contrl);
    } else {
      seg.elements.push({ element: issue.element ?? 0, component: issue.component ?? null, code: codes.element, contrl: codes.contrl, issue });
    }
  };

  messages.forEach((m) => {
    for (const issue of m.result.issues) if (fresh(issue)) addToMessage(m, issue);
    if (!m.result.ok && !m.rejected) {
      m.rejected = true;
      pushUnique(m.codes, ackCodesFor('', table).transaction);
      pushUnique(m.contrl, ackCodesFor('', table).contrl);
    }
  });

  for (const issue of input.result.issues) {
    if (!fresh(issue)) continue;
    const codes = ackCodesFor(issue.code, table);
    const owner =
      issue.messageRef === undefined
        ? undefined
        : messages.find((m) => m.header.reference === issue.messageRef && (issue.groupControl === undefined || m.header.groupControl === issue.groupControl));
    if (owner !== undefined) {
      addToMessage(owner, issue);
    } else if (issue.groupControl !== undefined && !(codes.explicit.has('ta1') && !codes.explicit.has('group'))) {
      const g = group(issue.groupControl);
      g.rejected = true;
      pushUnique(g.codes, codes.group);
      pushUnique(g.contrl, codes.contrl);
    } else {
      interchange.rejected = true;
      pushUnique(interchange.ta1, codes.ta1);
      pushUnique(interchange.contrl, codes.contrl);
    }
  }
  const anyRejection = interchange.rejected || [...groups.values()].some((g) => g.rejected) || messages.some((m) => m.rejected);
  if (!input.result.ok && !anyRejection) {
    interchange.rejected = true;
    pushUnique(interchange.ta1, ackCodesFor('', table).ta1);
    pushUnique(interchange.contrl, ackCodesFor('', table).contrl);
  }
  return { interchange, groups: [...groups.values()], messages };
}
