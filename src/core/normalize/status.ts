/** Status lines (X12 350 X4 loops, CUSRES bill groups) → 'status' events. */
import type { Issue } from '../model/issue.js';
import type { Mode, ShipmentEvent } from '../model/shipment-event.js';
import type { BillResult } from './bill.js';
import { type Closed, nonEmpty, sourceOf } from './declaration.js';
import { assignEventId } from './event-id.js';
import { issueAt, type MessageScope, type Where } from './scope.js';
import type { ShipmentRejection } from './types.js';

export interface StatusDraft {
  start: Where;
  disposition?: string;
  arrival?: { date: string; time?: string };
  pieces?: number;
  entryNumber?: string;
  remarks: string[];
  unmapped: string[];
  issues: Issue[];
}

export function newStatusDraft(start: Where): StatusDraft {
  return { start, remarks: [], unmapped: [], issues: [] };
}

export interface StatusHeader {
  carrierScac: string;
  mode?: Mode;
  modeIssue?: Issue;
  port?: string;
  conveyanceRef?: string;
}

/**
 * Status events carry no shipment type of their own: 'other' here means "not stated", and the
 * aggregator keeps the type of the declaration it already holds for the bill.
 */
export function closeStatus(
  scope: MessageScope,
  draft: StatusDraft,
  header: StatusHeader,
  billResult: BillResult,
  billAt: Where,
): Closed {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  for (const issue of draft.issues) (issue.severity === 'error' ? errors : warnings).push(issue);
  if (header.modeIssue !== undefined) errors.push(header.modeIssue);
  if (!billResult.ok) {
    const code =
      billResult.problem === 'missing-bill'
        ? 'NORMALIZE_MISSING_BILL'
        : billResult.problem === 'missing-issuer'
          ? 'NORMALIZE_MISSING_ISSUER'
          : 'NORMALIZE_BAD_AIR_WAYBILL';
    errors.push(issueAt(scope, code, billResult.detail, billAt));
  } else if (!billResult.checkDigitOk && scope.profile.air.checkDigit) {
    warnings.push(
      issueAt(
        scope,
        'NORMALIZE_AWB_CHECK_DIGIT',
        `air waybill serial of ${billResult.bill.key} fails the mod-7 check digit`,
        billAt,
      ),
    );
  }
  if (errors.length > 0 || !billResult.ok || header.mode === undefined) {
    const rejection: ShipmentRejection = {
      segmentIndex: draft.start.index,
      issues: [...errors, ...warnings],
    };
    if (billResult.ok) rejection.bill = billResult.bill.key;
    return { rejection };
  }
  // Key by key in the event's order (see closeDeclaration); optional fields stay absent.
  const event = {
    eventId: '',
    kind: 'status',
    bill: billResult.bill,
    mode: header.mode,
    shipmentType: 'other',
    express: false,
  } as ShipmentEvent;
  const entryNumber = nonEmpty(draft.entryNumber);
  if (entryNumber !== undefined) event.entryNumber = entryNumber;
  event.carrierScac = header.carrierScac !== '' ? header.carrierScac : billResult.bill.issuer;
  const port = nonEmpty(header.port);
  if (port !== undefined) event.port = port;
  const conveyanceRef = nonEmpty(header.conveyanceRef);
  if (conveyanceRef !== undefined) event.conveyanceRef = conveyanceRef;
  if (draft.pieces !== undefined) event.pieces = draft.pieces;
  if (draft.arrival !== undefined) {
    event.arrivalDate = draft.arrival.date;
    if (draft.arrival.time !== undefined) event.arrivalTime = draft.arrival.time;
  }
  const disposition = nonEmpty(draft.disposition);
  if (disposition !== undefined) event.disposition = disposition;
  event.origins = [];
  event.hts = [];
  if (draft.remarks.length > 0) event.description = draft.remarks.join(' / ');
  event.unmapped = draft.unmapped;
  event.source = sourceOf(scope, draft.start);
  assignEventId(event, draft.start.index - scope.messageIndex + 1);
  return { event, warnings };
}
