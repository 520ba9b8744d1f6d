/**
 * A redis-server of the test file's own (useRedisServer) and its client with the store's Lua
 * scripts, for tests that call the scripts directly.
 */
import { withStoreScripts } from '../../../src/adapters/store/redis/lua-scripts.js';
import { useRedisServer } from '../../support/redis-server.js';

export type ScriptedClient = ReturnType<typeof withStoreScripts>;

/** Call at the top of a test file; the returned function gives the client inside tests. */
export function useScriptedRedis(): () => ScriptedClient {
  const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });
  let scripted: ScriptedClient | undefined;
  return () => {
    scripted ??= withStoreScripts(testRedis.client);
    return scripted;
  };
}
