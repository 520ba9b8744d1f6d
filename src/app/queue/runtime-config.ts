/**
 * Queue-mode settings from the service config (file or S321_* environment) and command-line
 * overrides. Without a config file the workers need no data folder: Redis, queue and rules come
 * from flags, S321_REDIS_URL / S321_QUEUE_NAME / S321_RULES_PROFILE, or the defaults.
 */
import { readFile } from 'node:fs/promises';
import { checkRedisEndpoint } from '../../adapters/queue/redis-endpoint-policy.js';
import { assertPartitionSetting } from '../../adapters/store/redis/store-partitions.js';
import { loadConfig, type ServiceConfig } from '../../config/load-config.js';
import { RedisUrlSchema, redisClusterNodes } from '../../config/schema.js';
import type { IneligibleCommodity } from '../../core/aggregate/aggregator.js';
import type { RulesProfile } from '../../core/model/decision.js';
import { parseRuleCalendar } from '../../core/rules/calendar.js';
import { DEFAULT_INELIGIBLE_COMMODITIES } from '../../core/rules/defaults.js';
import { loadRateTable } from '../normalizers.js';
import type { PartnerLookup } from '../partner-lookup.js';
import { loadPartnerProfiles } from '../partner-profiles.js';
import type { AggregationSettings } from './aggregation-settings.js';
import { type WorkerSettings, workerSettings } from './worker-settings.js';

export interface QueueCliOptions {
  config?: string;
  redisUrl?: string;
  /** Redis Cluster seed nodes, `host:port,…` or URLs (else config redis.cluster.nodes, S321_REDIS_CLUSTER). */
  redisCluster?: string;
  queue?: string;
  namespace?: string;
  concurrency?: number;
  lockMs?: number;
  stalledMs?: number;
  attempts?: number;
  backoffMs?: number;
  rules?: RulesProfile;
  /** Rate table file for the ingest normalizers (else config currency.rateTablePath, S321_RATE_TABLE). */
  rates?: string;
  /**
   * Partitions (else config redis.partitions, S321_REDIS_PARTITIONS); 0: one gate. None given: the
   * store's recorded count, or the default for a new store (store-partitions.ts).
   */
  partitions?: number;
  /** Outbound partner profiles file (else config outbound.partnersPath, S321_PARTNERS). */
  partners?: string;
}

export interface QueueRuntime {
  settings: WorkerSettings;
  aggregation: AggregationSettings;
  /**
   * Outbound partner profiles (validated here, so a bad file stops the command before any worker
   * starts): the emit worker's files and the ingest worker's acknowledgments follow them.
   */
  partners?: PartnerLookup;
  /** The full service config when one was loaded (serve needs its paths). */
  service?: ServiceConfig;
}

export async function resolveQueueRuntime(
  opts: QueueCliOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
  warn: (line: string) => void = (line) => process.stderr.write(line),
): Promise<QueueRuntime> {
  const file = opts.config ?? env.S321_CONFIG;
  const service = file !== undefined && file !== '' ? await loadConfig({ file, env }) : undefined;
  const cluster = clusterNodes(opts, service, env);
  const url =
    cluster?.[0] ?? opts.redisUrl ?? service?.redis.url ?? env.S321_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queueName = opts.queue ?? service?.redis.queueName ?? env.S321_QUEUE_NAME ?? 's321-interchanges';
  const password = service?.redis.password;
  // Refused or warned about before any connection is made (redis-endpoint-policy.ts); on a
  // cluster, every seed node (the masters found from them are reached with the same password and TLS).
  const allowInsecure =
    service?.redis.allowInsecure === true || ['1', 'true'].includes(env.S321_REDIS_ALLOW_INSECURE ?? '');
  for (const node of cluster ?? [url]) {
    const endpoint = checkRedisEndpoint(
      { url: node, ...(password !== undefined ? { password } : {}) },
      allowInsecure,
    );
    for (const w of endpoint.warnings) warn(`s321: ${w}\n`);
  }
  const ratesPath = opts.rates ?? service?.currency.rateTablePath ?? env.S321_RATE_TABLE;
  const rates = ratesPath !== undefined && ratesPath !== '' ? await loadRateTable(ratesPath) : undefined;
  const envPartitions = env.S321_REDIS_PARTITIONS;
  const partitions =
    opts.partitions ??
    service?.redis.partitions ??
    (envPartitions !== undefined && envPartitions !== '' ? Number(envPartitions) : undefined);
  assertPartitionSetting(partitions);
  const settings = workerSettings({
    redis: {
      url,
      ...(password !== undefined ? { password } : {}),
      ...(cluster !== undefined ? { cluster } : {}),
    },
    queueName,
    bullPrefix: service?.redis.prefix ?? 'bull',
    storeNamespace: opts.namespace ?? queueName,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.lockMs !== undefined ? { lockDurationMs: opts.lockMs } : {}),
    ...(opts.stalledMs !== undefined ? { stalledIntervalMs: opts.stalledMs } : {}),
    ...(opts.attempts !== undefined || opts.backoffMs !== undefined
      ? { retry: { attempts: opts.attempts ?? 5, backoffMs: opts.backoffMs ?? 1_000 } }
      : {}),
    ...(rates !== undefined ? { rates } : {}),
    ...(partitions !== undefined ? { partitions } : {}),
    ...(service !== undefined && service.inbound.dialects.length > 0
      ? { dialects: service.inbound.dialects }
      : {}),
    ...(service !== undefined && service.inbound.expressCarriers.length > 0
      ? { expressCarriers: service.inbound.expressCarriers }
      : {}),
  });
  const aggregation = await aggregationFromConfig(
    service,
    opts.rules ?? (env.S321_RULES_PROFILE as RulesProfile | undefined),
  );
  const partnersPath = opts.partners ?? service?.outbound.partnersPath ?? env.S321_PARTNERS;
  const partners =
    partnersPath !== undefined && partnersPath !== '' ? await loadPartnerProfiles(partnersPath) : undefined;
  return {
    settings,
    aggregation,
    ...(partners !== undefined ? { partners } : {}),
    ...(service !== undefined ? { service } : {}),
  };
}

