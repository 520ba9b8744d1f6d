/**
 * What `s321 api` and `s321 precheck` share: the SQLite store opened read-only (never created, no
 * store lock: a replay may run beside it) and the decision configuration the replay used (`--rules`,
 * `--rates`), so a pre-check decides as the replay that writes the store does.
 */
import { type Command, Option } from 'commander';
import { SqliteDecisionStore } from '../../adapters/store/sqlite/sqlite-store.js';
import { type ApiServiceOptions, createApiService } from '../../app/api-service.js';
import { loadRateTable } from '../../app/normalizers.js';
import { type RulesProfile, RulesProfileSchema } from '../../core/model/decision.js';
import { aggregationConfig } from '../../core/rules/defaults.js';
import type { ApiPort } from '../../ports/api.js';

export interface StoreApiOptions {
  db: string;
  rules?: RulesProfile;
  rates?: string;
}

export function addStoreApiOptions(command: Command): Command {
  return command
    .requiredOption('--db <file>', 'SQLite state file a replay wrote (opened read-only; never created)')
    .addOption(
      new Option(
        '--rules <profile>',
        'the rule profile the replay forced, if it did (--rules of replay)',
      ).choices(RulesProfileSchema.options),
    )
    .option('--rates <file>', 'currency rate table (JSON) for amounts other than USD, as given to replay');
}

export async function openStoreApi(
  opts: StoreApiOptions,
): Promise<{ api: ApiPort; store: SqliteDecisionStore }> {
  const service: ApiServiceOptions = {
    aggregation: aggregationConfig(opts.rules !== undefined ? { rulesOverride: opts.rules } : {}),
  };
  if (opts.rates !== undefined) service.rates = await loadRateTable(opts.rates);
  const store = new SqliteDecisionStore(opts.db, { readOnly: true });
  return { api: createApiService(store, service), store };
}
