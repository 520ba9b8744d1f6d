/**
 * UN/EDIFACT CUSRES → 'status' events, one per shipment, read as ACE truck CUSRES are written
 * (docs/conformance.md): BGM+34, then the trip part (TDT, LOC, NAD+CA, DTM+132/163, ERP+1,
 * ERC+SN030 "trip arrived", FTX), then per shipment DOC+929, RFF+AAM (shipment control number),
 * RFF+BM, DTM+163, ERP+2, ERC+SN050/SN053/SN105, FTX.
 *
 * A shipment opens at a DOC whose code is in the profile's `shipmentDocuments`, or at a bill RFF when
 * the open shipment already has its bill (messages without DOC). A status whose code means 'arrived'
 * (SN030) dates the actual arrival with its `statusDateQualifiers` DTM (163, else 132); DTM+178 is an
 * actual arrival wherever it is. The trip's arrival applies to every shipment without its own. Format
 * 303 (with a zone) is converted to the profile's arrival zone; 102/203/204 are Eastern already.
 */
import type { Issue } from '../model/issue.js';
import type { EdifactInterchangeHeader, MessageHeader, MessageResult } from '../model/reader.js';
import { type EdifactSegment, edi } from '../model/segment.js';
import type { Mode } from '../model/shipment-event.js';
import { airBill, type BillResult, prefixedBill } from './bill.js';
import { addUnmapped } from './declaration.js';
import { type DtmRead, edifactLabel, joined, readDtm, readTdtMode } from './edifact-common.js';
import { OutputCollector } from './output.js';
import { ownString } from './own-string.js';
import { at, createScope, type MessageScope, type Where } from './scope.js';
import { closeStatus, newStatusDraft, type StatusDraft } from './status.js';
import type { MessageNormalizer, NormalizeContext, NormalizeOutput } from './types.js';

type Arrival = { date: string; time?: string };

/** Dates and status of one level (the trip, or one shipment) as read so far. */
interface Level {
  /** First ERC code of the level. */
  status: string | undefined;
  /** DTM values by qualifier (first of each qualifier wins), read or failed. */
  dates: Map<string, DtmRead>;
}

function newLevel(): Level {
  return { status: undefined, dates: new Map() };
}

class CusresNormalizer implements MessageNormalizer<EdifactSegment> {
  private readonly out: OutputCollector;
  private readonly p: MessageScope['profile']['edifact']['CUSRES'];
  private carrierScac = '';
  private mode: Mode | undefined;
  private modeIssue: Issue | undefined;
  private port: string | undefined;
  private readonly trip: Level = newLevel();
  private draft: StatusDraft | undefined;
  private shipment: Level = newLevel();
  /** Bill references of the open shipment by qualifier (first of each wins). */
  private bills = new Map<string, { value: string; where: Where }>();
  private lines = 0;

  constructor(private readonly scope: MessageScope) {
    this.out = new OutputCollector(scope);
    this.p = scope.profile.edifact.CUSRES;
  }

  segment(seg: EdifactSegment): void {
    const p = this.p;
    const q = edi(seg, 1, 1).trim();
    const opensByDoc = seg.tag === 'DOC' && p.shipmentDocuments.includes(q);
    const isBill = seg.tag === 'RFF' && p.billQualifiers.includes(q);
    if (opensByDoc || (isBill && (this.draft === undefined || this.bills.has(q)))) this.open(seg);
    const draft = this.draft;
    if (draft === undefined) {
      this.readTrip(seg, q);
      return;
    }
    switch (seg.tag) {
      case 'DOC':
        if (opensByDoc) {
          // DOC+929 C002 type (13 / 35 / 86) and number: the number is an entry number only for
          // an entry type (86); for the Section 321 types it names the shipment, which RFF+AAM does.
          const cuscar = this.scope.profile.edifact.CUSCAR;
          const type = this.scope.codes.declarationTypes.get(
            edi(seg, cuscar.declarationType[0], cuscar.declarationType[1]).trim(),
          );
          const number = edi(seg, cuscar.declarationNumber[0], cuscar.declarationNumber[1]).trim();
          if (type === 'ET86' && number !== '') draft.entryNumber ??= number;
        } else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      case 'RFF': {
        const value = edi(seg, 1, 2).trim();
        if (isBill) {
          if (value !== '' && !this.bills.has(q)) this.bills.set(q, { value, where: at(seg, 1, 2) });
        } else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      }
      case 'ERC': {
        const code = q.toUpperCase();
        if (this.shipment.status === undefined && code !== '') this.shipment.status = code;
        else addUnmapped(draft.unmapped, `ERC+${code} (further status code)`);
        return;
      }
      case 'DTM':
        if (!this.readDate(this.shipment, seg, q)) addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      case 'FTX': {
        const text = joined(seg, 4);
        if (text !== '') draft.remarks.push(text);
        return;
      }
      default:
        if (!p.ignoredSegments.includes(seg.tag)) addUnmapped(draft.unmapped, edifactLabel(seg));
    }
  }

