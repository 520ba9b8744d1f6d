/**
 * Prometheus metrics of one s321 process with prom-client: a registry of its own (never the
 * library's global one, so two in one process — tests, serve's workers — do not collide), the
 * pipeline's counters (src/ports/metrics.ts) and gauges read from Redis at each scrape: jobs per
 * queue and state, the gate's lag behind the inputs enqueued, and the emit backlog. Process metrics
 * (CPU, memory, event loop lag) come from prom-client's defaults.
 *
 * Metric names (docs/operations.md lists them):
 *   s321_shipments_total{mode}            shipment events read
 *   s321_decisions_total{code,channel}    decisions made
 *   s321_rejections_total{code}           error issues of inputs, by error code
 *   s321_queue_jobs{queue,state}          BullMQ jobs (wait, active, delayed, failed, …)
 *   s321_gate_lag_inputs                  inputs enqueued but not yet applied in arrival order
 *   s321_emit_backlog{kind}               decisions not yet emitted, outbound files not yet written
 *   s321_dead_letters                     entries in the dead-letter queue
 *   s321_partition_gate_lag_routings{partition}  routed input parts partition p has not applied yet
 *   s321_partition_parts_queued{partition}       partition p's part jobs not finished (wait, active, delayed)
 *   s321_partition_pending_decisions{partition}  partition p's decisions not yet emitted
 *   s321_http_requests_total{route,method,status}  HTTP requests answered (API, probes, metrics)
 *   s321_http_request_duration_seconds{route,method}  their time to answer
 *   s321_queue_read_ok                    1 when the last scrape could read Redis, else 0 (the
 *                                         queue gauges then show no sample, or NaN, rather than stale values)
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PipelineMetrics } from '../../ports/metrics.js';

/** What the queue gauges show, read at each scrape (src/adapters/queue/queue-snapshot.ts). */
export interface QueueSnapshot {
  /** Queue name → job state → count. */
  jobs: Record<string, Record<string, number>>;
  /** Inputs enqueued (arrival sequences issued) minus inputs applied through the gate. */
  gateLagInputs: number;
  pendingDecisions: number;
  unwrittenFiles: number;
  deadLetters: number;
  /** A partitioned store: each partition's figures (the totals above include them). */
  partitions?: PartitionSnapshot[];
}

/** One partition of a partitioned store, at a scrape. */
export interface PartitionSnapshot {
  partition: number;
  /** Input parts routed (the router's count) minus the routings this partition applied. */
  gateLagRoutings: number;
  /** Its queue's part jobs not finished: waiting, active, delayed (a stuck partition's grow). */
  partsQueued: number;
  pendingDecisions: number;
}

export interface MetricsOptions {
  /** The process's role, a label on every metric (serve, worker-ingest, api, replay, …). */
  role: string;
  /** prom-client's process metrics (default true). */
  processMetrics?: boolean;
}

export class PrometheusMetrics implements PipelineMetrics {
  readonly registry = new Registry();
  private readonly shipments: Counter<'mode'>;
  private readonly decisions: Counter<'code' | 'channel'>;
  private readonly rejections: Counter<'code'>;
  private readonly snapshots: Array<() => Promise<QueueSnapshot>> = [];
  private readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  private readonly httpDuration: Histogram<'route' | 'method'>;

