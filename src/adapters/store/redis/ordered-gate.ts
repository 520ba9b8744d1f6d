/**
 * The ordered gate: inputs are applied in arrival order. Every input has an arrival sequence (1, 2,
 * …, issued by the producer); a large input is split into parts 0..k, the last flagged. The store
 * keeps the position of the last applied part; a part may commit only right after its predecessor.
 */

/** Where a part sits in arrival order. */
export interface PartPosition {
  seq: number;
  part: number;
  last: boolean;
}

/** The last applied part: `done` once the last part of `seq` was applied (or the input skipped). */
export interface GateState {
  seq: number;
  part: number;
  done: boolean;
}

export const INITIAL_GATE: GateState = { seq: 0, part: 0, done: true };

export type GateRelation = 'ready' | 'applied' | 'waiting';

export function gateRelation(gate: GateState, pos: PartPosition): GateRelation {
  if (gate.seq > pos.seq) return 'applied';
  if (gate.seq === pos.seq) {
    // A closed input (its last part applied, or skipped by an operator) takes no more parts.
    if (gate.done || gate.part >= pos.part) return 'applied';
    return gate.part === pos.part - 1 ? 'ready' : 'waiting';
  }
  return pos.part === 0 && gate.seq === pos.seq - 1 && gate.done ? 'ready' : 'waiting';
}

export function parseGate(
  seq: string | null | undefined,
  part: string | null | undefined,
  done: string | null | undefined,
): GateState {
  return {
    seq: seq === null || seq === undefined ? 0 : Number(seq),
    part: part === null || part === undefined ? 0 : Number(part),
    done: done === null || done === undefined ? true : done === '1',
  };
}

export function formatGate(gate: GateState): string {
  return `${gate.seq}.${gate.part}${gate.done ? ' (closed)' : ' (open)'}`;
}

export function assertPosition(pos: PartPosition): void {
  if (!Number.isSafeInteger(pos.seq) || pos.seq < 1)
    throw new Error(`arrival sequence must be a positive integer, got ${pos.seq}`);
  if (!Number.isSafeInteger(pos.part) || pos.part < 0)
    throw new Error(`part must be a non-negative integer, got ${pos.part}`);
}
