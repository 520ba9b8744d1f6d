/**
 * The service configuration, as a zod schema (the schema is the type). A config is a JSON file plus
 * a few environment overrides (see load-config.ts); secrets can come from the environment so the
 * file itself holds none.
 */

import { z } from 'zod';
import { DEFAULT_RETENTION_DAYS } from '../core/aggregate/retention.js';
import { RulesProfileSchema } from '../core/model/decision.js';

const MiB = 1024 * 1024;

/** OpenSSH's fingerprint form, `ssh-keygen -l -E sha256`: SHA256 + 43 unpadded base64 chars. */
export const HostKeyFingerprintSchema = z
  .string()
  .transform((s) => s.trim().replace(/=+$/, ''))
  .pipe(
    z
      .string()
      .regex(
        /^SHA256:[A-Za-z0-9+/]{43}$/,
        'expected an OpenSSH SHA256 fingerprint "SHA256:<43 base64 chars>" (ssh-keygen -l -E sha256 -f key.pub)',
      ),
  );

export const CalendarDaySchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected a calendar day YYYY-MM-DD');

export const TimeZoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as "UTC" or "America/New_York"' },
);

/** Partner ids end up in job ids, log lines and file names: keep them plain. */
export const PartnerIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'expected 1-64 chars of A-Z a-z 0-9 . _ - (starting with a letter or digit)',
  );

/** An environment variable name; secrets are read from it at load time. */
const EnvNameSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected an environment variable name (A-Z, 0-9, _)');

export const RedisUrlSchema = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'expected redis://host:port[/db] or rediss://… with an explicit host' },
);

/**
 * Redis Cluster seed nodes from a flag or environment variable: comma-separated `host:port` (read
 * as redis://host:port) or redis:// / rediss:// URLs. Returned as URLs for the schema to check.
 */
export function redisClusterNodes(list: string): string[] {
  return list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(n) ? n : `redis://${n}`));
}

const PositiveBytes = z.number().int().positive();

export const SftpPartnerSchema = z.strictObject({
  id: PartnerIdSchema,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().min(1),
  /** Inline password: allowed, but prefer passwordEnv so the file holds no secret. */
  password: z.string().min(1).optional(),
  passwordEnv: EnvNameSchema.optional(),
  privateKeyPath: z.string().min(1).optional(),
  passphrase: z.string().optional(),
  passphraseEnv: EnvNameSchema.optional(),
  remoteDir: z.string().min(1),
  /** Host keys accepted for this partner. Mandatory: there is no "accept any host key" mode. */
  hostKeys: z
    .array(HostKeyFingerprintSchema)
    .min(1, 'at least one host key fingerprint is required (no "accept any" mode)'),
  /** What to do with the remote file once the local copy is complete. */
  afterDownload: z
    .union([z.literal('delete'), z.strictObject({ moveTo: z.string().min(1) })])
    .default('delete'),
  pollIntervalMs: z.number().int().min(1000).default(60_000),
  readyTimeoutMs: z.number().int().min(1000).default(20_000),
});
export type SftpPartnerConfig = z.infer<typeof SftpPartnerSchema>;

export const PathsSchema = z.strictObject({
  inbox: z.string().min(1).optional(),
  processing: z.string().min(1).optional(),
  archive: z.string().min(1).optional(),
  quarantine: z.string().min(1).optional(),
  ledger: z.string().min(1).optional(),
  /** SQLite database and other state of the service. */
  state: z.string().min(1).optional(),
});

