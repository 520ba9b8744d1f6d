/**
 * The exit code of a failed command. 2: what the user gave was refused (commander's usage errors —
 * unknown option, missing or invalid value —, a registry code of the config stage, a database path
 * that cannot be opened); 1: anything else (the run failed: Redis unreachable, a disk error, a bug).
 * Help and --version exit 0.
 */
import { CommanderError } from 'commander';
import { DatabaseOpenError } from '../adapters/store/sqlite/open-database.js';
import { codeSpec, registryCodeOf } from '../core/errors/registry.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_REFUSED = 2;
/**
 * `s321 precheck`: every shipment was checked and at least one would be notified (it exceeds, joins
 * an exceeded day or is reported ineligible); 0 there means none would.
 */
export const EXIT_WOULD_NOTIFY = 3;

/** A value given on the command line that cannot be used (found once the command runs). */
export class RefusedArgumentError extends Error {
  override readonly name = 'RefusedArgumentError';
}

export function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_REFUSED;
  if (err instanceof DatabaseOpenError || err instanceof RefusedArgumentError) return EXIT_REFUSED;
  // Errors that say how the run ended carry their exit code (a store held by another run, an --out
  // written from another database, an input named that cannot be read: 2).
  const carried = (err as { exitCode?: unknown } | null | undefined)?.exitCode;
  if (typeof carried === 'number' && !(err instanceof CommanderError)) return carried;
  const code = registryCodeOf(err);
  if (code !== undefined && codeSpec(code).stage === 'config') return EXIT_REFUSED;
  return EXIT_FAILED;
}
