/**
 * Operator actions on a partitioned store (issue #15; `s321 queue skip`), the counterparts of
 * RedisDecisionStore.skipSequence for the two kinds of gate a partitioned store has:
 *  - the router's gate (inputs in arrival order): an input that will never (fully) arrive is closed
 *    by routing an empty part at the router's next position, recorded as closed (a part of it that
 *    turns up later is dropped, route-input.ts), whose partition parts — empty, carrying the
 *    reason — move every partition's gate past it;
 *  - one partition's gate (routings in order): a partition part whose job was lost (deleted by
 *    hand) is closed in that partition alone with the store's own skip.
 */

import { formatGate } from '../../adapters/store/redis/ordered-gate.js';
import type { PartitionedRedisStore } from '../../adapters/store/redis/partitioned-store.js';
import { successorOf } from './aggregate-processor.js';
import { type PartitionPartData, partsOf } from './apply-partition-part.js';
import { routeInput } from './route-input.js';

export class NotNextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotNextError';
  }
}

/**
 * Closes input `seq` at the router: it must be the input the router waits for. Its remaining parts
 * are routed as one empty part carrying the reason; `addParts` queues that routing's (empty) part
 * in every partition. Returns the closed position and its routing sequence.
 */
export async function skipRoutedInput(
  store: PartitionedRedisStore,
  seq: number,
  reason: string,
  addParts: (parts: PartitionPartData[]) => Promise<void>,
): Promise<{ seq: number; part: number; routing: number }> {
  const gate = await store.router.gate();
  const next = successorOf(gate);
  if (next.seq !== seq)
    throw new NotNextError(
      `sequence ${seq} is not the next one to route (the router is at ${formatGate(gate)})`,
    );
  const why = `skipped by operator: ${reason}`;
  const routed = await routeInput(store, { seq, part: next.part, last: true }, [], { closed: why });
  if (routed.status === 'not-ready')
    throw new NotNextError(`the router moved while skipping (now at ${formatGate(routed.gate)}); look again`);
  if (routed.before) throw new NotNextError(`input ${seq} part ${next.part} was routed meanwhile`);
  await store.router.recordSkip(seq, reason);
  await addParts(partsOf(routed.input, '', why));
  return { seq, part: next.part, routing: routed.input.seq };
}

/** Closes routing `routing` in partition `partition` alone (its part's job was lost). */
export async function skipPartitionPart(
  store: PartitionedRedisStore,
  partition: number,
  routing: number,
  reason: string,
): Promise<{ seq: number; part: number }> {
  return store.partition(partition).skipSequence(routing, reason);
}
