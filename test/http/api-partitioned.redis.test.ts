/**
 * The /v1 API over a partitioned queue-mode store (issue #15, PartitionedApiReads) answers as over
 * a one-gate Redis store fed the same traffic, on a real redis-server: generated declarations,
 * amendments moving bills between consignees (so between partitions), deletions, status messages
 * and re-sent interchanges, applied to the one-gate store input by input (applyBatch) and to a
 * 4-partition store as the queue workers apply it (router, then partition parts, 2 workers).
 * Compared over HTTP: every person-day page walked with its cursors (all days, one day, exceeded,
 * a consignee filter), every bill (decisions without `seq`, which a partition numbers on its own),
 * a pre-check batch spread over the partitions (answers in request order), and the pre-check's 501
 * for a bill it would move between partitions.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/adapters/http/http-server.js';
import { PartitionedApiReads } from '../../src/adapters/store/redis/partitioned-api-reads.js';
import { PartitionedRedisStore } from '../../src/adapters/store/redis/partitioned-store.js';
import { RedisDecisionStore } from '../../src/adapters/store/redis/redis-store.js';
import { applyBatch } from '../../src/app/apply-batch.js';
import { partitionOf } from '../../src/core/aggregate/partition-routing.js';
import { consigneeKey } from '../../src/core/consignee/consignee-key.js';
import { aggregationConfig } from '../../src/core/rules/defaults.js';
import { runPartitioned } from '../queue/support/partitioned-run.js';
import { inputsOf, type Step, step, toEvent } from '../queue/support/partitioned-stream.js';
import { useRedisServer } from '../support/redis-server.js';
import { getJson, postJson, startApi } from './support/api-fixture.js';

const testRedis = useRedisServer({ maxRetriesPerRequest: 3 });
const PARTITIONS = 4;

const at = (name: string, street: string, city: string, postal: string) => ({
  name,
  street,
  city,
  state: 'MA',
  postal,
  country: 'US',
});
/** Consignees as a pre-check sends them; the traffic uses their keys as a manifest folds them. */
const PARTIES = [
  at('Alice Smith', '1 Main St', 'Boston', '02110'),
  at('Bob Jones', '2 Elm St', 'Boston', '02110'),
  at('Carol Smith', '3 Oak St', 'Salem', '01970'),
  at('Dan Brown', '4 Pine St', 'Lowell', '01850'),
  at('Erin White', '5 Birch Rd', 'Worcester', '01601'),
  { name: 'ACME IMPORTS', idQualifier: '24', id: '10-5541071' },
  { name: 'ZETA TRADING', idQualifier: '24', id: '20-1234567' },
];
/** The key a manifest (and the pre-check) folds a consignee to; an id key needs no address. */
const keyOf = (p: object): string =>
  consigneeKey({ street: '', city: '', state: '', postal: '', country: '', name: '', ...p });
const CONSIGNEES = PARTIES.map(keyOf);

/** 160 generated steps over 40 bills and the consignees above (a fixed seed: the same every run). */
function traffic(): Step[] {
  const steps = fc.sample(
    fc.array(
      fc.record({ s: step, consignee: fc.integer({ min: 0, max: CONSIGNEES.length - 1 }), bill: fc.nat(39) }),
      { minLength: 160, maxLength: 160 },
    ),
    { seed: 1615, numRuns: 1 },
  )[0] as Array<{ s: Step; consignee: number; bill: number }>;
  return steps.map(({ s, consignee, bill }) => ({ ...s, bill, consignee: CONSIGNEES[consignee] as string }));
}

type Body = Record<string, unknown>;

