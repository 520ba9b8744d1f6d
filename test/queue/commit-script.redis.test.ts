/**
 * The commit script (src/adapters/store/redis/lua/commit-batch.lua) called directly on a real
 * redis-server: its flat sections land where the store reads them, more records than one chunk
 * (500) are all written, person-day members are kept in the person-day value (key layout 3), and
 * its guards (a decision already stored, section counts that do not match the arguments, a key of
 * another kind, the ordered gate, an earlier key layout) write nothing at all.
 */
import { describe, expect, it } from 'vitest';
import { decodeMembers } from '../../src/adapters/store/redis/person-day-value.js';
import { storeKeys } from '../../src/adapters/store/redis/store-keys.js';
import { useScriptedRedis } from './support/scripted-redis.js';

const redis = useScriptedRedis();

interface Sections {
  bills: Array<[string, string]>;
  pds: Array<[string, string]>;
  zrem: Array<[string, string]>;
  zadd: Array<[string, string, string]>;
  decs: Array<[string, string, string]>;
  audit: string[];
  ics: Array<[string, string]>;
}

function call(namespace: string, s: Sections, extra: Record<string, unknown> = {}, records?: string[]) {
  const keys = storeKeys(namespace);
  const header = {
    v: 0,
    config: 'cfg',
    dseq: String(s.decs.length),
    aseq: '7',
    n: {
      bills: s.bills.length,
      pds: s.pds.length,
      zrem: s.zrem.length,
      zadd: s.zadd.length,
      decs: s.decs.length,
      audit: s.audit.length,
      ics: s.ics.length,
    },
    ...extra,
  };
  const flat =
    records ?? [...s.bills, ...s.pds, ...s.zrem, ...s.zadd, ...s.decs].flat().concat(s.audit, s.ics.flat());
  return redis().s321CommitBatch(keys.meta, keys.prefix, JSON.stringify(header), flat);
}

const empty = (): Sections => ({ bills: [], pds: [], zrem: [], zadd: [], decs: [], audit: [], ics: [] });

