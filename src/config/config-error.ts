/** A configuration that cannot be used: every problem at once, each with its path (CONFIG_INVALID). */
import type { ErrorCode } from '../core/errors/registry.js';

export interface ConfigProblem {
  /** Dotted path in the config, e.g. `sftp.partners.0.hostKeys.0`. */
  path: string;
  message: string;
  /** The environment variable the value came from, when it did. */
  env?: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID' satisfies ErrorCode;
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `invalid configuration (${source}):\n${problems
        .map(
          (p) =>
            `  - ${p.path === '' ? '(root)' : p.path}${p.env !== undefined ? ` (from ${p.env})` : ''}: ${p.message}`,
        )
        .join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}
