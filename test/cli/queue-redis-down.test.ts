/**
 * Queue commands while Redis is down (a port on 127.0.0.1 where nothing listens): each fails within
 * seconds with exit 1 and one line naming the Redis it tried, instead of retrying forever.
 */
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { runCli } from './support/cli-process.js';

describe('queue commands with Redis down', async () => {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const commands: string[][] = [
    ['queue', 'status'],
    ['queue', 'status', '--json'],
    ['queue', 'dead-letters'],
    ['queue', 'skip', '3', '--reason', 'lost upload'],
    ['worker', 'ingest'],
    ['worker', 'aggregate'],
    ['worker', 'emit'],
  ];
  it.each(commands)('s321 %s … fails within seconds with one clear line', (...args) => {
    const started = Date.now();
    const r = runCli([...args, '--redis-url', url], { timeoutMs: 20_000 });
    const elapsed = Date.now() - started;
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(1);
    expect(elapsed).toBeLessThan(10_000);
    expect(r.stderr).toBe(`s321: cannot reach Redis at ${url}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    expect(r.stdout).toBe('');
  });
});
