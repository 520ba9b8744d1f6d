/**
 * Split-shipment suspects (rules.md §3: report, do not merge): person-days of one calendar day whose
 * consignees are near-identical (near-identical.ts). The candidates come in blocks that share a
 * blocking key — the folded address, or the folded name — so only people who could match are
 * compared, never every pair of a day. The person-days stay separate; a suspect group only says
 * which ones, why, and what they would total together.
 */
import type { AuditRecord } from '../aggregate/state.js';
import type { ConsigneeIdentity } from './consignee-key.js';
import { compareFolded, type FoldedParty, foldParty, type NearReason } from './near-identical.js';

/** One person-day with the consignee as first sent for it. */
export interface PartyDay {
  day: string;
  consigneeKey: string;
  totalCents: number;
  bills: number;
  party: ConsigneeIdentity;
}

export interface SuspectPair {
  a: string;
  b: string;
  reason: NearReason;
}

/** Person-days of one day linked by near-identical pairs (transitively), with their combined total. */
export interface SplitSuspectGroup {
  /** Stable id: the day and the sorted consignee keys. */
  id: string;
  day: string;
  members: PartyDay[];
  /** The evidence: every near-identical pair found between members. */
  pairs: SuspectPair[];
  combinedCents: number;
}

/**
 * The suspect groups of the given blocks. Each block is the person-days of one day sharing one
 * blocking key; a pair found in two blocks (same name and address, other id) counts once.
 */
export function splitSuspects(blocks: Iterable<readonly PartyDay[]>): SplitSuspectGroup[] {
  const byKey = new Map<string, PartyDay>();
  const pairs = new Map<string, SuspectPair & { day: string }>();
  for (const all of blocks) {
    // A person-day whose bills all left it (amended to another consignee, moved to their arrival
    // day) holds no value: nothing of it is split, and with it a group would report a total that
    // one member alone has.
    const block = all.some((m) => m.bills === 0) ? all.filter((m) => m.bills > 0) : all;
    // Each member folded once per block, not once per pair.
    const folded: FoldedParty[] = block.map((m) => foldParty(m.party));
    for (let i = 0; i < block.length; i++) {
      const a = block[i] as PartyDay;
      for (let j = i + 1; j < block.length; j++) {
        const b = block[j] as PartyDay;
        if (a.day !== b.day || a.consigneeKey === b.consigneeKey) continue;
        const [x, y] = a.consigneeKey < b.consigneeKey ? [a, b] : [b, a];
        const id = `${x.day}\u0000${x.consigneeKey}\u0000${y.consigneeKey}`;
        if (pairs.has(id)) continue;
        const cmp = compareFolded(folded[i] as FoldedParty, folded[j] as FoldedParty);
        if (cmp.relation !== 'near') continue;
        pairs.set(id, { day: x.day, a: x.consigneeKey, b: y.consigneeKey, reason: cmp.reason });
        byKey.set(`${x.day}\u0000${x.consigneeKey}`, x);
        byKey.set(`${y.day}\u0000${y.consigneeKey}`, y);
      }
    }
  }
  return groupPairs(byKey, [...pairs.values()]);
}

/** Connected components of the pairs (union-find), ordered by day, then by first member key. */
function groupPairs(
  byKey: Map<string, PartyDay>,
  pairs: Array<SuspectPair & { day: string }>,
): SplitSuspectGroup[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(k, root);
    return root;
  };
  for (const k of byKey.keys()) parent.set(k, k);
  for (const p of pairs) {
    const ra = find(`${p.day}\u0000${p.a}`);
    const rb = find(`${p.day}\u0000${p.b}`);
    // The smaller key becomes the root, so a group's root does not depend on the pair order.
    if (ra === rb) continue;
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    parent.set(child, root);
  }
  const groups = new Map<string, { members: PartyDay[]; pairs: SuspectPair[] }>();
  for (const [k, member] of byKey) {
    const root = find(k);
    const g = groups.get(root) ?? { members: [], pairs: [] };
    g.members.push(member);
    groups.set(root, g);
  }
  for (const p of pairs)
    groups.get(find(`${p.day}\u0000${p.a}`))?.pairs.push({ a: p.a, b: p.b, reason: p.reason });
  const out: SplitSuspectGroup[] = [];
  for (const g of groups.values()) {
    g.members.sort((x, y) =>
      x.consigneeKey < y.consigneeKey ? -1 : x.consigneeKey > y.consigneeKey ? 1 : 0,
    );
    const day = (g.members[0] as PartyDay).day;
    out.push({
      id: `${day}|${g.members.map((m) => m.consigneeKey).join('|')}`,
      day,
      members: g.members,
      pairs: g.pairs,
      combinedCents: g.members.reduce((sum, m) => sum + m.totalCents, 0),
    });
  }
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/**
 * The audit record of a suspect group: totalCents is the combined total, members keep their own
 * totals (the person-days are not merged). No event caused it; causeEventId names the group.
 */
export function suspectAuditRecord(g: SplitSuspectGroup): AuditRecord {
  return {
    kind: 'near-identical-consignee',
    day: g.day,
    totalCents: g.combinedCents,
    causeEventId: `split-suspect:${g.id}`,
    detail: `${g.members.length} near-identical consignees on ${g.day} total ${(g.combinedCents / 100).toFixed(2)} USD together; reported, not merged (${[...new Set(g.pairs.map((p) => p.reason))].join(', ')})`,
    members: g.members.map((m) => ({ consigneeKey: m.consigneeKey, totalCents: m.totalCents })),
    pairs: g.pairs.map((p) => ({ ...p })),
  };
}
