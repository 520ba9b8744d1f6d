/**
 * A real 3-master Redis Cluster on 127.0.0.1 for a test file, started and stopped by the project's
 * own script (scripts/redis-cluster.sh: Debian's redis-server with cluster-enabled, `redis-cli
 * --cluster create`), with a connected ioredis Cluster client.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { freePort } from '../../support/free-port.js';
import { PROJECT_ROOT } from './build.js';

const SCRIPT = join(PROJECT_ROOT, 'scripts', 'redis-cluster.sh');

export interface TestCluster {
  /** Seed nodes as `--redis-cluster` takes them: host:port,… */
  readonly nodes: string;
  readonly client: Cluster;
  /** Quits the client and stops the servers (the caller removes `dir`). */
  stop(): Promise<void>;
}

/** Starts the cluster's servers under `dir`/cluster. */
export async function startTestCluster(dir: string): Promise<TestCluster> {
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    let p = await freePort();
    while (ports.includes(p) || p > 55_000) p = await freePort(); // the cluster bus uses port + 10000
    ports.push(p);
  }
  const home = join(dir, 'cluster');
  const started = spawnSync('bash', [SCRIPT, 'start', home, ...ports.map(String)], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (started.status !== 0 || !started.stdout.includes('ready'))
    throw new Error(`cluster did not start: ${started.stdout}${started.stderr}`);
  const client = new Cluster(
    ports.map((port) => ({ host: '127.0.0.1', port })),
    { redisOptions: { maxRetriesPerRequest: 3 } },
  );
  await client.ping();
  return {
    nodes: ports.map((p) => `127.0.0.1:${p}`).join(','),
    client,
    async stop() {
      await client.quit().catch(() => client.disconnect());
      spawnSync('bash', [SCRIPT, 'stop', home], { timeout: 30_000 });
    },
  };
}
