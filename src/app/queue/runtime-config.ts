/**
 * Queue-mode settings from the service config (file or S321_* environment) and command-line
 * overrides. Without a config file the workers need no data folder: Redis, queue and rules come
 * from flags, S321_REDIS_URL / S321_QUEUE_NAME / S321_RULES_PROFILE, or the defaults.
 */
import { readFile } from 'node:fs/promises';
import { checkRedisEndpoint } from '../../adapters/queue/redis-endpoint-policy.js';
import { loadConfig, type ServiceConfig } from '../../config/load-config.js';
import type { IneligibleCommodity } from '../../core/aggregate/aggregator.js';
import { assertPartitions } from '../../core/aggregate/partition-routing.js';
import type { RulesProfile } from '../../core/model/decision.js';
import { parseRuleCalendar } from '../../core/rules/calendar.js';
import { DEFAULT_INELIGIBLE_COMMODITIES } from '../../core/rules/defaults.js';
import { loadRateTable } from '../normalizers.js';
import type { AggregationSettings } from './aggregation-settings.js';
import { type WorkerSettings, workerSettings } from './worker-settings.js';

export interface QueueCliOptions {
  config?: string;
  redisUrl?: string;
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
  /** Partitioned queue mode: partitions (else config redis.partitions, S321_REDIS_PARTITIONS). */
  partitions?: number;
}

export interface QueueRuntime {
  settings: WorkerSettings;
  aggregation: AggregationSettings;
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
  const url = opts.redisUrl ?? service?.redis.url ?? env.S321_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queueName = opts.queue ?? service?.redis.queueName ?? env.S321_QUEUE_NAME ?? 's321-interchanges';
  const password = service?.redis.password;
  // Refused or warned about before any connection is made (redis-endpoint-policy.ts).
  const allowInsecure =
    service?.redis.allowInsecure === true || ['1', 'true'].includes(env.S321_REDIS_ALLOW_INSECURE ?? '');
  const endpoint = checkRedisEndpoint(
    { url, ...(password !== undefined ? { password } : {}) },
    allowInsecure,
  );
  for (const w of endpoint.warnings) warn(`s321: ${w}\n`);
  const ratesPath = opts.rates ?? service?.currency.rateTablePath ?? env.S321_RATE_TABLE;
  const rates = ratesPath !== undefined && ratesPath !== '' ? await loadRateTable(ratesPath) : undefined;
  const envPartitions = env.S321_REDIS_PARTITIONS;
  const partitions =
    opts.partitions ??
    service?.redis.partitions ??
    (envPartitions !== undefined && envPartitions !== '' ? Number(envPartitions) : undefined);
  if (partitions !== undefined) assertPartitions(partitions);
  const settings = workerSettings({
    redis: { url, ...(password !== undefined ? { password } : {}) },
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
  });
  const aggregation = await aggregationFromConfig(
    service,
    opts.rules ?? (env.S321_RULES_PROFILE as RulesProfile | undefined),
  );
  return { settings, aggregation, ...(service !== undefined ? { service } : {}) };
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
