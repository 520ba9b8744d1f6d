/**
 * How a long-running command (`worker`, `serve`) stops. The SIGTERM/SIGINT handlers are installed
 * before anything starts, so a signal during startup is neither lost nor fatal. At the first signal
 * the workers take no new job and finish the jobs in hand, then the process exits 0. It exits 1 at
 * once instead when Redis is unreachable (a job in hand cannot record its result; its lock runs out
 * and another worker runs it again), or when the jobs in hand outlast their lock (another worker may
 * already be running them). A second signal exits 1 at once.
 */
import { checkRedisReachable, type RedisEndpoint } from '../adapters/queue/bullmq-connection.js';

export interface Closable {
  close(): Promise<void>;
}

export interface StopPolicy {
  /** How long the jobs in hand may take to finish after the signal (the job lock's duration). */
  graceMs: number;
  redis: RedisEndpoint;
}

export interface SignalWatch {
  /** Waits for the first signal, closes `parts` and returns the exit code (0: closed in order). */
  closeAfterSignal(parts: readonly Closable[]): Promise<number>;
}

export function watchSignals(log: (message: string) => void, policy: StopPolicy): SignalWatch {
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const first = new Promise<NodeJS.Signals>((resolve) => {
    signalled = resolve;
  });
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received > 1) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    signalled(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  return {
    async closeAfterSignal(parts) {
      const signal = await first;
      log(`${signal}: finishing the jobs in hand`);
      const timers: NodeJS.Timeout[] = [];
      const after = (ms: number) =>
        new Promise<void>((resolve) => {
          timers.push(setTimeout(resolve, ms));
        });
      // Whether Redis still answers is asked at once, beside the close: with Redis gone a close can
      // return quickly without the jobs in hand having finished, and that must not read as a clean stop.
      const redis = checkRedisReachable(policy.redis, 3_000).then(
        () => 'up' as const,
        (err: unknown) => {
          log(`${err instanceof Error ? err.message : String(err)}; jobs in hand are left to be run again`);
          return 'down' as const;
        },
      );
      let outcome = await Promise.race([
        Promise.all(parts.map((p) => p.close())).then(
          () => 'closed' as const,
          (err: unknown) => {
            log(`close failed: ${err instanceof Error ? err.message : String(err)}`);
            return 'closed' as const;
          },
        ),
        redis.then((state) => (state === 'down' ? ('redis-down' as const) : new Promise<never>(() => {}))),
        after(policy.graceMs).then(() => {
          log(`jobs in hand still running after ${policy.graceMs} ms; leaving them to be run again`);
          return 'timeout' as const;
        }),
      ]);
      if (outcome === 'closed' && (await redis) === 'down') outcome = 'redis-down';
      for (const t of timers) clearTimeout(t);
      // A worker that could not close holds connections that keep the process alive: exit here.
      if (outcome !== 'closed') process.exit(1);
      return 0;
    },
  };
}
