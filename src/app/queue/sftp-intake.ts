/**
 * SFTP intake of `s321 serve`: for each partner in the config's `sftp.partners`, the SFTP poller
 * (src/adapters/inbox/sftp-poller.ts) pulls complete files from the partner's remote folder into a
 * drop-folder inbox of that partner's own, `<data>/sftp/<partner id>/`, and the drop-folder intake
 * enqueues them under the partner's id (its job ids, logs and dead letters name the partner, where
 * the shared inbox records `--partner`). Claims, the archive, quarantine and the ledger are the
 * service's, shared with the plain inbox.
 *
 * The host key must match one of the partner's pinned fingerprints: any other key is refused each
 * poll (logged as an error with the fingerprint presented) and nothing is downloaded. Credentials
 * go to ssh2 only: the key is read from `privateKeyPath` at each connect, the password and
 * passphrase come from the environment (config `passwordEnv` / `passphraseEnv`), and no log line
 * carries them.
 */
import { dirname, join } from 'node:path';
import { DropFolder } from '../../adapters/inbox/drop-folder.js';
import { type SftpPartnerSettings, SftpPoller } from '../../adapters/inbox/sftp-poller.js';
import type { Producer } from '../../adapters/queue/producer.js';
import type { ResolvedSftpPartner, ServiceConfig } from '../../config/load-config.js';
import type { AdapterLogger } from '../../config/logger.js';
import { runIntake } from './intake.js';

/** Where partner `id`'s downloads land: beside the shared inbox, one folder per partner. */
export function sftpInboxDir(service: ServiceConfig, id: string): string {
  return join(dirname(service.paths.inbox), 'sftp', id);
}

export function sftpPartnerSettings(p: ResolvedSftpPartner): SftpPartnerSettings {
  return {
    id: p.id,
    host: p.host,
    port: p.port,
    username: p.username,
    remoteDir: p.remoteDir,
    hostKeys: p.hostKeys,
    afterDownload: p.afterDownload,
    readyTimeoutMs: p.readyTimeoutMs,
    ...(p.password !== undefined ? { password: p.password } : {}),
    ...(p.privateKeyPath !== undefined ? { privateKeyPath: p.privateKeyPath } : {}),
    ...(p.passphrase !== undefined ? { passphrase: p.passphrase } : {}),
  };
}

/**
 * Starts a poller and an intake per configured partner; resolves once all have stopped (after
 * `signal` aborts). A partner whose every file is refused by the producer (a bad id) stops alone.
 */
export async function runSftpIntake(
  service: ServiceConfig,
  producer: Producer,
  signal: AbortSignal,
  log: AdapterLogger,
): Promise<void> {
  const loops: Array<Promise<void>> = [];
  for (const partner of service.sftp.partners) {
    const inbox = sftpInboxDir(service, partner.id);
    const drop = await DropFolder.open({
      dirs: {
        inbox,
        processing: service.paths.processing,
        archive: service.paths.archive,
        quarantine: service.paths.quarantine,
      },
      ledgerPath: service.paths.ledger,
      maxFileBytes: Math.min(service.limits.maxFileBytes, service.limits.maxQueuePayloadBytes),
      maxFileNameBytes: service.limits.maxFileNameBytes,
      pollIntervalMs: service.inbox.pollIntervalMs,
      // The poller links a file in only once it is complete: one stable poll is enough here.
      stablePolls: 1,
      timeZone: service.inbox.timeZone,
      logger: log,
    });
    const poller = new SftpPoller({
      partner: sftpPartnerSettings(partner),
      inboxDir: inbox,
      maxFileBytes: Math.min(service.limits.maxFileBytes, service.limits.maxQueuePayloadBytes),
      maxFileNameBytes: service.limits.maxFileNameBytes,
      stablePolls: service.inbox.stablePolls,
      logger: log,
    });
    log.info(
      { partner: partner.id, host: partner.host, port: partner.port, remoteDir: partner.remoteDir, inbox },
      'sftp: polling',
    );
    loops.push(poller.run({ intervalMs: partner.pollIntervalMs, signal }));
    loops.push(
      runIntake(drop, producer, partner.id, signal, log).catch((err: unknown) => {
        log.error(
          { partner: partner.id, error: err instanceof Error ? err.message : String(err) },
          'sftp: intake stopped',
        );
      }),
    );
  }
  await Promise.all(loops);
}
