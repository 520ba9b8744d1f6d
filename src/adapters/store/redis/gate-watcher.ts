/**
 * Wakes parts waiting for their turn when the commit script announces a gate advance (PUBLISH),
 * instead of every waiter polling Redis in a tight loop. One subscriber connection per store;
 * waiters still poll at a falling rate, because a message published while reconnecting is lost.
 */
import type { Redis } from 'ioredis';

export class GateWatcher {
  private readonly subscriber: Redis;
  private readonly waiters = new Set<() => void>();
  private readonly ready: Promise<void>;

  constructor(client: Redis, channel: string) {
    this.subscriber = client.duplicate();
    this.subscriber.on('message', () => {
      const woken = [...this.waiters];
      this.waiters.clear();
      for (const wake of woken) wake();
    });
    // A failed subscription only costs latency: waiters fall back to polling.
    this.ready = this.subscriber.subscribe(channel).then(
      () => undefined,
      () => undefined,
    );
    this.subscriber.on('error', () => {});
  }

  /** Resolves on the next gate advance, after `timeoutMs`, or when `signal` aborts. */
  async next(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await Promise.race([this.ready, delay(timeoutMs)]);
    if (timeoutMs <= 0 || signal?.aborted === true) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async close(): Promise<void> {
    for (const wake of [...this.waiters]) wake();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}
