/**
 * UN/EDIFACT CUSRES → 'status' events, one per bill reference (RFF+BM starts a shipment; ERC, DTM and
 * FTX after it belong to it). DTM+178 is the actual arrival: format 303 (with a zone) is converted
 * to the profile's arrival zone (America/New_York); 102/203/204 are taken as already Eastern. A
 * DTM+178 before the first bill is the trip's arrival and applies to every bill without its own.
 */
import type { Issue } from '../model/issue.js';
import type { EdifactInterchangeHeader, MessageHeader, MessageResult } from '../model/reader.js';
import { type EdifactSegment, edi } from '../model/segment.js';
import type { Mode } from '../model/shipment-event.js';
import { airBill, type BillResult, prefixedBill } from './bill.js';
import { addUnmapped } from './declaration.js';
import { edifactLabel, joined, readDtm, readTdtMode } from './edifact-common.js';
import { OutputCollector } from './output.js';
import { ownString } from './own-string.js';
import { at, createScope, type MessageScope, type Where } from './scope.js';
import { closeStatus, newStatusDraft, type StatusDraft } from './status.js';
import type { MessageNormalizer, NormalizeContext, NormalizeOutput } from './types.js';

class CusresNormalizer implements MessageNormalizer<EdifactSegment> {
  private readonly out: OutputCollector;
  private carrierScac = '';
  private mode: Mode | undefined;
  private modeIssue: Issue | undefined;
  private port: string | undefined;
  private tripArrival: { date: string; time?: string } | undefined;
  private tripArrivalIssue: Issue | undefined;
  private draft: StatusDraft | undefined;
  private bill: { value: string; where: Where } | undefined;
  private lines = 0;

  constructor(private readonly scope: MessageScope) {
    this.out = new OutputCollector(scope);
  }

  segment(seg: EdifactSegment): void {
    const p = this.scope.profile.edifact.CUSRES;
    const q = edi(seg, 1, 1).trim();
    if (seg.tag === 'RFF' && p.billQualifiers.includes(q)) {
      this.close();
      this.lines++;
      this.draft = newStatusDraft(at(seg));
      this.bill = { value: edi(seg, 1, 2), where: at(seg, 1, 2) };
      return;
    }
    const draft = this.draft;
    if (draft === undefined) {
      this.readHeader(seg, q);
      return;
    }
    switch (seg.tag) {
      case 'ERC': {
        const code = q.toUpperCase();
        if (draft.disposition === undefined && code !== '') draft.disposition = code;
        else addUnmapped(draft.unmapped, `ERC+${code} (further status code)`);
        return;
      }
      case 'DTM':
        if (p.arrivalDateQualifiers.includes(q)) {
          const read = readDtm(this.scope, seg, 'actual arrival', this.scope.profile.arrivalTimeZone);
          if ('issue' in read) draft.issues.push(read.issue);
          else draft.arrival = read;
        } else addUnmapped(draft.unmapped, edifactLabel(seg));
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

  private readHeader(seg: EdifactSegment, q: string): void {
    const p = this.scope.profile;
    switch (seg.tag) {
      case 'TDT': {
        if (
          this.mode !== undefined ||
          edi(seg, p.edifact.CUSCAR.tdtMode[0], p.edifact.CUSCAR.tdtMode[1]).trim() === ''
        )
          return;
        const read = readTdtMode(this.scope, seg, p.edifact.CUSCAR.tdtMode);
        this.mode = read.mode;
        this.modeIssue = read.issue;
        return;
      }
      case 'NAD':
        if (Object.hasOwn(p.partyRoles.edifact, q) && p.partyRoles.edifact[q] === 'carrier')
          this.carrierScac = ownString(edi(seg, 2, 1).trim()); // events keep it (own-string.ts)
        return;
      case 'LOC':
        if (p.edifact.CUSCAR.portLocationQualifiers.includes(q)) this.port = ownString(edi(seg, 2, 1).trim());
        return;
      case 'DTM': {
        if (!p.edifact.CUSRES.arrivalDateQualifiers.includes(q)) return;
        const read = readDtm(this.scope, seg, 'actual arrival (trip)', p.arrivalTimeZone);
        if ('issue' in read) this.tripArrivalIssue = read.issue;
        else this.tripArrival = read;
        return;
      }
      default:
    }
  }

  private close(): void {
    const draft = this.draft;
    const bill = this.bill;
    if (draft === undefined || bill === undefined) return;
    this.draft = undefined;
    this.bill = undefined;
    if (
      draft.arrival === undefined &&
      !draft.issues.some((i) => i.code === 'NORMALIZE_BAD_DATE' || i.code === 'NORMALIZE_UNKNOWN_TIME_ZONE')
    ) {
      if (this.tripArrival !== undefined) draft.arrival = this.tripArrival;
      else if (this.tripArrivalIssue !== undefined) draft.issues.push(this.tripArrivalIssue);
    }
    const mode =
      this.mode ?? (this.modeIssue === undefined ? this.scope.profile.edifact.CUSRES.defaultMode : undefined);
    // CUSRES uses the CUSCAR bill rule: SCAC-prefixed SCNs name their issuer, else the carrier.
    const result: BillResult =
      mode === 'air'
        ? airBill(bill.value, '', '')
        : prefixedBill(bill.value, this.carrierScac, this.scope.profile.edifact.CUSCAR.scacPrefix);
    const header = { carrierScac: this.carrierScac, mode, modeIssue: this.modeIssue, port: this.port };
    this.out.add(closeStatus(this.scope, draft, header, result, bill.where));
  }

  drain(): NormalizeOutput {
    return this.out.drain();
  }

  finish(_result: MessageResult): NormalizeOutput {
    this.close();
    if (this.lines === 0) this.out.noShipments('RFF+BM');
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
