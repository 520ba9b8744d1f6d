/**
 * Secrets never reach a printout or a log line: config printouts go through redactSecrets, loggers
 * are built with LOG_REDACT_PATHS (pino's own redaction), URLs through redactUrl.
 */
export const REDACTED = '[REDACTED]';

/** Property names whose values are secrets wherever they appear. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password',
  'passphrase',
  'privateKey',
  'secret',
  'token',
  'authorization',
]);

/**
 * pino redact paths (fast-redact syntax: `*` is exactly one level). Three levels cover what the
 * adapters log (`{ partner: { password } }`, `{ config: { redis: { password } } }`); deeper
 * objects are not logged, and whole configs are logged only after redactSecrets.
 */
export const LOG_REDACT_PATHS: readonly string[] = [...SECRET_KEYS].flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
  `*.*.*.${key}`,
]);

/** `redis://user:secret@host:6379/0` → `redis://user:[REDACTED]@host:6379/0`; other strings unchanged. */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.password === '') return value;
  url.password = 'REDACTED';
  return url.toString().replace(':REDACTED@', `:${REDACTED}@`);
}

const URL_WITH_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i;

/** Deep copy with secret-named properties replaced and credentials in URLs masked. */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return URL_WITH_CREDENTIALS.test(value) ? redactUrl(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEYS.has(key) && inner !== undefined ? REDACTED : redactValue(inner, seen);
  }
  return out;
}