  private open(seg: EdifactSegment): void {
    this.close();
    this.lines++;
    this.draft = newStatusDraft(at(seg));
    this.shipment = newLevel();
    this.bills = new Map();
  }

  /** Keeps a DTM the profile reads (arrival or status date); false when it is none of them. */
  private readDate(level: Level, seg: EdifactSegment, q: string): boolean {
    const p = this.p;
    if (!p.arrivalDateQualifiers.includes(q) && !p.statusDateQualifiers.includes(q)) return false;
    if (!level.dates.has(q))
      level.dates.set(q, readDtm(this.scope, seg, `DTM+${q}`, this.scope.profile.arrivalTimeZone));
    return true;
  }

  private readTrip(seg: EdifactSegment, q: string): void {
    const profile = this.scope.profile;
    const tdtMode = profile.edifact.CUSCAR.tdtMode;
    switch (seg.tag) {
      case 'TDT': {
        if (this.mode !== undefined || edi(seg, tdtMode[0], tdtMode[1]).trim() === '') return;
        const read = readTdtMode(this.scope, seg, tdtMode);
        this.mode = read.mode;
        this.modeIssue = read.issue;
        return;
      }
      case 'NAD':
        if (this.scope.codes.edifactRoles.get(q) === 'carrier')
          this.carrierScac = ownString(edi(seg, 2, 1).trim()); // events keep it (own-string.ts)
        return;
      case 'LOC':
        if (profile.edifact.CUSCAR.portLocationQualifiers.includes(q))
          this.port = ownString(edi(seg, 2, 1).trim());
        return;
      case 'ERC': {
        const code = q.toUpperCase();
        if (this.trip.status === undefined && code !== '') this.trip.status = code;
        return;
      }
      case 'DTM':
        this.readDate(this.trip, seg, q);
        return;
      default:
    }
  }

  /**
   * The actual arrival a level states: a DTM+178, else — when its status means 'arrived' — its
   * status date (163, else 132). A date that failed to read is the issue instead.
   */
  private arrivalOf(level: Level): { arrival?: Arrival; issue?: Issue } {
    const p = this.p;
    const meanings = this.scope.profile.dispositions;
    const arrived =
      level.status !== undefined &&
      Object.hasOwn(meanings, level.status) &&
      meanings[level.status] === 'arrived';
    const qualifiers = arrived
      ? [...p.arrivalDateQualifiers, ...p.statusDateQualifiers]
      : p.arrivalDateQualifiers;
    for (const q of qualifiers) {
      const read = level.dates.get(q);
      if (read === undefined) continue;
      return 'issue' in read ? { issue: read.issue } : { arrival: read };
    }
    return {};
  }

  private close(): void {
    const draft = this.draft;
    if (draft === undefined) return;
    this.draft = undefined;
    const own = this.arrivalOf(this.shipment);
    const trip = own.arrival === undefined && own.issue === undefined ? this.arrivalOf(this.trip) : {};
    const arrival = own.arrival ?? trip.arrival;
    if (arrival !== undefined) draft.arrival = arrival;
    const issue = own.issue ?? trip.issue;
    if (issue !== undefined) draft.issues.push(issue);
    const status = this.shipment.status ?? this.trip.status;
    if (status !== undefined) draft.disposition = status;

    let bill: { value: string; where: Where } | undefined;
    for (const q of this.p.billQualifiers) {
      bill ??= this.bills.get(q);
    }
    const mode = this.mode ?? (this.modeIssue === undefined ? this.p.defaultMode : undefined);
    // CUSRES uses the CUSCAR bill rule: SCAC-prefixed SCNs name their issuer, else the carrier.
    const value = bill?.value ?? '';
    const result: BillResult =
      mode === 'air'
        ? airBill(value, '', '')
        : prefixedBill(value, this.carrierScac, this.scope.profile.edifact.CUSCAR.scacPrefix);
    const header = { carrierScac: this.carrierScac, mode, modeIssue: this.modeIssue, port: this.port };
    this.out.add(closeStatus(this.scope, draft, header, result, bill?.where ?? draft.start));
  }

  drain(): NormalizeOutput {
    return this.out.drain();
  }

  finish(_result: MessageResult): NormalizeOutput {
    this.close();
    if (this.lines === 0)
      this.out.noShipments(
        `DOC+${this.p.shipmentDocuments[0] ?? ''} or RFF+${this.p.billQualifiers[0] ?? ''}`,
      );
    return this.out.drain();
  }
}

export function createCusres(
  ic: EdifactInterchangeHeader,
  msg: MessageHeader,
  ctx: NormalizeContext,
): MessageNormalizer<EdifactSegment> {
  return new CusresNormalizer(createScope(ic, msg, ctx));
}
