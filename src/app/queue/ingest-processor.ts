/**
 * The ingest job: one raw input (its arrival sequence and bytes) → shipment events by the embedded
 * pipeline's own ingest code → aggregate parts (seq, 0..k, last) in one atomic addBulk.
 * A rejected input (nothing usable in it) still yields a part: an empty one with the reason, so its
 * sequence is applied and the inputs after it are not held up; its payload goes to the dead-letter
 * queue as 'rejected' (the queue-mode quarantine).
 */
import type { Job } from 'bullmq';
import type { DeadLetterEntry } from '../../adapters/queue/dead-letter.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { FileOutcome } from '../../core/pipeline/outcome.js';
import { allIssues, hasRejections } from '../../core/pipeline/outcome.js';
import type { IngestOptions } from '../ingest-file.js';
import { deadLetterEntry } from './dead-lettering.js';
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
  /** Events per part (default 5000). */
  maxPartEvents?: number;
  now: () => Date;
  logger: AdapterLogger;
}

export interface IngestJobResult {
  seq: number;
  name: string;
  parts: number;
  interchanges: number;
  events: number;
  rejected: boolean;
}

export function createIngestProcessor(deps: IngestDeps) {
  return async (job: Job<unknown, IngestJobResult>): Promise<IngestJobResult> => {
    const input = await deps.inputOf(job.data);
    const read = await ingestBytes(input.bytes, input.name, deps.ingest);
    const rejected = hasRejections(read.outcome);
    const events = read.interchanges.reduce((n, ic) => n + ic.events.length, 0);
    const reason = rejected ? rejectionReason(read.outcome, events) : undefined;
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