  constructor(options: MetricsOptions) {
    this.registry.setDefaultLabels({ role: options.role });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 's321_' });
    const registers = [this.registry];
    this.shipments = new Counter({
      name: 's321_shipments_total',
      help: 'Shipment events read from inputs, by transport mode',
      labelNames: ['mode'],
      registers,
    });
    this.decisions = new Counter({
      name: 's321_decisions_total',
      help: 'Decisions made by the aggregation, by code and channel',
      labelNames: ['code', 'channel'],
      registers,
    });
    this.rejections = new Counter({
      name: 's321_rejections_total',
      help: 'Error issues of inputs (shipment, message, interchange or file refused), by error code',
      labelNames: ['code'],
      registers,
    });
    this.httpRequests = new Counter({
      name: 's321_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 's321_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern and method',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    // One read of Redis per scrape feeds every queue gauge: the first gauge collected reads, the
    // others use what it read.
    let current: Promise<QueueSnapshot | undefined> | undefined;
    const snapshot = (): Promise<QueueSnapshot | undefined> => {
      current ??= this.readSnapshot().finally(() => {
        setImmediate(() => {
          current = undefined;
        });
      });
      return current;
    };
    const queueJobs = new Gauge({
      name: 's321_queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const s = await snapshot();
        this.reset();
        for (const [queue, states] of Object.entries(s?.jobs ?? {}))
          for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
      },
    });
    void queueJobs;
    new Gauge({
      name: 's321_gate_lag_inputs',
      help: 'Inputs enqueued but not yet applied in arrival order (issued sequence minus the gate)',
      registers,
      async collect() {
        // Unknown (Redis unreadable) is NaN, not a lag of 0 that would read as all caught up.
        this.set((await snapshot())?.gateLagInputs ?? Number.NaN);
      },
    });
    new Gauge({
      name: 's321_emit_backlog',
      help: 'Decisions not yet emitted (kind=decisions) and outbound files not yet written (kind=files)',
      labelNames: ['kind'],
      registers,
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s === undefined) return;
        this.set({ kind: 'decisions' }, s.pendingDecisions);
        this.set({ kind: 'files' }, s.unwrittenFiles);
      },
    });
    const snapshots = this.snapshots;
    new Gauge({
      name: 's321_queue_read_ok',
      help: '1 when this scrape read the queues and the store from Redis, 0 when it could not',
      registers,
      async collect() {
        if (snapshots.length === 0) return;
        this.set((await snapshot()) !== undefined ? 1 : 0);
      },
    });
    const perPartition = (
      name: string,
      help: string,
      value: (p: PartitionSnapshot) => number,
    ): Gauge<'partition'> =>
      new Gauge({
        name,
        help,
        labelNames: ['partition'],
        registers,
        async collect() {
          const s = await snapshot();
          this.reset();
          for (const p of s?.partitions ?? []) this.set({ partition: String(p.partition) }, value(p));
        },
      });
    perPartition(
      's321_partition_gate_lag_routings',
      "Routed input parts a partition has not applied yet (the router's count minus the partition's gate)",
      (p) => p.gateLagRoutings,
    );
    perPartition(
      's321_partition_parts_queued',
      "A partition's part jobs not finished (waiting, active, delayed)",
      (p) => p.partsQueued,
    );
    perPartition(
      's321_partition_pending_decisions',
      "A partition's decisions not yet in an outbound file",
      (p) => p.pendingDecisions,
    );
    new Gauge({
      name: 's321_dead_letters',
      help: 'Entries in the dead-letter queue',
      registers,
      async collect() {
        this.set((await snapshot())?.deadLetters ?? Number.NaN);
      },
    });
  }

  /** Reads the queue gauges from `source` at each scrape (queue mode). */
  watchQueues(source: () => Promise<QueueSnapshot>): void {
    this.snapshots.push(source);
  }

  shipmentsRead(count: number, mode = 'unknown'): void {
    if (count > 0) this.shipments.inc({ mode }, count);
  }

  decisionsMade(decisions: ReadonlyArray<{ code: string; channel: string }>): void {
    for (const d of decisions) this.decisions.inc({ code: d.code, channel: d.channel });
  }

  rejected(codes: readonly string[]): void {
    for (const code of codes) this.rejections.inc({ code });
  }

  /** One HTTP request answered; `route` is the route's pattern (`/v1/bills/*`), never the raw URL. */
  httpRequest(route: string, method: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, method, status: String(status) });
    this.httpDuration.observe({ route, method }, seconds);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async readSnapshot(): Promise<QueueSnapshot | undefined> {
    if (this.snapshots.length === 0) return undefined;
    let all: QueueSnapshot[];
    try {
      all = await Promise.all(this.snapshots.map((read) => read()));
    } catch {
      return undefined; // Redis unreachable: s321_queue_read_ok says so
    }
    // Several sources (one per store) add up.
    return all.reduce((sum, s) => ({
      jobs: { ...sum.jobs, ...s.jobs },
      gateLagInputs: sum.gateLagInputs + s.gateLagInputs,
      pendingDecisions: sum.pendingDecisions + s.pendingDecisions,
      unwrittenFiles: sum.unwrittenFiles + s.unwrittenFiles,
      deadLetters: sum.deadLetters + s.deadLetters,
      partitions: [...(sum.partitions ?? []), ...(s.partitions ?? [])],
    }));
  }
}
