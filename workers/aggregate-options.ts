/** Options of the aggregate worker (workers/aggregate.ts, workers/aggregate-partitioned.ts). */
import type { AggregationSettings } from '../src/app/queue/aggregation-settings.js';
import type { WorkerSettings } from '../src/app/queue/worker-settings.js';
import type { AdapterLogger } from '../src/config/logger.js';

export interface AggregateWorkerOptions {
  settings: WorkerSettings;
  aggregation?: AggregationSettings;
  /** How long a part waits for its predecessor before giving its slot back (default 2 s). */
  waitMs?: number;
  logger?: AdapterLogger;
}
