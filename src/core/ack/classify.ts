/**
 * Sorts the error issues of a read interchange into acknowledgment levels (interchange, group,
 * message, segment, element) with their codes from the ack code table. Shared by the X12 999/997/TA1
 * and the EDIFACT CONTRL builders. Warnings never reject anything and are not acknowledged.
 */
import type { Issue } from '../model/issue.js';
import type { MessageHeader, MessageResult } from '../model/reader.js';
import { ACK_CODE_TABLE, type AckCodeMapping, ackCodesFor, GENERIC_ACK_CODES } from './ack-codes.js';
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
  [
    i.code,
    i.groupControl,
    i.messageRef,
    i.positionInMessage,
    i.segmentTag,
    i.element,
    i.component,
    i.message,
  ].join('\u0000');

const pushUnique = (list: string[], code: string | null): void => {
  if (code !== null && !list.includes(code)) list.push(code);
};

export function classifyAck(
  input: AckInput,
  table: Readonly<Record<string, AckCodeMapping>> = ACK_CODE_TABLE,
): ClassifiedAck {
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
    const codes = ackCodesFor(issue.code, issue.element, table);
    m.rejected = true;
    if (codes.unsupported) {
      m.unsupported = true;
      pushUnique(m.codes, codes.transaction);
      pushUnique(m.contrl, codes.contrl);
      return;
    }
    const located = issue.positionInMessage !== undefined && issue.segmentTag !== undefined;
    const hasElement = located && issue.element !== undefined;
    // The table's level wins; without one (or when the position it needs is missing) the issue's position decides.
    let level: 'element' | 'segment' | 'transaction';
    if (codes.level === 'message' || codes.level === 'interchange' || codes.level === 'group')
      level = 'transaction';
    else if (codes.level === 'segment') level = located ? 'segment' : 'transaction';
    else if (codes.level === 'element') level = hasElement ? 'element' : located ? 'segment' : 'transaction';
    else level = hasElement ? 'element' : located ? 'segment' : 'transaction';
    if (level === 'transaction') {
      pushUnique(m.codes, codes.transaction);
      pushUnique(m.contrl, codes.contrl);
      return;
    }
    const position = issue.positionInMessage ?? 0;
    let seg = m.segments.find((x) => x.position === position);
    if (seg === undefined) {
      seg = { position, tag: issue.segmentTag ?? '', codes: [], contrl: [], elements: [] };
      m.segments.push(seg);
      m.segments.sort((a, b) => a.position - b.position);
    }
    if (level === 'segment') {
      pushUnique(seg.codes, codes.segment);
      pushUnique(seg.contrl, codes.contrl);
    } else {
      seg.elements.push({
        element: issue.element ?? 0,
        component: issue.component ?? null,
        code: codes.element,
        contrl: codes.contrl,
        issue,
      });
    }
  };

  const addToGroup = (gc: string, issue: Issue): void => {
    const codes = ackCodesFor(issue.code, issue.element, table);
    const g = group(gc);
    g.rejected = true;
    pushUnique(g.codes, codes.group);
    pushUnique(g.contrl, codes.contrl);
  };

  const addToInterchange = (issue: Issue): void => {
    const codes = ackCodesFor(issue.code, issue.element, table);
    interchange.rejected = true;
    pushUnique(interchange.ta1, codes.ta1);
    pushUnique(interchange.contrl, codes.contrl);
  };

  messages.forEach((m) => {
    for (const issue of m.result.issues) if (fresh(issue)) addToMessage(m, issue);
    if (!m.result.ok && !m.rejected) {
      m.rejected = true;
      pushUnique(m.codes, GENERIC_ACK_CODES.transaction);
      pushUnique(m.contrl, GENERIC_ACK_CODES.contrl);
    }
  });

  for (const issue of input.result.issues) {
    if (!fresh(issue)) continue;
    const level = ackCodesFor(issue.code, issue.element, table).level;
    if (level === 'interchange') {
      addToInterchange(issue);
      continue;
    }
    const owner =
      level === 'group' || issue.messageRef === undefined
        ? undefined
        : messages.find(
            (m) =>
              m.header.reference === issue.messageRef &&
              (issue.groupControl === undefined || m.header.groupControl === issue.groupControl),
          );
    if (owner !== undefined) addToMessage(owner, issue);
    else if (issue.groupControl !== undefined) addToGroup(issue.groupControl, issue);
    else addToInterchange(issue);
  }
  const anyRejection =
    interchange.rejected || [...groups.values()].some((g) => g.rejected) || messages.some((m) => m.rejected);
  if (!input.result.ok && !anyRejection) {
    interchange.rejected = true;
    pushUnique(interchange.ta1, GENERIC_ACK_CODES.ta1);
    pushUnique(interchange.contrl, GENERIC_ACK_CODES.contrl);
  }
  return { interchange, groups: [...groups.values()], messages };
}
