/**
 * The ingest job: one raw input (its arrival sequence and bytes) → shipment events by the embedded
 * pipeline's own ingest code → the acknowledgment of each interchange, recorded for the emitter →
 * aggregate parts (seq, 0..k, last) in one atomic addBulk.
 * A rejected input (nothing usable in it) still yields a part: an empty one with the reason, so its
 * sequence is applied and the inputs after it are not held up; its payload goes to the dead-letter
 * queue as 'rejected' (the queue-mode quarantine).
 *
 * Acknowledgments are recorded before the parts are added, as the embedded mode writes them before
 * the input's batch commits: they acknowledge receipt and syntax, not aggregation. A crash between
 * the two is repaired by the redelivered job (its acknowledgments are found recorded, nothing is
 * reserved or recorded again, and the parts are added); an input whose job then fails for good has
 * been acknowledged and is dead-lettered with its payload. Recording them first also lets the
 * emitter write them at once, before the input's turn at the gate comes.
 */
import type { Job } from 'bullmq';
import type { DeadLetterEntry } from '../../adapters/queue/dead-letter.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { FileOutcome } from '../../core/pipeline/outcome.js';
import { allIssues, hasRejections } from '../../core/pipeline/outcome.js';
import type { PipelineMetrics } from '../../ports/metrics.js';
import type { IngestOptions } from '../ingest-file.js';
import { countRead } from '../pipeline-metrics.js';
import { deadLetterEntry } from './dead-lettering.js';
import type { RecordedAcks } from './ingest-acks.js';
import { ingestBytes } from './ingest-bytes.js';
import type { IngestInput } from './ingest-input.js';
import type { PartJobData } from './job-data.js';
import { splitParts } from './split-parts.js';

export interface IngestDeps {
  /** Reads the job's data into an input (throws BadJobDataError on malformed data). */
  inputOf: (data: unknown) => Promise<IngestInput>;
  ingest: IngestOptions;
  /** Adds every part of one input at once, under stable ids (one MULTI: all or none). */
  addParts: (parts: PartJobData[]) => Promise<void>;
  deadLetter: (entry: DeadLetterEntry) => Promise<void>;
  /** Records the acknowledgments of the input's interchanges (idempotent); absent: none. */
  acknowledge?: (input: IngestInput, outcome: FileOutcome) => Promise<RecordedAcks>;
  /** Asks the emitter to write what was recorded for input `seq` (idempotent per seq). */
  triggerEmit?: (seq: number) => Promise<void>;
  /** Events per part (default 5000). */
  maxPartEvents?: number;
  now: () => Date;
  logger: AdapterLogger;
  /** Shipments read and rejections, counted per job run (at-least-once: a redelivery counts again). */
  metrics?: PipelineMetrics;
}

export interface IngestJobResult {
  seq: number;
  name: string;
  parts: number;
  interchanges: number;
  events: number;
  rejected: boolean;
  /** Acknowledgments recorded by this run, and those a previous run of the job had recorded. */
  acks: number;
  acksRecordedBefore: number;
}

export function createIngestProcessor(deps: IngestDeps) {
  return async (job: Job<unknown, IngestJobResult>): Promise<IngestJobResult> => {
    const input = await deps.inputOf(job.data);
    const read = await ingestBytes(input.bytes, input.name, deps.ingest);
    const rejected = hasRejections(read.outcome);
    const events = read.interchanges.reduce((n, ic) => n + ic.events.length, 0);
    const reason = rejected ? rejectionReason(read.outcome, events) : undefined;
    if (deps.metrics !== undefined)
      countRead(
        deps.metrics,
        read.interchanges.flatMap((ic) => ic.events),
        allIssues(read.outcome),
      );
    const acks =
      deps.acknowledge !== undefined
        ? await deps.acknowledge(input, read.outcome)
        : { recorded: 0, already: 0 };
    // Also when they were all recorded before: the crash may have come before the trigger.
    if (acks.recorded + acks.already > 0 && deps.triggerEmit !== undefined) await deps.triggerEmit(input.seq);
    if (rejected) {
      await deps.deadLetter(
        deadLetterEntry(
          job,
          {
            kind: 'rejected',
            attemptsMade: job.attemptsMade + 1,
            seq: input.seq,
            name: input.name,
            reason: reason ?? 'rejected',
            issues: errorIssues(read.outcome),
          },
          deps.now(),
        ),
      );
    }
    const groups = splitParts(read.interchanges, deps.maxPartEvents ?? 5_000);
    const parts: PartJobData[] = groups.map((interchanges, part) => ({
      seq: input.seq,
      part,
      last: part === groups.length - 1,
      name: input.name,
      interchanges,
      ...(events === 0 && reason !== undefined ? { reason } : {}),
    }));
    await deps.addParts(parts);
    const result: IngestJobResult = {
      seq: input.seq,
      name: input.name,
      parts: parts.length,
      interchanges: read.interchanges.length,
      events,
      rejected,
      acks: acks.recorded,
      acksRecordedBefore: acks.already,
    };
    deps.logger.info({ ...result }, 'input ingested');
    return result;
  };
}

function errorIssues(outcome: FileOutcome): Array<{ code: string; message: string }> {
  return allIssues(outcome)
    .filter((i) => i.severity === 'error')
    .slice(0, 200)
    .map((i) => ({ code: i.code, message: i.message }));
}

function rejectionReason(outcome: FileOutcome, events: number): string {
  const errors = allIssues(outcome).filter((i) => i.severity === 'error');
  const codes = [...new Set(errors.map((i) => i.code))].slice(0, 5).join(', ');
  const what = events === 0 ? 'input rejected' : 'input partly rejected';
  return `${what}: ${errors.length} error(s)${codes !== '' ? ` (${codes})` : ''}`;
}
