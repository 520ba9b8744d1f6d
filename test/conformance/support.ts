/**
 * Inbound conformance helpers: whole interchanges built the way CBP's guides and published samples
 * lay them out (envelope counts computed here), read by s321's real readers and normalizers.
 */
import type { ShipmentEvent } from '../../src/core/model/shipment-event.js';
import { context, type FileRun, runFile } from '../normalize/support.js';

/** An X12 interchange with one group of one transaction set per body (ISA padded to 106 characters). */
export function x12(
  sender: string,
  group: { id: string; version: string },
  sets: ReadonlyArray<{ st: string; body: readonly string[] }>,
  control = '000000901',
): string {
  const isa = `ISA*00*          *00*          *ZZ*${sender.padEnd(15)}*ZZ*CBPACE         *251014*0900*^*00501*${control}*0*P*>~`;
  const lines = [isa, `GS*${group.id}*${sender}*CBPACE*20251014*0900*${Number(control)}*X*${group.version}~`];
  sets.forEach((set, i) => {
    const ref = String(i + 1).padStart(4, '0');
    const segs = [`ST*${set.st}*${ref}`, ...set.body];
    lines.push(...segs.map((s) => `${s}~`), `SE*${segs.length + 1}*${ref}~`);
  });
  lines.push(`GE*${sets.length}*${Number(control)}~`, `IEA*1*${control}~`);
  return `${lines.join('\n')}\n`;
}

/** A UN/EDIFACT interchange (UNOA:4, a UNG group) with one message per body. */
export function edifact(
  sender: string,
  type: string,
  bodies: ReadonlyArray<readonly string[]>,
  control = '901',
): string {
  const lines = [
    `UNB+UNOA:4+${sender}:ZZ+CBP-ACE:ZZ+251014:0900+${control}++ACE'`,
    `UNG+${type}+${sender}:ZZ+CBP-ACE:ZZ+251014:0900+${control}+UN+D:03B'`,
  ];
  bodies.forEach((body, i) => {
    const ref = `${type}${i + 1}`;
    const segs = [`UNH+${ref}+${type}:D:03B:UN`, ...body];
    lines.push(...segs.map((s) => `${s}'`), `UNT+${segs.length + 1}+${ref}'`);
  });
  lines.push(`UNE+${bodies.length}+${control}'`, `UNZ+1+${control}'`);
  return `${lines.join('\n')}\n`;
}

export function read(text: string, ctx = context()): FileRun {
  return runFile(Buffer.from(text, 'latin1'), 'conformance.edi', ctx);
}

/** The facts the aggregation uses, per event: what the conformance tests assert. */
export function facts(e: ShipmentEvent) {
  return {
    bill: e.bill.key,
    kind: e.kind,
    mode: e.mode,
    type: e.shipmentType,
    consignee: e.consignee === undefined ? undefined : `${e.consignee.role} ${e.consignee.name}`,
    cents: e.value?.usdCents,
    day: e.eda ?? e.arrivalDate,
  };
}
