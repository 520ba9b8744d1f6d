/**
 * Loads the service config: a JSON file (S321_CONFIG or an explicit path) overlaid with S321_*
 * environment variables, validated with the zod schema. Relative paths are resolved against the
 * config file's directory (the cwd when there is no file); secrets named by *Env fields are read
 * from the environment. Every problem is reported at once, with its path and, when it came from
 * the environment, the variable's name; values are never echoed (they may be secrets).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { readJsonFile } from './json-file.js';
import { redactSecrets } from './redact.js';
import {
  type ParsedServiceConfig,
  redisClusterNodes,
  ServiceConfigSchema,
  type SftpPartnerConfig,
} from './schema.js';

export { ConfigError, type ConfigProblem } from './config-error.js';

export interface ResolvedSftpPartner
  extends Omit<
    SftpPartnerConfig,
    'passwordEnv' | 'passphraseEnv' | 'password' | 'passphrase' | 'privateKeyPath'
  > {
  password?: string;
  passphrase?: string;
  /** Absolute; the key is read when connecting, so the config object never holds key material. */
  privateKeyPath?: string;
}

export interface ServiceConfig {
  paths: {
    inbox: string;
    processing: string;
    archive: string;
    quarantine: string;
    ledger: string;
    state: string;
  };
  limits: ParsedServiceConfig['limits'];
  inbox: ParsedServiceConfig['inbox'];
  redis: {
    url: string;
    password?: string;
    queueName: string;
    prefix: string;
    allowInsecure: boolean;
    partitions?: number;
    /** Redis Cluster seed nodes (redis.cluster.nodes); absent: the single Redis at `url`. */
    cluster?: { nodes: string[] };
  };
  sftp: { partners: ResolvedSftpPartner[] };
  rules: ParsedServiceConfig['rules'];
  currency: { rateTablePath?: string };
  inbound: ParsedServiceConfig['inbound'];
  outbound: { partnersPath?: string };
  http: { host: string; port?: number; tokenFile?: string };
  log: ParsedServiceConfig['log'];
  retention: ParsedServiceConfig['retention'];
  /** Where the values came from, for `config show` and error messages. */
  origin: { file?: string; env: string[] };
}

