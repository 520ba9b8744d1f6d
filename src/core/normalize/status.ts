/** Status lines (X12 350 X4 loops, CUSRES bill groups) → 'status' events. */
import type { Issue } from '../model/issue.js';
import type { Mode } from '../model/shipment-event.js';
import type { BillResult } from './bill.js';
import { type Closed, finishEvent, nonEmpty, pushBillIssues, sourceOf } from './declaration.js';
import { eventFields } from './event-build.js';
import { joinOwn, ownString } from './own-string.js';
import type { MessageScope, Where } from './scope.js';
import type { ShipmentRejection } from './types.js';

/** Every field always present (one hidden class for all drafts; see DeclarationDraft). */
export interface StatusDraft {
  start: Where;
  disposition: string | undefined;
  arrival: { date: string; time?: string } | undefined;
  pieces: number | undefined;
  entryNumber: string | undefined;
  remarks: string[];
  unmapped: string[];
  issues: Issue[];
}

export function newStatusDraft(start: Where): StatusDraft {
  return {
    start,
    disposition: undefined,
    arrival: undefined,
    pieces: undefined,
    entryNumber: undefined,
    remarks: [],
    unmapped: [],
    issues: [],
  };
}

export interface StatusHeader {
  carrierScac: string;
  mode?: Mode | undefined;
  modeIssue?: Issue | undefined;
  port?: string | undefined;
  conveyanceRef?: string | undefined;
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
  pushBillIssues(scope, billResult, billAt, errors, warnings);
  if (errors.length > 0 || !billResult.ok || header.mode === undefined) {
    const rejection: ShipmentRejection = {
      segmentIndex: draft.start.index,
      issues: [...errors, ...warnings],
    };
    if (billResult.ok) rejection.bill = billResult.bill.key;
    return { rejection };
  }
  const f = eventFields();
  f.kind = 'status';
  f.bill = billResult.bill;
  f.mode = header.mode;
  f.shipmentType = 'other';
  f.express = false;
  // ownString: the event outlives the reader's text (own-string.ts).
  const entryNumber = nonEmpty(draft.entryNumber);
  f.entryNumber = entryNumber === undefined ? undefined : ownString(entryNumber);
  f.carrierScac = header.carrierScac !== '' ? header.carrierScac : billResult.bill.issuer;
  f.port = nonEmpty(header.port);
  f.conveyanceRef = nonEmpty(header.conveyanceRef);
  f.pieces = draft.pieces;
  f.arrivalDate = draft.arrival?.date;
  f.arrivalTime = draft.arrival?.time;
  const disposition = nonEmpty(draft.disposition);
  f.disposition = disposition === undefined ? undefined : ownString(disposition);
  f.origins = [];
  f.hts = [];
  if (draft.remarks.length > 0) f.description = joinOwn(draft.remarks, ' / ');
  f.unmapped = draft.unmapped.slice(); // exact size (see closeDeclaration)
  f.source = sourceOf(scope, draft.start);
  return { event: finishEvent(scope, f, draft.start), warnings };
}
