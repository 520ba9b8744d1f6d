/**
 * The service logger: pino with secret redaction always on. Adapters take any logger of this
 * shape, so tests can pass one writing to a buffer.
 */
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import { LOG_REDACT_PATHS, REDACTED } from './redact.js';

export type { Logger } from 'pino';

/** What adapters need from a logger (a pino Logger fits). */
export interface AdapterLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export function createLogger(
  options: { level?: LevelWithSilent; name?: string; destination?: DestinationStream } = {},
): Logger {
  const opts = {
    level: options.level ?? 'info',
    redact: { paths: [...LOG_REDACT_PATHS], censor: REDACTED },
    ...(options.name !== undefined ? { name: options.name } : {}),
  };
  return options.destination !== undefined ? pino(opts, options.destination) : pino(opts);
}

/** A logger that drops everything, the default of every adapter. */
export const silentLogger: AdapterLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
