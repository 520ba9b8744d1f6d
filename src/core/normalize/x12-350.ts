/**
 * X12 350 Customs Status Information (GS01 AU) → 'status' events, one per X4 loop. A disposition whose
 * profile meaning is 'arrived' (19 "actual conveyance arrival"; not 1C, which is a release) makes
 * X4-05/06 the actual arrival, already in US Eastern time (docs/conformance.md).
 * K1 remarks after an X4 belong to it; K1 before the first X4 are trip remarks and not mapped.
 */
import type { MessageHeader, MessageResult, X12InterchangeHeader } from '../model/reader.js';
import { type X12Segment, x12El } from '../model/segment.js';
import { airBill, type BillResult, surfaceBill } from './bill.js';
import { parseCcyymmdd, parseHhmm } from './dates.js';
import { addUnmapped, readPieces } from './declaration.js';
import { OutputCollector } from './output.js';
import { at, createScope, issueAt, type MessageScope, type Where } from './scope.js';
import { closeStatus, newStatusDraft, type StatusDraft } from './status.js';
import type { MessageNormalizer, NormalizeContext, NormalizeOutput } from './types.js';
import { manifestIssues, newManifest, readM10, readP4, type X12Manifest, x12Label } from './x12-header.js';

class X12StatusNormalizer implements MessageNormalizer<X12Segment> {
  private readonly out: OutputCollector;
  private readonly manifest: X12Manifest = newManifest();
  private draft: StatusDraft | undefined;
  private bill: { bill: string; issuer: string; where: Where } | undefined;
  private lines = 0;

  constructor(
    private readonly scope: MessageScope,
    msg: MessageHeader,
  ) {
    this.out = new OutputCollector(scope);
    this.out.checkFunctionalId(msg, scope.profile.x12['350'].functionalIds);
  }

  segment(seg: X12Segment): void {
    switch (seg.tag) {
      case 'M10':
        readM10(this.scope, this.manifest, seg);
        return;
      case 'P4':
        this.close();
        readP4(this.scope, this.manifest, seg, false);
        return;
      case 'X4':
        this.close();
        this.readX4(seg);
        return;
      default:
        break;
    }
    const draft = this.draft;
    if (draft === undefined) return; // trip-level V9, VID, K1 ...
    if (seg.tag === 'K1') {
      const text = [x12El(seg, 1), x12El(seg, 2)]
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .join(' ');
      if (text !== '') draft.remarks.push(text);
    } else if (!this.scope.profile.x12['350'].ignoredSegments.includes(seg.tag)) {
      addUnmapped(draft.unmapped, x12Label(seg));
    }
  }

  private readX4(seg: X12Segment): void {
    const p = this.scope.profile.x12['350'].x4;
    this.lines++;
    const draft = newStatusDraft(at(seg));
    this.draft = draft;
    this.bill = { bill: x12El(seg, p.bill), issuer: x12El(seg, p.issuer), where: at(seg, p.bill) };
    const disposition = x12El(seg, p.disposition).trim().toUpperCase();
    if (disposition !== '') draft.disposition = disposition;
    const entry = x12El(seg, p.entry).trim();
    if (entry !== '') draft.entryNumber = entry;
    const pieces = readPieces(this.scope, x12El(seg, p.quantity), at(seg, p.quantity), draft.issues);
    if (pieces !== undefined) draft.pieces = pieces;

    const meanings = this.scope.profile.dispositions;
    if (!Object.hasOwn(meanings, disposition) || meanings[disposition] !== 'arrived') return;
    const date = parseCcyymmdd(x12El(seg, p.date));
    if (!date.ok) {
      draft.issues.push(
        issueAt(
          this.scope,
          'NORMALIZE_BAD_DATE',
          `arrival date (disposition ${disposition}): ${date.detail}`,
          at(seg, p.date),
        ),
      );
      return;
    }
    const rawTime = x12El(seg, p.time);
    if (rawTime.trim() === '') {
      draft.arrival = { date: date.value };
      return;
    }
    const time = parseHhmm(rawTime);
    if (!time.ok)
      draft.issues.push(
        issueAt(
          this.scope,
          'NORMALIZE_BAD_DATE',
          `arrival time (disposition ${disposition}): ${time.detail}`,
          at(seg, p.time),
        ),
      );
    else draft.arrival = { date: date.value, time: time.value };
  }

  private close(): void {
    const draft = this.draft;
    const places = this.bill;
    if (draft === undefined || places === undefined) return;
    this.draft = undefined;
    this.bill = undefined;
    const manifest = manifestIssues(this.scope, this.manifest, draft.start);
    const bill: BillResult =
      manifest.mode === 'air'
        ? airBill(places.bill, '', places.issuer)
        : surfaceBill(places.bill, places.issuer, manifest.carrierScac);
    this.out.add(closeStatus(this.scope, draft, manifest, bill, places.where));
  }

  drain(): NormalizeOutput {
    return this.out.drain();
  }

  finish(_result: MessageResult): NormalizeOutput {
    this.close();
    if (this.lines === 0) this.out.noShipments('X4');
    return this.out.drain();
  }
}

export function createX12_350(
  ic: X12InterchangeHeader,
  msg: MessageHeader,
  ctx: NormalizeContext,
): MessageNormalizer<X12Segment> {
  return new X12StatusNormalizer(createScope(ic, msg, ctx), msg);
}
