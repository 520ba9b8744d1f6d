/**
 * The HTTP listener's command-line options of `serve` and `worker` and their checks, apart from the
 * listener itself (./serve-http.ts): the commands load prom-client, bull-board and the routes only
 * when they run, not when any s321 command starts (replay's memory budget has no room for them).
 */
import type { Command } from 'commander';
import { checkHttpOptions, DEFAULT_HTTP_HOST, resolveHttpToken } from '../../adapters/http/http-server.js';
import type { ServiceConfig } from '../../config/load-config.js';
import { nonNegativeInt } from '../option-parsers.js';

export interface ServeHttpOptions {
  host: string;
  port: number;
  /** Resolved and checked before serve starts anything (checkHttpOptions). */
  token?: string;
  /** The API routes over the Redis store (serve: yes; a lone worker: no). Default true. */
  api?: boolean;
  /** The queue dashboard at /admin/queues (serve: yes; a lone worker: no). Default true. */
  dashboard?: boolean;
}

export interface HttpCliOptions {
  httpHost?: string;
  httpPort?: number;
  tokenFile?: string;
}

/** The listener's options, shared by `serve` and `worker`. */
export function addHttpOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--http-host <host>', `HTTP listener (${what}) address (default: config http.host, 127.0.0.1)`)
    .option(
      '--http-port <port>',
      'HTTP listener port, 0 for any free one (default: config http.port; neither: no HTTP listener)',
      nonNegativeInt,
    )
    .option(
      '--token-file <file>',
      'bearer token of the HTTP listener (default: config http.tokenFile, $S321_API_TOKEN); required off loopback',
    );
}

/**
 * The listener's settings from the flags and the config, checked (a non-loopback host without a
 * token throws ConfigError: exit 2) before the command starts anything; undefined: no listener.
 */
export async function resolveHttpSettings(
  opts: HttpCliOptions,
  service: ServiceConfig | undefined,
): Promise<ServeHttpOptions | undefined> {
  const port = opts.httpPort ?? service?.http.port;
  if (port === undefined) return undefined;
  const tokenFile = opts.tokenFile ?? service?.http.tokenFile;
  const token = await resolveHttpToken(tokenFile !== undefined ? { tokenFile } : {});
  const settings: ServeHttpOptions = {
    host: opts.httpHost ?? service?.http.host ?? DEFAULT_HTTP_HOST,
    port,
    ...(token !== undefined ? { token } : {}),
  };
  checkHttpOptions(settings);
  return settings;
}
