/**
 * What `s321 enqueue <file>` needs: read a file within the size limit (never more than limit + 1
 * bytes are read, even if the file grows meanwhile) and enqueue it; and producer options from the
 * service config.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ServiceConfig } from '../../config/load-config.js';
import type { AdapterLogger } from '../../config/logger.js';
import type { EnqueueResult, Producer, ProducerOptions } from './producer.js';
import { PayloadTooLargeError } from './producer-errors.js';

/** Reads a regular file (not following a symlink) of at most `maxBytes`; throws PayloadTooLargeError otherwise. */
export async function readFileWithinLimit(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${path}: not a regular file`);
    if (st.size > maxBytes) throw new PayloadTooLargeError(st.size, maxBytes, basename(path));
    const buf = Buffer.allocUnsafe(maxBytes + 1);
    let filled = 0;
    while (filled < buf.length) {
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > maxBytes) throw new PayloadTooLargeError(filled, maxBytes, basename(path));
    return buf.subarray(0, filled);
  } finally {
    await fh.close();
  }
}

/** Enqueues one file under its base name (or `fileName`). */
export async function enqueueFile(
  producer: Producer,
  input: { partnerId: string; path: string; fileName?: string },
): Promise<EnqueueResult> {
  const bytes = await readFileWithinLimit(input.path, producer.maxBytes);
  return producer.enqueueInterchange({
    partnerId: input.partnerId,
    fileName: input.fileName ?? basename(input.path),
    bytes,
  });
}

/** Producer options from the loaded service config (redis.*, limits.maxQueuePayloadBytes). */
export function producerOptionsFromConfig(config: ServiceConfig, logger?: AdapterLogger): ProducerOptions {
  return {
    connection: config.redis.url,
    ...(config.redis.cluster !== undefined ? { cluster: config.redis.cluster.nodes } : {}),
    queueName: config.redis.queueName,
    prefix: config.redis.prefix,
    maxBytes: config.limits.maxQueuePayloadBytes,
    ...(config.redis.password !== undefined ? { password: config.redis.password } : {}),
    ...(logger !== undefined ? { logger } : {}),
  };
}
