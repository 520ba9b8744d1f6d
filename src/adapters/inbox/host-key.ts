/** SSH host-key checks for outbound SFTP: fingerprints as OpenSSH prints them, compared to the configured ones. */
import { createHash } from 'node:crypto';

/** `SHA256:<unpadded base64>` of the raw host key blob, the form `ssh-keygen -l -E sha256` prints. */
export function sshKeyFingerprint(key: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export class HostKeyRejectedError extends Error {
  readonly code = 'SFTP_HOST_KEY_REJECTED';
  constructor(
    readonly partnerId: string,
    readonly host: string,
    /** Fingerprint the server presented (public data: an operator compares it out of band). */
    readonly presented: string | undefined,
  ) {
    super(
      `SFTP partner ${partnerId} (${host}): host key ${presented ?? '(none seen)'} is not among the configured hostKeys; connection refused`,
    );
    this.name = 'HostKeyRejectedError';
  }
}

/**
 * A hostVerifier for ssh2 that accepts only the configured fingerprints, and remembers what it was
 * shown. An empty list accepts nothing: there is no "accept any key" mode.
 */
export function hostKeyVerifier(allowed: readonly string[]): {
  verify: (key: Buffer) => boolean;
  /** The fingerprint the server presented, once it has. */
  presented(): string | undefined;
  /** true once a presented key was refused. */
  rejected(): boolean;
} {
  const allow = new Set(allowed.map((fp) => fp.trim().replace(/=+$/, '')));
  let seen: string | undefined;
  let refused = false;
  return {
    verify(key: Buffer): boolean {
      seen = sshKeyFingerprint(key);
      const ok = allow.has(seen);
      if (!ok) refused = true;
      return ok;
    },
    presented: () => seen,
    rejected: () => refused,
  };
}