describe('commit-batch.lua', () => {
  it('writes every section where the store reads it, across several chunks', async () => {
    const ns = 'script-sections';
    const keys = storeKeys(ns);
    const s = empty();
    for (let i = 0; i < 1_203; i++) s.bills.push([`B${i}`, `{"b":${i}}`]);
    s.pds.push(['2025-06-10:ck1', '4,2,0']);
    s.zadd.push(['2025-06-10:ck1', '3', 'B3'], ['2025-06-10:ck1', '1', 'B1']);
    for (let i = 0; i < 501; i++) s.decs.push([`D${i}`, String(i), `{"d":${i}}`]);
    s.audit.push('{"a":1}', '{"a":2}');
    s.ics.push(['ic1', 'file-1.x12']);
    expect(await call(ns, s)).toEqual(['OK', 1]);

    expect(await redis().hlen(keys.bills)).toBe(1_203);
    expect(await redis().hget(keys.bills, 'B1202')).toBe('{"b":1202}');
    // Layout 3: the members are the person-day value's `|` part, in the order they were added.
    expect(await redis().hget(keys.personDays, '2025-06-10:ck1')).toBe('4,2,0|["B3",3,"B1",1]');
    expect(await redis().hget(keys.meta, 'layout')).toBe('3');
    expect(await redis().hlen(keys.decisions)).toBe(501);
    expect(await redis().hget(keys.decisions, 'D500')).toBe('{"d":500}');
    expect(await redis().zrange(keys.decisionLog, '499', '-1', 'WITHSCORES')).toEqual([
      'D499',
      '499',
      'D500',
      '500',
    ]);
    expect(await redis().zcard(keys.pending)).toBe(501);
    expect(await redis().lrange(keys.audit, 0, -1)).toEqual(['{"a":1}', '{"a":2}']);
    expect(await redis().hget(keys.interchanges, 'ic1')).toBe('file-1.x12');
    expect(await redis().hmget(keys.meta, 'version', 'dseq', 'aseq', 'config')).toEqual([
      '1',
      '501',
      '7',
      'cfg',
    ]);

    // A removal takes the bill out of its person-day's members, the head as stored when the batch
    // brings none; a member added again moves to the end with its new acceptedSeq (as ZADD
    // re-scores), and a key with a slash or a backslash is kept exactly.
    const next = empty();
    next.zrem.push(['2025-06-10:ck1', 'B3']);
    next.zadd.push(['2025-06-10:ck1', '9', 'B1'], ['2025-06-10:ck1', '10', 'A/\\/"x']);
    expect(await call(ns, next, { v: 1 })).toEqual(['OK', 2]);
    const value = (await redis().hget(keys.personDays, '2025-06-10:ck1')) as string;
    expect(value).toBe('4,2,0|["B1",9,"A/\\\\/\\"x",10]');
    expect(decodeMembers('2025-06-10:ck1', value)).toEqual({ keys: ['B1', 'A/\\/"x'], seqs: [9, 10] });
    const last = empty();
    last.pds.push(['2025-06-10:ck1', '0,0,0']);
    last.zrem.push(['2025-06-10:ck1', 'B1'], ['2025-06-10:ck1', 'A/\\/"x']);
    expect(await call(ns, last, { v: 2 })).toEqual(['OK', 3]);
    expect(await redis().hget(keys.personDays, '2025-06-10:ck1')).toBe('0,0,0');
  });

  it('refuses a store in an earlier key layout, and writes nothing', async () => {
    const ns = 'script-layout';
    const keys = storeKeys(ns);
    const s = empty();
    s.bills.push(['B1', '{}']);
    // Written before layouts were recorded: a version, no layout.
    await redis().hset(keys.meta, 'version', '4');
    expect(await call(ns, s, { v: 4 })).toEqual(['LAYOUT', '']);
    await redis().hset(keys.meta, 'layout', '2');
    expect(await call(ns, s, { v: 4 })).toEqual(['LAYOUT', '2']);
    expect(await redis().exists(keys.bills)).toBe(0);
    expect(await redis().hget(keys.meta, 'version')).toBe('4');
    // A members edit for a person-day the store does not hold and the batch does not bring.
    const orphan = empty();
    orphan.zadd.push(['2025-06-10:nobody', '1', 'B1']);
    await expect(call('script-orphan', orphan)).rejects.toThrow(
      /BAD_ARGS members of person-day 2025-06-10:nobody/,
    );
    expect(await redis().exists(storeKeys('script-orphan').personDays)).toBe(0);
  });

  it('refuses a decision already stored, and writes nothing of the batch', async () => {
    const ns = 'script-duplicate';
    const keys = storeKeys(ns);
    const first = empty();
    first.decs.push(['D1', '0', '{"d":1}']);
    expect(await call(ns, first)).toEqual(['OK', 1]);
    const again = empty();
    again.bills.push(['B9', '{}']);
    for (let i = 2; i < 700; i++) again.decs.push([`D${i}`, String(i), '{}']);
    again.decs.push(['D1', '700', '{"d":"again"}']);
    await expect(call(ns, again, { v: 1 })).rejects.toThrow(/DUPLICATE_DECISION D1/);
    expect(await redis().hget(keys.decisions, 'D1')).toBe('{"d":1}');
    expect(await redis().hlen(keys.decisions)).toBe(1);
    expect(await redis().hexists(keys.bills, 'B9')).toBe(0);
    expect(await redis().hget(keys.meta, 'version')).toBe('1');
  });

  it('refuses arguments that do not match the section counts, and writes nothing', async () => {
    const ns = 'script-bad-args';
    const keys = storeKeys(ns);
    const s = empty();
    s.bills.push(['B1', '{}'], ['B2', '{}']);
    const flat = s.bills.flat();
    await expect(call(ns, s, {}, flat.slice(0, 3))).rejects.toThrow(/BAD_ARGS/);
    await expect(call(ns, s, {}, [...flat, 'extra'])).rejects.toThrow(/BAD_ARGS/);
    expect(await redis().exists(keys.bills, keys.meta)).toBe(0);
  });

  it('refuses a batch whose person-day hash (or any key it writes) holds another kind, and writes nothing', async () => {
    // Redis keeps a script's writes made before an error: without the type check first, the bills
    // and person-days of this batch were written, then ZADD failed, and the next try (reading the
    // bill as stored) committed with the membership missing.
    const ns = 'script-wrongtype';
    const keys = storeKeys(ns);
    await redis().set(keys.personDays, 'not a hash');
    const s = empty();
    s.bills.push(['B1', '{"b":1}']);
    s.pds.push(['2025-06-10:ck1', '1,1,0']);
    s.zadd.push(['2025-06-10:ck1', '1', 'B1']);
    s.decs.push(['D1', '0', '{"d":1}']);
    s.audit.push('{"a":1}');
    s.ics.push(['ic1', 'file-1.x12']);
    const gate = { gate: { seq: 1, part: 0, last: true }, outcome: '{}', ttl: 60 };
    await expect(call(ns, s, gate)).rejects.toThrow(/WRONGTYPE .*:pd holds a string/);
    expect(
      await redis().exists(
        keys.bills,
        keys.decisions,
        keys.decisionLog,
        keys.pending,
        keys.audit,
        keys.interchanges,
        keys.meta,
        keys.outcome(1, 0),
      ),
    ).toBe(0);

    // Repaired, the same batch commits whole.
    await redis().del(keys.personDays);
    expect(await call(ns, s, gate)).toEqual(['OK', 1]);
    expect(await redis().hget(keys.personDays, '2025-06-10:ck1')).toBe('1,1,0|["B1",1]');
    expect(await redis().hget(keys.meta, 'gseq')).toBe('1');
  });

  it('writes nothing when the gate is not at the part before', async () => {
    const ns = 'script-gate';
    const keys = storeKeys(ns);
    const s = empty();
    s.bills.push(['B1', '{}']);
    const gated = { gate: { seq: 2, part: 0, last: true }, outcome: '{}', ttl: 60 };
    expect(await call(ns, s, gated)).toEqual(['GATE', 0, 0, 1]);
    expect(await redis().exists(keys.bills)).toBe(0);
    expect(await call(ns, s, { ...gated, gate: { seq: 1, part: 0, last: true } })).toEqual(['OK', 1]);
    expect(await redis().hmget(keys.meta, 'gseq', 'gpart', 'gdone')).toEqual(['1', '0', '1']);
    expect(await redis().hget(keys.outcome(1, 0), 'body')).toBe('{}');
  });

  it('applies a range of parts in one commit: checked against the first, the gate moved to the last', async () => {
    const ns = 'script-range';
    const keys = storeKeys(ns);
    const s = empty();
    s.bills.push(['B1', '{}']);
    s.audit.push('{"a":1}');
    // Parts 1.0 (not last), 1.1 (last) and 2.0 (last) in one commit.
    const range = {
      from: { seq: 1, part: 0 },
      gate: { seq: 2, part: 0, last: true },
      outcome: '{"first":true}',
      covered: [
        [1, 1, '{"with":"1.0"}'],
        [2, 0, '{"with":"1.0"}'],
      ],
      ttl: 60,
    };
    // The gate must stand right before the first part of the range, not before its last.
    expect(await call(ns, s, range)).toEqual(['OK', 1]);
    expect(await redis().hmget(keys.meta, 'gseq', 'gpart', 'gdone')).toEqual(['2', '0', '1']);
    expect(await redis().hmget(keys.outcome(1, 0), 'body', 'af', 'at')).toEqual(['{"first":true}', '0', '1']);
    expect(await redis().hmget(keys.outcome(1, 1), 'body', 'af', 'at')).toEqual(['{"with":"1.0"}', '1', '1']);
    expect(await redis().hget(keys.outcome(2, 0), 'body')).toBe('{"with":"1.0"}');
    expect(await redis().ttl(keys.outcome(2, 0))).toBeGreaterThan(0);
    // The same range again (a redelivery): its first part is applied, nothing is written.
    expect(await call(ns, s, range)).toEqual(['GATE', 2, 0, 1]);
    expect(await redis().llen(keys.audit)).toBe(1);
    // A range starting after a gap is refused whole.
    const gap = {
      ...range,
      from: { seq: 4, part: 0 },
      gate: { seq: 4, part: 1, last: true },
      covered: [[4, 1, '{}']],
    };
    expect(await call(ns, s, gap)).toEqual(['GATE', 2, 0, 1]);
    expect(await redis().exists(keys.outcome(4, 1))).toBe(0);
  });
});
