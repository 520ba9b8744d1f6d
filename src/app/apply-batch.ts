/**
 * The one batch use case (issue #14): whatever the store, a batch of interchanges is applied by
 * this code — the duplicate rule, the crossing prediction and the decision loop run here, over the
 * state the store's BatchSession exposes, and the store only loads state and commits the ChangeSet.
 */
import { type AggregationConfig, applyEvents, type EventObserver } from '../core/aggregate/aggregator.js';
import {
  eventsOf,
  type InterchangeEvents,
  likelyCrossings,
  StateKeys,
  screenInterchanges,
  stateKeysOf,
} from '../core/aggregate/engine.js';
import type { ChangeSet } from '../core/aggregate/state.js';
import { NOTHING_PRUNED, screenRetention } from '../core/aggregate/retention.js';
import {
  type BatchCommit,
  type BatchOutcome,
  type BatchSession,
  type DecisionStore,
  type ReadSession,
  StaleStateError,
} from '../ports/decision-store.js';

export type Attempt = { status: 'committed'; outcome: BatchOutcome; rounds: number } | { status: 'stale' };

const MAX_ATTEMPTS = 100;

/** Applies a batch at the current end of the store's state (retrying while other writers get in). */
export async function applyBatch(
  store: Pick<DecisionStore, 'openBatch'>,
  interchanges: readonly InterchangeEvents[],
  config: AggregationConfig,
): Promise<BatchOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await attemptOnce(store.openBatch(), interchanges, config);
    if (result.status === 'committed') return result.outcome;
  }
  throw new Error(`applyBatch: the store kept changing (${MAX_ATTEMPTS} attempts)`);
}

/**
 * The one duplicate rule for a caller that screens before it splits a batch (the partitioned
 * store's router: app/queue/route-input.ts), so the rule still runs from this module only.
 */
export function screenBatch(
  interchanges: readonly InterchangeEvents[],
  firstFile: (ic: InterchangeEvents) => string | undefined,
): ReturnType<typeof screenInterchanges> {
  return screenInterchanges(interchanges, firstFile);
}

/** One attempt on an open session, which it closes. */
export async function attemptOnce(
  session: BatchSession,
  interchanges: readonly InterchangeEvents[],
  config: AggregationConfig,
): Promise<Attempt> {
  try {
    return await attemptBatch(session, interchanges, config);
  } catch (err) {
    if (err instanceof StaleStateError) return { status: 'stale' };
    throw err;
  } finally {
    session.close();
  }
}

/** What a pre-check computed: the batch as it would be committed, and what the observer saw. */
export interface DiscardedBatch {
  changes: ChangeSet;
  outcome: BatchOutcome;
}

/**
 * Runs the batch exactly as `applyBatch` would, over a snapshot of the store's current state, and
 * discards the result (issue #16's pre-check): the store is never asked to commit, and the snapshot
 * is closed (rolled back) whatever happens. `observer` sees each event of the run that is kept (for
 * a store that loads, the last run, which read nothing it had not loaded).
 */
export async function computeDiscarded(
  store: Pick<DecisionStore, 'openSnapshot'>,
  interchanges: readonly InterchangeEvents[],
  config: AggregationConfig,
  observer?: (() => EventObserver) | undefined,
): Promise<DiscardedBatch> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const session = store.openSnapshot();
    let kept: BatchCommit | undefined;
    try {
      await runBatch(
        session,
        interchanges,
        config,
        async (batch) => {
          kept = batch;
          // Ended here, before the caller's next await: nothing else on the connection runs while
          // the snapshot's transaction is open.
          session.close();
          return true;
        },
        observer,
      );
    } catch (err) {
      if (err instanceof StaleStateError) continue;
      throw err;
    } finally {
      session.close();
    }
    if (kept !== undefined) return { changes: kept.changes, outcome: kept.outcome };
  }
  throw new Error(`pre-check: the store kept changing (${MAX_ATTEMPTS} attempts)`);
}

/** Computes the batch over the session's state and commits it. */
function attemptBatch(
  session: BatchSession,
  interchanges: readonly InterchangeEvents[],
  config: AggregationConfig,
): Promise<Attempt> {
  return runBatch(session, interchanges, config, (batch) => session.commit(batch));
}

/**
 * The one run of the core: duplicate screening, crossing prediction, the decision loop with its
 * load rounds, then `finish` with what the batch would commit. For a session without `load` nothing
 * here awaits before `finish` is called, so reads and commit are one synchronous stretch.
 * `observer` builds a fresh observer for each run of the core (a rerun starts it over).
 */
async function runBatch(
  session: ReadSession,
  interchanges: readonly InterchangeEvents[],
  config: AggregationConfig,
  finish: (batch: BatchCommit) => Promise<boolean>,
  observer?: () => EventObserver,
): Promise<Attempt> {
  if (session.load !== undefined) await session.load(stateKeysOf(interchanges), interchanges);
  const { fresh, duplicates } = screenInterchanges(interchanges, (ic) => session.appliedFile(ic));
  // The retention rule: events naming a day or a bill the store pruned are reported, not applied
  // (the bills a batch names are loaded by now, so the view answers whether each is on record).
  const { kept: events, rejected: pruned } = screenRetention(
    eventsOf(fresh),
    session.retention?.() ?? NOTHING_PRUNED,
    session.view(new StateKeys()),
  );
  if (session.load !== undefined) {
    // Member lists are read only for person-days that cross their threshold; loading the likely
    // ones now saves running the whole batch a second time to find them.
    const likely = likelyCrossings(events, session.view(new StateKeys()), config);
    if (!likely.empty) await session.load(likely, []);
  }
  const maxRounds = session.maxLoadRounds ?? 64;
  let computeMs = 0;
  for (let round = 1; ; round++) {
    const misses = new StateKeys();
    const started = performance.now();
    const changes = applyEvents(events, session.view(misses), config, observer?.());
    computeMs += performance.now() - started;
    if (misses.empty) {
      const outcome: BatchOutcome = {
        decisions: changes.decisions,
        audit: changes.audit,
        duplicates,
        eventsApplied: events.length,
        ...(pruned.length > 0 ? { pruned } : {}),
      };
      const committed = await finish({ changes, fresh, outcome, rounds: round, computeMs });
      return committed ? { status: 'committed', outcome, rounds: round } : { status: 'stale' };
    }
    if (session.load === undefined)
      throw new Error(
        'the store reported unloaded state but cannot load (a store without load() must read everything)',
      );
    if (round >= maxRounds) throw new Error(`batch still needed unloaded state after ${maxRounds} rounds`);
    await session.load(misses, []);
  }
}