/** `nodes`: a comma-separated list of host:port or redis:// URLs (redisClusterNodes). */
type EnvKind = 'string' | 'int' | 'nodes';
/** Environment overrides: variable → config path. */
export const ENV_OVERRIDES: ReadonlyArray<{ env: string; path: readonly string[]; kind: EnvKind }> = [
  { env: 'S321_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { env: 'S321_REDIS_URL', path: ['redis', 'url'], kind: 'string' },
  { env: 'S321_QUEUE_NAME', path: ['redis', 'queueName'], kind: 'string' },
  { env: 'S321_REDIS_PARTITIONS', path: ['redis', 'partitions'], kind: 'int' },
  { env: 'S321_REDIS_CLUSTER', path: ['redis', 'cluster', 'nodes'], kind: 'nodes' },
  { env: 'S321_MAX_FILE_BYTES', path: ['limits', 'maxFileBytes'], kind: 'int' },
  { env: 'S321_MAX_QUEUE_PAYLOAD_BYTES', path: ['limits', 'maxQueuePayloadBytes'], kind: 'int' },
  { env: 'S321_TIME_ZONE', path: ['inbox', 'timeZone'], kind: 'string' },
  { env: 'S321_LOG_LEVEL', path: ['log', 'level'], kind: 'string' },
  { env: 'S321_RATE_TABLE', path: ['currency', 'rateTablePath'], kind: 'string' },
  { env: 'S321_RULES_PROFILE', path: ['rules', 'profileOverride'], kind: 'string' },
];

export type Env = Readonly<Record<string, string | undefined>>;

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

function pathString(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

/** Parses an already-read config object. `baseDir` anchors relative paths. Throws ConfigError. */
export function parseConfig(
  raw: unknown,
  options: { baseDir: string; env?: Env; source?: string },
): ServiceConfig {
  const env = options.env ?? {};
  const source = options.source ?? '(inline)';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, [{ path: '', message: 'expected a JSON object' }]);
  }
  // structuredClone: the caller's object is not modified by the overlay.
  const input = structuredClone(raw) as Record<string, unknown>;
  const fromEnv = new Map<string, string>();
  for (const o of ENV_OVERRIDES) {
    const value = env[o.env];
    if (value === undefined || value === '') continue;
    // A non-integer stays a string, so zod reports "expected number" against the variable.
    setPath(
      input,
      o.path,
      o.kind === 'int' && /^\d+$/.test(value.trim())
        ? Number(value.trim())
        : o.kind === 'nodes'
          ? redisClusterNodes(value)
          : value,
    );
    fromEnv.set(o.path.join('.'), o.env);
  }

  const parsed = ServiceConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(source, zodProblems(parsed.error, fromEnv));
  const cfg = parsed.data;

  const problems: ConfigProblem[] = [];
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(options.baseDir, p));
  const dataDir = cfg.dataDir !== undefined ? abs(cfg.dataDir) : undefined;
  const pathOr = (given: string | undefined, fallback: string): string =>
    given !== undefined ? abs(given) : resolve(dataDir ?? options.baseDir, fallback);
  const secret = (envName: string | undefined, path: string): string | undefined => {
    if (envName === undefined) return undefined;
    const value = env[envName];
    if (value === undefined || value === '') {
      problems.push({ path, message: `environment variable ${envName} is not set` });
      return undefined;
    }
    return value;
  };

  const partners: ResolvedSftpPartner[] = cfg.sftp.partners.map((p, i) => {
    const { passwordEnv, passphraseEnv, password, passphrase, privateKeyPath, ...rest } = p;
    const resolvedPassword = password ?? secret(passwordEnv, `sftp.partners.${i}.passwordEnv`);
    const resolvedPassphrase = passphrase ?? secret(passphraseEnv, `sftp.partners.${i}.passphraseEnv`);
    return {
      ...rest,
      ...(resolvedPassword !== undefined ? { password: resolvedPassword } : {}),
      ...(resolvedPassphrase !== undefined ? { passphrase: resolvedPassphrase } : {}),
      ...(privateKeyPath !== undefined ? { privateKeyPath: abs(privateKeyPath) } : {}),
    };
  });
  const redisPassword = secret(cfg.redis.passwordEnv, 'redis.passwordEnv');
  if (problems.length > 0) throw new ConfigError(source, problems);

  return {
    paths: {
      inbox: pathOr(cfg.paths.inbox, 'inbox'),
      processing: pathOr(cfg.paths.processing, 'processing'),
      archive: pathOr(cfg.paths.archive, 'archive'),
      quarantine: pathOr(cfg.paths.quarantine, 'quarantine'),
      ledger: pathOr(cfg.paths.ledger, 'ledger.jsonl'),
      state: pathOr(cfg.paths.state, 'state'),
    },
    limits: cfg.limits,
    inbox: cfg.inbox,
    redis: {
      url: cfg.redis.url,
      queueName: cfg.redis.queueName,
      prefix: cfg.redis.prefix,
      allowInsecure: cfg.redis.allowInsecure,
      ...(cfg.redis.partitions !== undefined ? { partitions: cfg.redis.partitions } : {}),
      ...(cfg.redis.cluster !== undefined ? { cluster: { nodes: cfg.redis.cluster.nodes } } : {}),
      ...(redisPassword !== undefined ? { password: redisPassword } : {}),
    },
    sftp: { partners },
    rules: {
      ...cfg.rules,
      ...(cfg.rules.calendarPath !== undefined ? { calendarPath: abs(cfg.rules.calendarPath) } : {}),
    },
    currency:
      cfg.currency.rateTablePath !== undefined ? { rateTablePath: abs(cfg.currency.rateTablePath) } : {},
    inbound: cfg.inbound,
    outbound: cfg.outbound.partnersPath !== undefined ? { partnersPath: abs(cfg.outbound.partnersPath) } : {},
    http: {
      host: cfg.http.host,
      ...(cfg.http.port !== undefined ? { port: cfg.http.port } : {}),
      ...(cfg.http.tokenFile !== undefined ? { tokenFile: abs(cfg.http.tokenFile) } : {}),
    },
    log: cfg.log,
    retention: cfg.retention,
    origin: { ...(options.source !== undefined ? { file: options.source } : {}), env: [...fromEnv.values()] },
  };
}

function zodProblems(error: z.ZodError, fromEnv: ReadonlyMap<string, string>): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = pathString(issue.path);
    const env = fromEnv.get(path);
    // Unknown keys are usually typos: name them (keys are not secrets, values may be).
    const message =
      issue.code === 'unrecognized_keys' ? `unknown key(s): ${issue.keys.join(', ')}` : issue.message;
    return { path, message, ...(env !== undefined ? { env } : {}) };
  });
}

/**
 * Reads and parses the config. `file` defaults to $S321_CONFIG; with neither, the config is built
 * from the environment and defaults alone (S321_DATA_DIR is then required).
 */
export async function loadConfig(
  options: { file?: string; env?: Env; cwd?: string } = {},
): Promise<ServiceConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const fileArg = options.file ?? env.S321_CONFIG;
  if (fileArg === undefined || fileArg === '')
    return parseConfig({}, { baseDir: cwd, env, source: 'environment' });
  const file = resolve(cwd, fileArg);
  const raw = await readJsonFile(file, 'the config file');
  return parseConfig(raw, { baseDir: dirname(file), env, source: file });
}

/** The config as JSON for humans, secrets redacted. */
export function formatConfig(config: ServiceConfig): string {
  return JSON.stringify(redactSecrets(config), null, 2);
}
