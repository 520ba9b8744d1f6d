/**
 * Split-shipment suspects in `s321 report`'s text and JSON-lines output: each group with its
 * members (name, address, own total), the evidence pairs and the combined total.
 */
import { type SuspectView, usd } from './report-model.js';

export function suspectJson(s: SuspectView): object {
  return {
    kind: 'split-suspect',
    id: s.group.id,
    day: s.group.day,
    combinedCents: s.group.combinedCents,
    thresholdCents: s.thresholdCents,
    combinedExceeds: s.combinedExceeds,
    members: s.group.members.map((m) => ({
      consigneeKey: m.consigneeKey,
      name: s.labels[m.consigneeKey]?.name ?? '',
      address: s.labels[m.consigneeKey]?.address ?? '',
      totalCents: m.totalCents,
      bills: m.bills,
    })),
    pairs: s.group.pairs,
  };
}

export function suspectText(s: SuspectView): string {
  const over = s.combinedExceeds ? '  TOGETHER OVER THRESHOLD' : '';
  const lines = [
    `${s.group.day}  SPLIT-SUSPECT  ${s.group.members.length} near-identical consignees, combined ${usd(s.group.combinedCents)} USD (not merged)${over}`,
  ];
  for (const m of s.group.members)
    lines.push(
      `            ${usd(m.totalCents).padStart(12)} USD  ${s.labels[m.consigneeKey]?.text ?? m.consigneeKey}`,
    );
  for (const p of s.group.pairs) {
    const name = (k: string): string => s.labels[k]?.name || k;
    lines.push(`            evidence: ${name(p.a)} / ${name(p.b)}: ${p.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