/** Every page of a person-day listing, following `next`, and the items of each page. */
async function walk(url: string, query: string): Promise<Body[][]> {
  const pages: Body[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 200; i++) {
    const res = await getJson(`${url}/v1/person-days?limit=3${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    pages.push(res.body.items as Body[]);
    cursor = res.body.next as string | undefined;
    if (cursor === undefined) return pages;
  }
  throw new Error('more than 200 pages');
}

/** A bill's answer without decision seqs (each partition numbers its decisions on its own). */
function withoutSeq(body: Body): Body {
  const notifications = body.notifications as { sent: Body[]; pending: Body[] } | undefined;
  if (notifications === undefined) return body;
  const strip = (list: Body[]) => list.map(({ seq: _seq, ...rest }) => rest);
  return {
    ...body,
    notifications: { sent: strip(notifications.sent), pending: strip(notifications.pending) },
  };
}

describe('HTTP API over a partitioned Redis store', () => {
  let one: { url: string; server: HttpServer };
  let four: { url: string; server: HttpServer };
  let oneStore: RedisDecisionStore;
  let fourStore: PartitionedRedisStore;
  let bills: string[];
  let departures = 0;

  beforeAll(async () => {
    const config = aggregationConfig();
    const steps = traffic();
    const inputs = inputsOf(steps.map(toEvent), [1, 3, 2, 4], [3, 11, 20]);
    bills = [...new Set(steps.map((s) => `ABCD/B${s.bill}`))].sort();
    oneStore = new RedisDecisionStore({ client: testRedis.client, namespace: 'api-one' });
    for (const input of inputs) await applyBatch(oneStore, input, config);
    fourStore = new PartitionedRedisStore({
      client: testRedis.client,
      namespace: 'api-four',
      partitions: PARTITIONS,
    });
    await fourStore.router.claimPartitions();
    const run = await runPartitioned(fourStore, inputs, config, { workers: 2, seed: 7, maxPartItems: 3 });
    departures = run.departures;
    one = await startApi(oneStore);
    four = await startApi(new PartitionedApiReads(fourStore));
  }, 60_000);

  afterAll(async () => {
    await one?.server.close();
    await four?.server.close();
    await oneStore?.close();
    await fourStore?.close();
  });

  it('the traffic is spread over the partitions and moves bills between them', async () => {
    expect(departures).toBeGreaterThan(0);
    const held = await Promise.all(fourStore.partitions.map((p) => p.stats()));
    expect(held.filter((s) => s.bills > 0).length).toBeGreaterThan(1);
    expect(new Set(CONSIGNEES.map((c) => partitionOf(c, PARTITIONS))).size).toBeGreaterThan(2);
    expect((await oneStore.allDecisions()).length).toBeGreaterThan(5);
  });

  it('person-day pages, walked with their cursors, are the one-gate store pages', async () => {
    for (const query of [
      '',
      '&day=2025-06-10',
      '&day=2025-08-20',
      '&exceeded=true',
      '&exceeded=false',
      '&consignee=smith',
      `&consignee=${encodeURIComponent(CONSIGNEES[5] as string)}`,
    ]) {
      const mine = await walk(four.url, query);
      expect(mine, query).toEqual(await walk(one.url, query));
      expect(mine.flat().length, query).toBeGreaterThan(0);
    }
    // Across the partitions: the full listing is in (day, consignee key) order over several of them.
    const all = (await walk(four.url, '')).flat();
    expect(new Set(all.map((pd) => partitionOf(pd.consigneeKey as string, PARTITIONS))).size).toBeGreaterThan(
      1,
    );
  });

  it('every bill: its version, contribution and notifications as on the one-gate store', async () => {
    let notified = 0;
    let spread = 0;
    for (const bill of [...bills, 'ABCD/NEVER']) {
      const path = `/v1/bills/${encodeURIComponent(bill)}`;
      const [a, b] = [await getJson(`${four.url}${path}`), await getJson(`${one.url}${path}`)];
      expect(a.status, bill).toBe(b.status);
      expect(withoutSeq(a.body), bill).toEqual(withoutSeq(b.body));
      if (a.status === 200) {
        const n = a.body.notifications as { pending: Body[] };
        notified += n.pending.length;
        // A bill whose decisions were taken in more than one partition (it moved between them).
        const ids = n.pending.map((d) => d.decisionId as string);
        const holders = await Promise.all(fourStore.partitions.map((p) => p.decisionsWithStatus(ids)));
        if (holders.filter((h) => h.length > 0).length > 1) spread += 1;
      }
    }
    expect(notified).toBeGreaterThan(0);
    expect(spread).toBeGreaterThan(0);
  });

  it('the pre-check: the same answers, shipment by shipment in request order, as on the one-gate store', async () => {
    const shipment = (bill: string, party: object, day: string, value: string) => ({
      bill,
      consignee: party,
      day,
      value,
      mode: 'truck',
      origin: 'VN',
    });
    // New bills for every consignee on two days (crossings inside the batch), then every bill on
    // record counted in a person-day sent again to its own consignee with another value.
    const shipments: object[] = [];
    for (const [i, party] of PARTIES.entries())
      for (const day of ['2025-06-10', '2025-06-11'])
        shipments.push(
          shipment(`ABCD/N${i}${day.slice(-1)}`, party, day, '450.00'),
          shipment(`ABCD/M${i}${day.slice(-1)}`, party, day, '400.00'),
        );
    for (const bill of bills) {
      const found = await oneStore.billOnRecord(bill);
      const ck = found?.bill.counted === true ? found.bill.consigneeKey : undefined;
      const party = PARTIES[CONSIGNEES.indexOf(ck as string)];
      if (found?.bill.day !== undefined && party !== undefined)
        shipments.push(shipment(bill, party, found.bill.day, '612.34'));
    }
    const mine = await postJson(`${four.url}/v1/precheck`, { shipments });
    const theirs = await postJson(`${one.url}/v1/precheck`, { shipments });
    expect(theirs.status).toBe(200);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(theirs.body);
    const answers = mine.body.answers as Array<{ index: number; wouldExceed: boolean; notes: string[] }>;
    expect(answers.map((a) => a.index)).toEqual(shipments.map((_, i) => i));
    expect(answers.filter((a) => a.wouldExceed).length).toBeGreaterThan(2);
    expect(shipments.length).toBeGreaterThan(PARTIES.length * 4 + 3);
    // Nothing was written: every partition reads as before.
    expect(await walk(four.url, '')).toEqual(await walk(one.url, ''));
  });

  it('the pre-check answers 501 for a bill it would move between partitions, saying why', async () => {
    const { owners } = await fourStore.router.read(bills, []);
    const [bill, owner] = [...owners][0] as [string, number];
    const party = PARTIES.find((p) => partitionOf(keyOf(p), PARTITIONS) !== owner);
    const shipment = { bill, consignee: party, day: '2025-06-10', value: '10.00', mode: 'truck' };
    const mine = await postJson(`${four.url}/v1/precheck`, { shipment });
    expect(mine.status).toBe(501);
    expect(mine.body.error).toBe('not-implemented');
    expect(String(mine.body.message)).toMatch(/another partition/);
    expect((await postJson(`${one.url}/v1/precheck`, { shipment })).status).toBe(200);
  });
});
