/**
 * A hash read page by page with HSCAN (never HGETALL or KEYS), for the store's passes over a whole
 * hash (retention prune, layout migration, the person-day listings) that must not hold Redis for it.
 */
import type { Redis } from 'ioredis';

/**
 * HSCAN pages of a hash (field, value pairs), `count` per page; only fields matching `match` (a
 * glob: the caller escapes what it puts in) when given.
 */
export async function scanHash(
  client: Redis,
  key: string,
  count: number,
  each: (page: Array<[string, string]>) => void | Promise<void>,
  match?: string,
): Promise<void> {
  let cursor = '0';
  do {
    const [next, flat] =
      match === undefined
        ? await client.hscan(key, cursor, 'COUNT', count)
        : await client.hscan(key, cursor, 'MATCH', match, 'COUNT', count);
    cursor = next;
    const page: Array<[string, string]> = [];
    for (let i = 0; i + 1 < flat.length; i += 2) page.push([flat[i] as string, flat[i + 1] as string]);
    if (page.length > 0) await each(page);
  } while (cursor !== '0');
}
