/**
 * Shared pieces of the queue-mode tests: worker settings for a test server, a waiter for the gate,
 * and a reference run of the same parts on the embedded SQLite store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { RedisDecisionStore } from '../../../src/adapters/store/redis/redis-store.js';
import { SqliteDecisionStore } from '../../../src/adapters/store/sqlite/sqlite-store.js';
import { applyBatch } from '../../../src/app/apply-batch.js';
import type { PartJobData } from '../../../src/app/queue/job-data.js';
import { type WorkerSettings, workerSettings } from '../../../src/app/queue/worker-settings.js';
import type { AggregationConfig } from '../../../src/core/aggregate/aggregator.js';
import type { Decision } from '../../../src/core/model/decision.js';
import type { PersonDayReport } from '../../../src/ports/decision-store.js';

export function testSettings(
  url: string,
  queueName: string,
  overrides: Partial<WorkerSettings> = {},
): WorkerSettings {
  return workerSettings({
    redis: { url },
    queueName,
    bullPrefix: 'test',
    lockDurationMs: 10_000,
    stalledIntervalMs: 5_000,
    retry: { attempts: 3, backoffMs: 100 },
    // The tests built on these settings are about the one-gate store unless they ask for
    // partitions: said explicitly, since a new store is partitioned by default.
    partitions: 0,
    ...overrides,
  });
}

/** Waits until the gate has closed `lastSeq` (every input up to it applied), or fails after `timeoutMs`. */
export async function waitForGate(
  store: RedisDecisionStore,
  lastSeq: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gate = await store.gate();
    if (gate.seq > lastSeq || (gate.seq === lastSeq && gate.done)) return;
    if (Date.now() > deadline)
      throw new Error(
        `gate at ${gate.seq}.${gate.part} (${gate.done ? 'closed' : 'open'}), expected ${lastSeq} closed within ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits (bounded) until no part job is waiting, running, delayed or failed: each one ended. */
export async function waitForQueueEnd(queue: Queue<PartJobData>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const unfinished = ['wait', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'] as const;
  for (;;) {
    const counts = await queue.getJobCounts(...unfinished);
    const left = Object.entries(counts).filter(([, n]) => n > 0);
    if (left.length === 0) return;
    if (Date.now() > deadline || (counts.failed ?? 0) > 0)
      throw new Error(`part jobs not finished: ${JSON.stringify(Object.fromEntries(left))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Comparable {
  decisions: Array<[string, number, string, string, string, number]>;
  personDays: Array<[string, string, number, number, string]>;
}

export function comparable(decisions: Decision[], personDays: PersonDayReport[]): Comparable {
  return {
    decisions: decisions.map((d) => [d.decisionId, d.seq, d.code, d.role, d.channel, d.totalCents]),
    personDays: personDays
      .filter((p) => p.bills > 0 || p.totalCents !== 0)
      .map((p) => [p.consigneeKey, p.day, p.totalCents, p.bills, p.billKeys.join(',')]),
  };
}

/** The embedded store fed the same parts in arrival order: what queue mode must reproduce. */
export async function embeddedReference(
  parts: readonly PartJobData[],
  config: AggregationConfig,
): Promise<Comparable> {
  const store = new SqliteDecisionStore(join(mkdtempSync(join(tmpdir(), 's321-ref-')), 'ref.db'));
  const ordered = [...parts].sort((a, b) => a.seq - b.seq || a.part - b.part);
  for (const p of ordered) await applyBatch(store, p.interchanges, config);
  const out = comparable(store.allDecisions(), await store.personDays());
  await store.close();
  return out;
}
