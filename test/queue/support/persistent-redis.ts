/**
 * A redis-server for fault tests that can be killed and started again on the same port with its
 * data: append-only file fsynced on every write (the setting queue mode requires in production,
 * docs/queue-mode.md), in a temp dir, 127.0.0.1 only. Built on test/support's child-server helpers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loopbackRedisArgs } from '../../../src/testkit/redis-args.js';
import { redisServerBinary } from '../../support/binaries.js';
import { type ChildServer, ServerStartError, startChildServer } from '../../support/child-server.js';
import { freePort } from '../../support/free-port.js';

export interface PersistentRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: no shutdown save, only what the AOF already holds survives. */
  kill(): Promise<void>;
  /** Starts again on the same port with the same data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function args(port: number, dir: string): string[] {
  return loopbackRedisArgs(port, dir, 'aof');
}

export async function startPersistentRedis(): Promise<PersistentRedis> {
  const binary = redisServerBinary();
  const dir = await mkdtemp(join(tmpdir(), 's321-redis-aof-'));
  let port = 0;
  let server: ChildServer | undefined;
  for (let attempt = 0; attempt < 5 && server === undefined; attempt++) {
    port = await freePort();
    try {
      server = await startChildServer(
        'redis-server',
        binary,
        args(port, dir),
        /Ready to accept connections/,
        15_000,
      );
    } catch (err) {
      if (!(err instanceof ServerStartError && err.portInUse)) throw err;
    }
  }
  if (server === undefined) throw new Error('redis-server (AOF) did not start');
  let current: ChildServer | undefined = server;
  const kill = async (): Promise<void> => {
    const s = current;
    current = undefined;
    if (s === undefined) return;
    const exited = new Promise<void>((resolve) => s.child.once('exit', () => resolve()));
    s.child.kill('SIGKILL');
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: async () => {
      await kill();
      // The port was just released by the killed server; retry briefly if the kernel still holds it.
      for (let attempt = 0; ; attempt++) {
        try {
          current = await startChildServer(
            'redis-server',
            binary,
            args(port, dir),
            /Ready to accept connections/,
            15_000,
          );
          return;
        } catch (err) {
          if (attempt >= 10 || !(err instanceof ServerStartError && err.portInUse)) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    stop: async () => {
      await current?.stop();
      current = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
