/**
 * The store's Lua scripts live as .lua files beside this module's source (readable, diffable,
 * testable with redis-cli, with lua/write-guard.lua in front: it is prepended to each). They are
 * read once and registered with ioredis' defineCommand, which sends EVALSHA and falls back to EVAL
 * after a Redis restart emptied the script cache.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

const SCRIPTS = {
  s321CommitBatch: { file: 'commit-batch.lua', keys: 1 },
  s321SkipSequence: { file: 'skip-sequence.lua', keys: 1 },
  s321RecordOutbound: { file: 'record-outbound.lua', keys: 3 },
  s321ReserveControl: { file: 'reserve-control.lua', keys: 1 },
  s321RouteInput: { file: 'route-input.lua', keys: 1 },
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** The commands the scripts add to a client (ioredis' typings do not know them). */
export interface StoreScripts {
  /**
   * `records`: the flat sections commit-batch.lua describes, in its order (ioredis flattens the
   * array into the command's arguments; no spread, which is bounded by the call stack).
   */
  s321CommitBatch(meta: string, prefix: string, header: string, records: string[]): Promise<unknown[]>;
  s321SkipSequence(
    meta: string,
    prefix: string,
    seq: string,
    outcome: string,
    ttl: string,
  ): Promise<unknown[]>;
  s321RecordOutbound(pending: string, files: string, unwritten: string, payload: string): Promise<string>;
  s321ReserveControl(control: string, field: string, count: string, max: string): Promise<number>;
  /** `records`: owner pairs then interchange pairs (route-input.lua). */
  s321RouteInput(
    meta: string,
    prefix: string,
    seq: string,
    partitions: string,
    routing: string,
    ttl: string,
    owners: string,
    records: string[],
  ): Promise<unknown[]>;
}

/**
 * The lua/ folder beside this module: src/adapters/store/redis/lua when run from the sources, and
 * dist/src/adapters/store/redis/lua in a build (scripts/copy-assets.ts copies the .lua files there,
 * since tsc does not), so an installed package never reaches back into a source tree.
 */
const LUA_DIR = fileURLToPath(new URL('./lua/', import.meta.url));

const sources = new Map<ScriptName, string>();

/** Functions every script may call (lua/write-guard.lua: key kinds checked before the first write). */
const PRELUDE_FILE = 'write-guard.lua';

export function scriptSource(name: ScriptName): string {
  let lua = sources.get(name);
  if (lua === undefined) {
    const dir = LUA_DIR;
    lua = `${readFileSync(join(dir, PRELUDE_FILE), 'utf8')}\n${readFileSync(join(dir, SCRIPTS[name].file), 'utf8')}`;
    sources.set(name, lua);
  }
  return lua;
}

/** Registers every script on the client (idempotent per client) and returns it typed. */
export function withStoreScripts(client: Redis): Redis & StoreScripts {
  const typed = client as Redis & StoreScripts & { __s321Scripts?: true };
  if (typed.__s321Scripts !== true) {
    for (const [name, def] of Object.entries(SCRIPTS) as Array<[ScriptName, (typeof SCRIPTS)[ScriptName]]>) {
      client.defineCommand(name, { lua: scriptSource(name), numberOfKeys: def.keys });
    }
    typed.__s321Scripts = true;
  }
  return typed;
}
