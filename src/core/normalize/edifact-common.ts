/** Segment helpers shared by the CUSCAR and CUSRES normalizers. */
import type { Issue } from '../model/issue.js';
import { type EdifactSegment, edi } from '../model/segment.js';
import type { Mode } from '../model/shipment-event.js';
import { convertToZone, parseDtm } from './dates.js';
import type { PartyDraft } from './declaration.js';
import { emptyParty } from './declaration.js';
import { at, issueAt, type MessageScope } from './scope.js';

/** All components of an element joined by a space (C080 name lines, C059 street lines, C108 text). */
export function joined(seg: EdifactSegment, element: number): string {
  const components = seg.elements[element - 1];
  if (components === undefined) return '';
  // A loop, not map/filter/join: called for several elements of every consignment.
  let out = '';
  for (const c of components) {
    const t = c.trim();
    if (t !== '') out = out === '' ? t : `${out} ${t}`;
  }
  return out;
}

/** Mode from TDT C220 8067; zero-padded codes ('03', as CBP sends) match their plain form. */
export function readTdtMode(
  scope: MessageScope,
  seg: EdifactSegment,
  position: readonly [number, number],
): { mode?: Mode; issue?: Issue } {
  const raw = edi(seg, position[0], position[1]).trim();
  const table = scope.codes.edifactModes;
  const mode = table.get(raw) ?? table.get(raw.replace(/^0+(?=\d)/, ''));
  if (mode !== undefined) return { mode };
  return {
    issue: issueAt(
      scope,
      'NORMALIZE_UNKNOWN_MODE',
      `transport mode '${raw}' is not in the profile mode table`,
      at(seg, position[0], position[1]),
    ),
  };
}

export type DtmRead = { date: string; time?: string } | { issue: Issue };

/**
 * DTM C507 (2005 qualifier : 2380 value : 2379 format). `toZone` converts a format-303 value to
 * that IANA zone (actual arrivals are US Eastern days); other formats are taken as sent.
 */
export function readDtm(scope: MessageScope, seg: EdifactSegment, label: string, toZone?: string): DtmRead {
  const parsed = parseDtm(edi(seg, 1, 2), edi(seg, 1, 3), scope.profile.timeZones);
  if (!parsed.ok) {
    const code = parsed.unknownZone === true ? 'NORMALIZE_UNKNOWN_TIME_ZONE' : 'NORMALIZE_BAD_DATE';
    return { issue: issueAt(scope, code, `${label}: ${parsed.detail}`, at(seg, 1, 2)) };
  }
  const v = parsed.value;
  if (v.offsetMinutes !== undefined && v.time !== undefined && toZone !== undefined)
    return convertToZone(v.date, v.time, v.offsetMinutes, toZone);
  return v.time === undefined ? { date: v.date } : { date: v.date, time: v.time };
}

/**
 * NAD: C082 party id (3039 : 1131 code list : 3055 agency), C058 name-and-address lines, C080 name,
 * C059 street, 3164 city, C819 state, 3251 postal, 3207 country. CBP's truck CUSCAR writes the street
 * in C058 and the name in C080; so the street is C059, else C058 when C080 holds the name, and the
 * name is C080, else the first C058 line.
 */
export function partyFromNad(seg: EdifactSegment): PartyDraft {
  const party = emptyParty(at(seg));
  party.id = edi(seg, 2, 1).trim();
  party.idQualifier = (edi(seg, 2, 2).trim() || edi(seg, 2, 3)).trim();
  const c058 = (seg.elements[2] ?? []).map((c) => c.trim()).filter((c) => c !== '');
  const c080 = joined(seg, 4);
  const c059 = joined(seg, 5);
  party.name = c080 !== '' ? c080 : (c058[0] ?? '');
  party.street = c059 !== '' ? c059 : (c080 !== '' ? c058 : c058.slice(1)).join(' ');
  party.city = edi(seg, 6, 1).trim();
  party.state = edi(seg, 7, 1).trim();
  party.postal = edi(seg, 8, 1).trim();
  party.country = edi(seg, 9, 1).trim();
  return party;
}

/** Label of a segment in `unmapped`: tag, plus the qualifier for segments whose first element is one. */
export function edifactLabel(seg: EdifactSegment): string {
  const q = edi(seg, 1, 1).trim();
  return EDIFACT_QUALIFIED.has(seg.tag) && q !== '' ? `${seg.tag}+${q}` : seg.tag;
}

// Only segments whose first component is a code qualifier: others (COM, SGP, PAC) start with data
// such as a phone number, which has no place in a label.
const EDIFACT_QUALIFIED = new Set([
  'RFF',
  'NAD',
  'LOC',
  'DTM',
  'MOA',
  'FTX',
  'GIS',
  'CNT',
  'MEA',
  'DOC',
  'TDT',
  'CTA',
  'GIN',
  'PIA',
  'ERC',
  'QTY',
  'TOD',
]);