export const ServiceConfigSchema = z
  .strictObject({
    /** Root for every path not given explicitly: inbox/, processing/, archive/, quarantine/, ledger.jsonl, state/. */
    dataDir: z.string().min(1).optional(),
    paths: PathsSchema.prefault({}),
    limits: z
      .strictObject({
        /** Largest input file accepted (drop folder, SFTP download, enqueue). */
        maxFileBytes: PositiveBytes.max(1024 * MiB).default(50 * MiB),
        /** Longest file name accepted, in UTF-8 bytes (Linux allows 255; claim prefixes need room). */
        maxFileNameBytes: z.number().int().min(8).max(200).default(200),
        /** Largest interchange put on the queue (raw bytes; the job holds base64, 4/3 of that). */
        maxQueuePayloadBytes: PositiveBytes.max(256 * MiB).default(50 * MiB),
      })
      .prefault({}),
    inbox: z
      .strictObject({
        pollIntervalMs: z.number().int().min(50).default(2000),
        /** A file is complete when its size and mtime are unchanged over this many polls. */
        stablePolls: z.number().int().min(1).max(10).default(2),
        /** Zone naming the archive day when the caller passes none. Never the machine's zone. */
        timeZone: TimeZoneSchema.default('UTC'),
      })
      .prefault({}),
    redis: z
      .strictObject({
        /** Explicit loopback default: Redis is reachable only where configured. */
        url: RedisUrlSchema.default('redis://127.0.0.1:6379'),
        passwordEnv: EnvNameSchema.optional(),
        /** Allow a Redis on another host without a password (refused otherwise; a warning is logged). */
        allowInsecure: z.boolean().default(false),
        queueName: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 chars of A-Z a-z 0-9 . _ -')
          .default('s321-interchanges'),
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,32}$/)
          .default('bull'),
        /**
         * A Redis Cluster instead of the single Redis at `url` (docs/queue-mode.md, Redis Cluster):
         * seed nodes as redis://host:port (or rediss://, the same scheme for all), from which the
         * client discovers the other masters. The access rules (password, TLS) apply to each node.
         */
        cluster: z
          .strictObject({
            nodes: z
              .array(RedisUrlSchema)
              .min(1)
              .max(64)
              .refine((nodes) => new Set(nodes.map((n) => new URL(n).protocol)).size <= 1, {
                message: 'every node must use the same scheme (all redis:// or all rediss://)',
              }),
          })
          .optional(),
        /**
         * Partitioned queue mode (docs/queue-mode.md): aggregation split by consignee into this many
         * partitions, each with its own gate and queue; 0: one gate. A store keeps the count it was
         * created with; absent: that count, or the default (16) for a new store.
         */
        partitions: z.number().int().min(0).max(1024).optional(),
      })
      .prefault({}),
    sftp: z
      .strictObject({
        partners: z.array(SftpPartnerSchema).default([]),
      })
      .prefault({})
      .superRefine((sftp, ctx) => {
        const seen = new Set<string>();
        sftp.partners.forEach((p, i) => {
          if (seen.has(p.id))
            ctx.addIssue({
              code: 'custom',
              path: ['partners', i, 'id'],
              message: `duplicate partner id "${p.id}"`,
            });
          seen.add(p.id);
          if (p.password === undefined && p.passwordEnv === undefined && p.privateKeyPath === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['partners', i],
              message: 'needs password, passwordEnv or privateKeyPath',
            });
          }
          if (p.password !== undefined && p.passwordEnv !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['partners', i],
              message: 'give password or passwordEnv, not both',
            });
          }
        });
      }),
    rules: z
      .strictObject({
        /** A rule calendar JSON replacing the built-in one (schemas/profiles/rules-calendar.json). */
        calendarPath: z.string().min(1).optional(),
        /** Force one profile for every day (certification replay). */
        profileOverride: RulesProfileSchema.optional(),
        holdCodes: z
          .strictObject({
            truck: z.string().min(1).max(8).optional(),
            abi: z.string().min(1).max(8).optional(),
          })
          .prefault({}),
        /** HTS prefixes of goods never eligible (AD/CVD, quota, Internal Revenue Code). */
        commodityLists: z
          .strictObject({
            adCvd: z.array(z.string().regex(/^\d{2,10}$/)).default([]),
            quota: z.array(z.string().regex(/^\d{2,10}$/)).default([]),
            internalRevenue: z.array(z.string().regex(/^\d{2,10}$/)).default([]),
          })
          .prefault({}),
      })
      .prefault({}),
    currency: z
      .strictObject({
        /** Rate table (JSON) converting foreign amounts by day; none = USD only. */
        rateTablePath: z.string().min(1).optional(),
      })
      .prefault({}),
    inbound: z
      .strictObject({
        /**
         * Partner dialects, `SENDER=NAME` (schemas/profiles/dialects/NAME.json), e.g.
         * `QUICKAIR=s321-companion`: that sender's messages are read with the dialect (docs/conformance.md).
         */
        dialects: z.array(z.string().regex(/^[^=]+=[^=]+$/, 'SENDER=NAME')).default([]),
        /**
         * Express consignment carriers: carrier codes as sent (309 M10-01, CUSCAR NAD+CA) whose
         * air shipments are express (they get the 098 warning). No manifest element marks express.
         */
        expressCarriers: z.array(z.string().regex(/^\S+$/, 'a carrier code as sent, no spaces')).default([]),
      })
      .prefault({}),
    outbound: z
      .strictObject({
        /**
         * Outbound partner profiles (the file `s321 replay --partners` reads): the emit worker's
         * outbound files and the ingest worker's acknowledgments (997 or 999 per sender) follow it.
         */
        partnersPath: z.string().min(1).optional(),
      })
      .prefault({}),
    http: z
      .strictObject({
        /** Where `s321 serve` listens (API, /metrics, /healthz, /readyz, /admin/queues). Loopback by default. */
        host: z.string().min(1).default('127.0.0.1'),
        /** Set to listen (0: any free port); absent: serve runs no HTTP listener. */
        port: z.number().int().min(0).max(65535).optional(),
        /** File holding the bearer token (else $S321_API_TOKEN); required when host is not loopback. */
        tokenFile: z.string().min(1).optional(),
      })
      .prefault({}),
    /** Retention window (docs/retention.md): state older than this is pruned from the store. */
    retention: z
      .strictObject({
        /** Days kept after a person-day's day; 0 keeps everything. */
        days: z.number().int().min(0).default(DEFAULT_RETENTION_DAYS),
        /** How often `s321 serve` prunes the Redis store (minutes). */
        pruneEveryMinutes: z.number().int().min(1).default(60),
      })
      .prefault({}),
    log: z
      .strictObject({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.dataDir !== undefined) return;
    for (const key of ['inbox', 'processing', 'archive', 'quarantine', 'ledger', 'state'] as const) {
      if (cfg.paths[key] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['paths', key],
          message: `set paths.${key} or dataDir (S321_DATA_DIR)`,
        });
      }
    }
  });

/** The config as written (before paths are resolved and secrets read). */
export type ServiceConfigInput = z.input<typeof ServiceConfigSchema>;
export type ParsedServiceConfig = z.output<typeof ServiceConfigSchema>;
