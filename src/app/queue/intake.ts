/**
 * Drop-folder intake of queue mode: each complete upload is enqueued by the producer (which gives
 * it its arrival sequence) and then archived; refused files are quarantined with the reason.
 */
import type { DropFolder } from '../../adapters/inbox/drop-folder.js';
import { inboxIssue, type QuarantineReason } from '../../adapters/inbox/inbox-issues.js';
import type { Producer } from '../../adapters/queue/producer.js';
import { EnqueueRefusedError } from '../../adapters/queue/producer-errors.js';
import { readFileWithinLimit } from '../../adapters/queue/producer-file.js';
import type { AdapterLogger } from '../../config/logger.js';

/** Claims complete uploads and enqueues them until `signal` aborts. Refused files are quarantined. */
export async function runIntake(
  drop: DropFolder,
  producer: Producer,
  partnerId: string,
  signal: AbortSignal,
  log: AdapterLogger,
): Promise<void> {
  for await (const file of drop.claims({ signal })) {
    try {
      const bytes = await readFileWithinLimit(file.path, producer.maxBytes);
      const result = await producer.enqueueInterchange({ partnerId, fileName: file.name, bytes });
      // The input is on the queue (durably, in Redis): the original can be archived.
      await drop.complete(file, { status: 'processed' });
      log.info(
        { file: file.name, sequence: result.sequence, duplicate: result.duplicate },
        'intake: enqueued',
      );
    } catch (err) {
      if (err instanceof EnqueueRefusedError && err.code !== 'PRODUCER_INVALID_PARTNER') {
        await drop.complete(file, { status: 'quarantined', reasons: [quarantineReason(err, file.name)] });
        log.warn({ file: file.name, reason: err.message }, 'intake: refused, quarantined');
      } else if (err instanceof EnqueueRefusedError) {
        throw err; // a wrong --partner refuses every file: stop instead of quarantining them all
      } else {
        // Redis unreachable: the claim stays in processing/ and goes back to the inbox at the next
        // start (requeueStale); the producer's content ids make a second enqueue a duplicate.
        log.error(
          { file: file.name, reason: err instanceof Error ? err.message : String(err) },
          'intake: enqueue failed; left in processing',
        );
      }
    }
  }
}

/** The producer's refusal as the reason a quarantined file carries (the embedded mode's codes). */
function quarantineReason(err: EnqueueRefusedError, file: string): QuarantineReason {
  switch (err.code) {
    case 'INTAKE_TOO_LARGE':
      return inboxIssue('INTAKE_TOO_LARGE', err.message, { file });
    case 'PRODUCER_UNSAFE_FILE_NAME':
      return inboxIssue('INBOX_UNSAFE_NAME', err.message, { file });
    default:
      // An empty file: what the embedded reader reports for it.
      return { code: 'INTAKE_NOT_EDI', severity: 'error', message: err.message, file };
  }
}