/**
 * Redis Cluster seed nodes, most specific first: `--redis-cluster`; none when `--redis-url` names a
 * single Redis; then the config file (which has S321_REDIS_CLUSTER merged in), then the variable.
 */
function clusterNodes(
  opts: QueueCliOptions,
  service: ServiceConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string[] | undefined {
  if (opts.redisCluster !== undefined && opts.redisUrl !== undefined)
    throw new QueueConfigError('give --redis-url (one Redis) or --redis-cluster (a cluster), not both');
  const given =
    opts.redisCluster ??
    (opts.redisUrl !== undefined
      ? undefined
      : (service?.redis.cluster?.nodes.join(',') ?? env.S321_REDIS_CLUSTER));
  if (given === undefined || given.trim() === '') return undefined;
  const nodes = redisClusterNodes(given);
  const bad = nodes.filter((n) => !RedisUrlSchema.safeParse(n).success);
  if (nodes.length === 0 || bad.length > 0)
    throw new QueueConfigError(
      `--redis-cluster / S321_REDIS_CLUSTER: expected host:port or redis://host:port[,…], got ${bad.join(', ') || '(none)'}`,
    );
  if (new Set(nodes.map((n) => new URL(n).protocol)).size > 1)
    throw new QueueConfigError('Redis Cluster nodes: use one scheme for all (redis:// or rediss://)');
  return nodes;
}

/** A queue-mode setting given on the command line or in the environment that cannot be used. */
export class QueueConfigError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'QueueConfigError';
  }
}

async function aggregationFromConfig(
  service: ServiceConfig | undefined,
  override: RulesProfile | undefined,
): Promise<AggregationSettings> {
  const rules = service?.rules;
  const profile = override ?? rules?.profileOverride;
  const settings: AggregationSettings = profile !== undefined ? { rulesOverride: profile } : {};
  if (rules === undefined) return settings;
  if (rules.calendarPath !== undefined)
    settings.calendar = parseRuleCalendar(JSON.parse(await readFile(rules.calendarPath, 'utf8')));
  const hold = rules.holdCodes;
  if (hold.truck !== undefined || hold.abi !== undefined) {
    settings.hold = {
      ...(hold.truck !== undefined ? { truckX12: hold.truck, truckEdifact: hold.truck } : {}),
      ...(hold.abi !== undefined ? { abi: hold.abi } : {}),
    };
  }
  const extra: IneligibleCommodity[] = [
    ...rules.commodityLists.adCvd.map((htsPrefix) => ({ htsPrefix, reason: 'AD/CVD' })),
    ...rules.commodityLists.quota.map((htsPrefix) => ({ htsPrefix, reason: 'QUOTA' })),
    ...rules.commodityLists.internalRevenue.map((htsPrefix) => ({
      htsPrefix,
      reason: 'INTERNAL REVENUE CODE',
    })),
  ];
  if (extra.length > 0) settings.ineligibleCommodities = [...DEFAULT_INELIGIBLE_COMMODITIES, ...extra];
  return settings;
}
