/**
 * A redis-server of the test file's own (started before its tests, stopped after) and a client
 * with the store's Lua scripts, for tests that call the scripts directly.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { withStoreScripts } from '../../../src/adapters/store/redis/lua-scripts.js';
import { type RedisTestServer, startRedisServer } from '../../support/redis-server.js';

export type ScriptedClient = ReturnType<typeof withStoreScripts>;

/** Call at the top of a test file; the returned function gives the client inside tests. */
export function useScriptedRedis(): () => ScriptedClient {
  let server: RedisTestServer | undefined;
  let client: ScriptedClient | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    client = withStoreScripts(new Redis(server.url, { maxRetriesPerRequest: 3 }));
  });
  afterAll(async () => {
    await client?.quit();
    await server?.stop();
  });
  return () => {
    if (client === undefined)
      throw new Error('redis-server not started (call useScriptedRedis at the top of the file)');
    return client;
  };
}
