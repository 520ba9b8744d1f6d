/** M10 / P4 handling shared by the X12 309 and 350 normalizers. */
import type { Issue } from '../model/issue.js';
import { type X12Segment, x12El } from '../model/segment.js';
import type { Mode } from '../model/shipment-event.js';
import { parseCcyymmdd, parseHhmm } from './dates.js';
import { at, issueAt, type MessageScope } from './scope.js';

export interface X12Manifest {
  carrierScac: string;
  carrierIssue?: Issue;
  mode?: Mode;
  modeIssue?: Issue;
  conveyanceRef?: string;
  port?: string;
  eda?: { date: string; time?: string };
  edaIssue?: Issue;
  seenM10: boolean;
}

export function newManifest(): X12Manifest {
  return { carrierScac: '', seenM10: false };
}

/** M10: carrier SCAC, transport mode, conveyance reference (positions from the 309 profile). */
export function readM10(scope: MessageScope, m: X12Manifest, seg: X12Segment): void {
  const pos = scope.profile.x12['309'].m10;
  m.seenM10 = true;
  m.carrierScac = x12El(seg, pos.scac).trim();
  delete m.carrierIssue;
  if (m.carrierScac === '')
    m.carrierIssue = issueAt(
      scope,
      'NORMALIZE_MISSING_CARRIER',
      'M10 carries no carrier SCAC',
      at(seg, pos.scac),
    );
  const code = x12El(seg, pos.mode).trim();
  const mode = Object.hasOwn(scope.profile.modes.x12, code) ? scope.profile.modes.x12[code] : undefined;
  delete m.mode;
  delete m.modeIssue;
  if (mode === undefined)
    m.modeIssue = issueAt(
      scope,
      'NORMALIZE_UNKNOWN_MODE',
      `transport method '${code}' is not in the profile mode table`,
      at(seg, pos.mode),
    );
  else m.mode = mode;
  const conveyance = x12El(seg, pos.conveyance).trim();
  if (conveyance === '') delete m.conveyanceRef;
  else m.conveyanceRef = conveyance;
}

/** P4: port of arrival and EDA (date CCYYMMDD, optional time HHMM), as sent. */
export function readP4(scope: MessageScope, m: X12Manifest, seg: X12Segment, withDate: boolean): void {
  const pos = scope.profile.x12['309'].p4;
  const port = x12El(seg, pos.port).trim();
  if (port === '') delete m.port;
  else m.port = port;
  delete m.eda;
  delete m.edaIssue;
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
