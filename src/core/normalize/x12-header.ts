/** M10 / P4 handling shared by the X12 309 and 350 normalizers. */
import type { Issue } from '../model/issue.js';
import { type X12Segment, x12El } from '../model/segment.js';
import type { Mode } from '../model/shipment-event.js';
import { parseCcyymmdd, parseHhmm } from './dates.js';
import { ownString } from './own-string.js';
import { at, issueAt, type MessageScope } from './scope.js';

/**
 * Every field is always present (undefined when not sent): `delete` would turn the object into a
 * slow dictionary-mode object, and it is read for every shipment of the message.
 */
export interface X12Manifest {
  carrierScac: string;
  carrierIssue: Issue | undefined;
  mode: Mode | undefined;
  modeIssue: Issue | undefined;
  conveyanceRef: string | undefined;
  port: string | undefined;
  eda: { date: string; time?: string } | undefined;
  edaIssue: Issue | undefined;
  seenM10: boolean;
}

export function newManifest(): X12Manifest {
  return {
    carrierScac: '',
    carrierIssue: undefined,
    mode: undefined,
    modeIssue: undefined,
    conveyanceRef: undefined,
    port: undefined,
    eda: undefined,
    edaIssue: undefined,
    seenM10: false,
  };
}

/** M10: carrier SCAC, transport mode, conveyance reference (positions from the 309 profile). */
export function readM10(scope: MessageScope, m: X12Manifest, seg: X12Segment): void {
  const pos = scope.profile.x12['309'].m10;
  m.seenM10 = true;
  // ownString: every event of the message keeps these (own-string.ts).
  m.carrierScac = ownString(x12El(seg, pos.scac).trim());
  m.carrierIssue = undefined;
  if (m.carrierScac === '')
    m.carrierIssue = issueAt(
      scope,
      'NORMALIZE_MISSING_CARRIER',
      'M10 carries no carrier SCAC',
      at(seg, pos.scac),
    );
  const code = x12El(seg, pos.mode).trim();
  const mode = scope.codes.x12Modes.get(code);
  m.mode = undefined;
  m.modeIssue = undefined;
  if (mode === undefined)
    m.modeIssue = issueAt(
      scope,
      'NORMALIZE_UNKNOWN_MODE',
      `transport method '${code}' is not in the profile mode table`,
      at(seg, pos.mode),
    );
  else m.mode = mode;
  const conveyance = x12El(seg, pos.conveyance).trim();
  m.conveyanceRef = conveyance === '' ? undefined : ownString(conveyance);
}

/** P4: port of arrival and EDA (date CCYYMMDD, optional time HHMM), as sent. */
export function readP4(scope: MessageScope, m: X12Manifest, seg: X12Segment, withDate: boolean): void {
  const pos = scope.profile.x12['309'].p4;
  const port = x12El(seg, pos.port).trim();
  m.port = port === '' ? undefined : ownString(port);
  m.eda = undefined;
  m.edaIssue = undefined;
  if (!withDate) return;
  const rawDate = x12El(seg, pos.date);
  if (rawDate.trim() === '') return;
  const date = parseCcyymmdd(rawDate);
  if (!date.ok) {
    m.edaIssue = issueAt(
      scope,
      'NORMALIZE_BAD_DATE',
      `estimated date of arrival: ${date.detail}`,
      at(seg, pos.date),
    );
    return;
  }
  const rawTime = x12El(seg, pos.time);
  if (rawTime.trim() === '') {
    m.eda = { date: date.value };
    return;
  }
  const time = parseHhmm(rawTime);
  if (!time.ok)
    m.edaIssue = issueAt(
      scope,
      'NORMALIZE_BAD_DATE',
      `estimated time of arrival: ${time.detail}`,
      at(seg, pos.time),
    );
  else m.eda = { date: date.value, time: time.value };
}

/** A manifest that never sent M10 still has to reject its shipments with a reason. */
export function manifestIssues(
  scope: MessageScope,
  m: X12Manifest,
  start: { index: number; byteOffset: number; tag: string },
): X12Manifest {
  if (m.seenM10) return m;
  const missing = issueAt(
    scope,
    'NORMALIZE_UNKNOWN_MODE',
    'no M10 segment before the shipment: mode and carrier unknown',
    at(start),
  );
  return { ...m, modeIssue: missing };
}

/** Label of a segment in `unmapped`: the tag, plus the qualifier for segments whose first element is one. */
export function x12Label(seg: X12Segment): string {
  const q = x12El(seg, 1).trim();
  return X12_QUALIFIED.has(seg.tag) && q !== '' ? `${seg.tag}*${q}` : seg.tag;
}

const X12_QUALIFIED = new Set(['N9', 'N1', 'REF', 'DTM']);
