/**
 * What a Redis endpoint exposes. The store and the queues hold every decision and every input:
 * a Redis without a password lets anyone who reaches it read and rewrite them, and `redis://` to
 * another machine carries passwords and data in clear. Loopback without a password (the default
 * development setup) starts with a loud warning; another host without a password is refused
 * unless the operator says so explicitly (`redis.allowInsecure` in the service config, or
 * S321_REDIS_ALLOW_INSECURE=1); another host without TLS (rediss://) is warned about.
 */
import { isIP } from 'node:net';

export class InsecureRedisError extends Error {
  readonly exitCode = 2;
  constructor(readonly url: string) {
    super(
      `Redis at ${url} is not on this machine and has no password: refused (anyone who can reach it could read and change the store). Set a password (redis.passwordEnv, or redis://:password@host), or allow it explicitly with redis.allowInsecure: true / S321_REDIS_ALLOW_INSECURE=1`,
    );
    this.name = 'InsecureRedisError';
  }
}

export interface RedisEndpointCheck {
  loopback: boolean;
  authenticated: boolean;
  tls: boolean;
  /** One line each, for stderr / the log. */
  warnings: string[];
}

/** Checks an endpoint (throws InsecureRedisError for a remote one without auth, unless allowed). */
export function checkRedisEndpoint(
  endpoint: { url: string; password?: string },
  allowInsecure = false,
): RedisEndpointCheck {
  const url = new URL(endpoint.url);
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  const loopback = isLoopback(url.hostname);
  const authenticated = (endpoint.password ?? '') !== '' || url.password !== '';
  const tls = url.protocol === 'rediss:';
  const warnings: string[] = [];
  if (!authenticated) {
    if (!loopback && !allowInsecure) throw new InsecureRedisError(shown);
    warnings.push(
      `WARNING: Redis at ${shown} has no password: anyone who can connect can read and change the store and the queues${loopback ? '' : ' (allowed by redis.allowInsecure)'}`,
    );
  }
  if (!loopback && !tls)
    warnings.push(
      `WARNING: Redis at ${shown} is reached without TLS: passwords and data cross the network in clear (use rediss://)`,
    );
  return { loopback, authenticated, tls, warnings };
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}
