/**
 * Groups interchanges into batches (~10k events) and keeps the run's counters. A batch is what the
 * caller schedules by (its acknowledgments, input accounting and outbound emits happen at batch
 * boundaries: `batches`, `pendingInterchanges`, `decisionsAtBoundary`); it is committed to the store
 * in transactions of at most `commitEvents` events (one transaction per batch when they are equal,
 * the default; a transaction of many events is measured ~6× faster than autocommit). Why smaller
 * commits: every event, its working state and its change records stay alive until their commit,
 * so with 10k-event commits most of them outlived two scavenges and were promoted to the old
 * generation (GC ≈ 18% of the replay's main thread and most of V8's helper threads); at a boundary
 * the store holds exactly what one commit per batch would have written, so the schedule, and
 * every output, stays the same (README, Performance).
 */
import type { AggregationConfig } from '../core/aggregate/aggregator.js';
import type { AuditRecord } from '../core/aggregate/state.js';
import type { Decision } from '../core/model/decision.js';
import type { Issue } from '../core/model/issue.js';
import type { BatchOutcome, DecisionStore, InterchangeEvents } from '../ports/decision-store.js';
import { applyBatch } from './apply-batch.js';

export interface BatcherTotals {
  eventsApplied: number;
  decisions: number;
  duplicates: BatchOutcome['duplicates'];
  audit: number;
  /** Events rejected by the retention rule and not yet taken by the caller (`takePruned`). */
  pruned: Issue[];
  prunedEvents: number;
}

export class AggregateBatcher {
  /** Interchanges added and not committed yet, and their events. */
  private pending: InterchangeEvents[] = [];
  private pendingEvents = 0;
  /** Events and interchanges added since the last batch boundary (committed or not). */
  private batchEventsAdded = 0;
  private batchInterchanges = 0;
  readonly totals: BatcherTotals = {
    eventsApplied: 0,
    decisions: 0,
    duplicates: [],
    audit: 0,
    pruned: [],
    prunedEvents: 0,
  };
  /** Batches completed (committed whole) so far. */
  batches = 0;
  /** Decisions committed as of the last batch boundary (`totals.decisions` may be ahead of it). */
  decisionsAtBoundary = 0;

  /** Interchanges added since the last batch boundary (some may be committed already). */
  get pendingInterchanges(): number {
    return this.batchInterchanges;
  }

  constructor(
    private readonly store: DecisionStore,
    private readonly config: AggregationConfig,
    private readonly batchEvents = 10_000,
    /** Called after each commit with what it decided (also between batch boundaries). */
    private readonly onDecisions: (decisions: Decision[], audit: AuditRecord[]) => void = () => {},
    private readonly commitEvents = batchEvents,
  ) {}

  /** The retention rejections committed since the last call (the caller accounts them per input). */
  takePruned(): Issue[] {
    return this.totals.pruned.splice(0);
  }

  async add(interchange: InterchangeEvents): Promise<void> {
    this.pending.push(interchange);
    this.pendingEvents += interchange.events.length;
    this.batchEventsAdded += interchange.events.length;
    this.batchInterchanges += 1;
    if (this.batchEventsAdded >= this.batchEvents) await this.flush();
    else if (this.pendingEvents >= this.commitEvents) await this.commitPending();
  }

  /** Ends the batch: commits what is pending; a boundary when anything was added since the last. */
  async flush(): Promise<void> {
    await this.commitPending();
    if (this.batchInterchanges === 0) return;
    this.batches += 1;
    this.batchEventsAdded = 0;
    this.batchInterchanges = 0;
    this.decisionsAtBoundary = this.totals.decisions;
  }

  private async commitPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingEvents = 0;
    const out = await applyBatch(this.store, batch, this.config);
    this.totals.eventsApplied += out.eventsApplied;
    this.totals.decisions += out.decisions.length;
    this.totals.duplicates.push(...out.duplicates);
    this.totals.audit += out.audit.length;
    if (out.pruned !== undefined) {
      this.totals.pruned.push(...out.pruned);
      this.totals.prunedEvents += out.pruned.length;
    }
    this.onDecisions(out.decisions, out.audit);
  }
}
