/**
 * Queue mode: applies one part of an input in arrival order on the Redis store — the store's gate
 * says whether it is the part's turn, the shared batch use case (app/apply-batch.ts) computes it,
 * and the store's gated commit applies it exactly once. A part already applied returns its stored
 * outcome and applies nothing.
 */

import type { PartPosition } from '../../adapters/store/redis/ordered-gate.js';
import type {
  OrderedOptions,
  OrderedResult,
  RedisDecisionStore,
} from '../../adapters/store/redis/redis-store.js';
import type { AggregationConfig } from '../../core/aggregate/aggregator.js';
import type { InterchangeEvents } from '../../core/aggregate/engine.js';
import { attemptOnce } from '../apply-batch.js';

const MAX_ATTEMPTS = 100;

export async function applyInOrder(
  store: RedisDecisionStore,
  pos: PartPosition,
  interchanges: readonly InterchangeEvents[],
  config: AggregationConfig,
  options: OrderedOptions = {},
): Promise<OrderedResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const turn = await store.turn(pos, options.waitMs ?? 0, options.signal);
    if (turn.status !== 'ready') return turn;
    const session = store.openBatch({
      pos,
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
    });
    const result = await attemptOnce(session, interchanges, config);
    if (result.status === 'committed')
      return { status: 'applied', outcome: result.outcome, rounds: result.rounds };
    // Stale: another holder of this part committed it first (a redelivered job), the gate moved,
    // or an unordered writer got in between. Look at the gate again.
  }
  throw new Error(`part ${pos.seq}.${pos.part}: gave up after ${MAX_ATTEMPTS} conflicting commits`);
}
