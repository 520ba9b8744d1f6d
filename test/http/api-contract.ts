/**
 * The /v1 API over real HTTP, one suite for every store (SQLite file, Redis): each backend's setup
 * holds the fixture day (support/api-fixture.ts DAY_BILLS) and says how to fingerprint its state,
 * so "the pre-check writes nothing" is checked on the stored bytes themselves.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, getJson, postJson } from './support/api-fixture.js';

export interface ApiBackend {
  url: string;
  /** A fingerprint of everything the store holds. */
  fingerprint(): Promise<string>;
  close(): Promise<void>;
}

const JANE = {
  name: 'Jane Doe',
  street: '12 Elm St.',
  city: 'Boston',
  state: 'MA',
  postal: '02110',
  country: 'US',
};
const ACME = { name: 'ACME IMPORTS', idQualifier: '24', id: '10-5541071' };

const shipment = (bill: string, consignee: object, value: string, extra: object = {}) => ({
  bill: `ACME/${bill}`,
  consignee,
  day: DAY,
  value,
  currency: 'USD',
  mode: 'truck',
  origin: 'VN',
  hts: ['6109100010'],
  ...extra,
});

type Answer = {
  bill: string;
  consigneeKey: string;
  currentTotalCents: number;
  totalAfterCents: number;
  wouldExceed: boolean;
  alreadyExceeded: boolean;
  counted: boolean;
  profile: string;
  thresholdCents: number;
  notifications: Array<{ bill: string; channel: string; code: string; role: string; recipient: string }>;
  notes: string[];
};

const said = (a: Answer) =>
  a.notifications.map((n) => `${n.bill} ${n.channel} ${n.code} ${n.role} ${n.recipient}`);

export function apiContract(name: string, open: () => Promise<ApiBackend>): void {
  describe(`HTTP API over ${name}`, () => {
    let api: ApiBackend;
    let ajv: Ajv2020;
    let components: Record<string, object>;
    beforeAll(async () => {
      api = await open();
      const doc = (await getJson(`${api.url}/v1/openapi.json`)).body as {
        components: { schemas: Record<string, object> };
      };
      components = doc.components.schemas;
      ajv = new Ajv2020({ strict: false });
    });
    afterAll(async () => api.close());

    /** A response body checked against the OpenAPI document's schema for it. */
    const conforms = (schema: string, body: unknown): void => {
      const validate = ajv.compile(components[schema] as object);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    };

    it('pre-check: a shipment that takes JANE DOE over $800 names the day, the total, the era and every notification', async () => {
      const before = await api.fingerprint();
      const r = await postJson(`${api.url}/v1/precheck`, { shipment: shipment('NEW001', JANE, '300.00') });
      expect(r.status).toBe(200);
      conforms('PrecheckResponse', r.body);
      const [a] = r.body.answers as Answer[];
      expect(a).toMatchObject({
        bill: 'ACME/NEW001',
        consigneeKey: 'na|JANE DOE|12 ELM ST|BOSTON|MA|02110|US',
        currentTotalCents: 55000,
        totalAfterCents: 85000,
        alreadyExceeded: false,
        wouldExceed: true,
        counted: true,
        profile: 'release2',
        thresholdCents: 80000,
      });
      expect(said(a as Answer)).toEqual([
        'ACME/API003 truck-x12-350 95 earlier ACME',
        'ACME/API004 truck-x12-350 95 earlier ACME',
        'ACME/NEW001 truck-x12-350 95 crossing ACME',
      ]);
      expect(r.body.discarded).toBe(true);
      expect(await api.fingerprint()).toBe(before);
    });

    it('pre-check: a shipment under the threshold, a later one of an exceeded day, an ineligible origin', async () => {
      const before = await api.fingerprint();
      const r = await postJson(`${api.url}/v1/precheck`, {
        shipments: [
          shipment('NEW002', { ...JANE, name: 'John Roe' }, '120.00'),
          shipment('NEW003', ACME, '10.00'),
          shipment('NEW004', JANE, '10.00', { origin: 'CN' }),
        ],
      });
      expect(r.status).toBe(200);
      const [under, later, ineligible] = r.body.answers as Answer[];
      expect(under).toMatchObject({ currentTotalCents: 0, totalAfterCents: 12000, wouldExceed: false });
      expect(under?.notifications).toEqual([]);
      expect(later).toMatchObject({
        consigneeKey: 'id|24|105541071',
        currentTotalCents: 95025,
        totalAfterCents: 96025,
        alreadyExceeded: true,
        wouldExceed: false,
      });
      expect(said(later as Answer)).toEqual(['ACME/NEW003 truck-x12-350 95 crossing ACME']);
      expect(ineligible).toMatchObject({ counted: false, currentTotalCents: 55000, totalAfterCents: 55000 });
      expect(ineligible?.notifications.map((n) => `${n.channel} ${n.code}`)).toEqual([
        'report INELIGIBLE-ORIGIN',
      ]);
      expect(await api.fingerprint()).toBe(before);
    });

    it('pre-check: a batch is one hypothetical batch, in order (the second shipment finds the first)', async () => {
      const roe = { ...JANE, name: 'Richard Roe' };
      const r = await postJson(`${api.url}/v1/precheck`, {
        shipments: [shipment('NEW005', roe, '500.00'), shipment('NEW006', roe, '400.00')],
      });
      const [first, second] = r.body.answers as Answer[];
      expect(first).toMatchObject({ currentTotalCents: 0, totalAfterCents: 50000, wouldExceed: false });
      expect(second).toMatchObject({ currentTotalCents: 50000, totalAfterCents: 90000, wouldExceed: true });
      expect(said(second as Answer)).toEqual([
        'ACME/NEW005 truck-x12-350 95 earlier ACME',
        'ACME/NEW006 truck-x12-350 95 crossing ACME',
      ]);
      // The same batch asked alone for its second shipment: nothing of the first was kept.
      const alone = await postJson(`${api.url}/v1/precheck`, { shipment: shipment('NEW006', roe, '400.00') });
      expect((alone.body.answers as Answer[])[0]).toMatchObject({ currentTotalCents: 0, wouldExceed: false });
    });

    it('pre-check: an amendment of a bill on record changes its day by the difference', async () => {
      const r = await postJson(`${api.url}/v1/precheck`, { shipment: shipment('API004', JANE, '600.00') });
      const [a] = r.body.answers as Answer[];
      expect(a).toMatchObject({ currentTotalCents: 55000, totalAfterCents: 90000, wouldExceed: true });
      expect(said(a as Answer)).toEqual([
        'ACME/API003 truck-x12-350 95 earlier ACME',
        'ACME/API004 truck-x12-350 95 crossing ACME',
      ]);
    });

    it('pre-check: invalid requests are refused with 400 and every problem with its path', async () => {
      const missing = await postJson(`${api.url}/v1/precheck`, {
        shipment: { bill: 'NOSLASH', consignee: {}, value: '-5', mode: 'boat' },
      });
      expect(missing.status).toBe(400);
      conforms('ApiError', missing.body);
      expect(missing.body.error).toBe('invalid-request');
      const paths = (missing.body.issues as Array<{ path: string }>).map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          'shipment.bill',
          'shipment.consignee',
          'shipment.day',
          'shipment.value',
          'shipment.mode',
        ]),
      );
      const empty = await postJson(`${api.url}/v1/precheck`, { shipments: [] });
      expect(empty.status).toBe(400);
      const rate = await postJson(`${api.url}/v1/precheck`, {
        shipment: shipment('NEW007', JANE, '10.00', { currency: 'EUR' }),
      });
      expect(rate.status).toBe(400);
      expect(rate.body.issues).toEqual([
        { path: 'shipments.0.currency', message: "currency 'EUR' is not in the rate table" },
      ]);
    });

    it('GET /v1/person-days: filters by day, consignee and exceeded; pages with a cursor', async () => {
      const all = await getJson(`${api.url}/v1/person-days`);
      expect(all.status).toBe(200);
      conforms('PersonDaysPage', all.body);
      const items = all.body.items as Array<Record<string, unknown>>;
      expect(items.map((i) => [i.consigneeKey, i.totalCents, i.exceeded, i.billKeys])).toEqual([
        ['id|24|105541071', 95025, true, ['ACME/API001', 'ACME/API002']],
        ['na|JANE DOE|12 ELM ST|BOSTON|MA|02110|US', 55000, false, ['ACME/API003', 'ACME/API004']],
      ]);
      expect(all.body.next).toBeUndefined();
      const exceeded = await getJson(`${api.url}/v1/person-days?day=${DAY}&exceeded=true`);
      expect((exceeded.body.items as Array<{ consigneeKey: string }>).map((i) => i.consigneeKey)).toEqual([
        'id|24|105541071',
      ]);
      const notExceeded = await getJson(`${api.url}/v1/person-days?exceeded=false`);
      expect((notExceeded.body.items as unknown[]).length).toBe(1);
      const byName = await getJson(`${api.url}/v1/person-days?consignee=${encodeURIComponent('jane doe')}`);
      expect((byName.body.items as Array<{ totalCents: number }>).map((i) => i.totalCents)).toEqual([55000]);
      const byKey = await getJson(
        `${api.url}/v1/person-days?consignee=${encodeURIComponent('id|24|105541071')}`,
      );
      expect((byKey.body.items as unknown[]).length).toBe(1);
      expect((await getJson(`${api.url}/v1/person-days?day=2025-06-11`)).body.items).toEqual([]);
      // Pages of one, followed to the end, are the whole list.
      const paged: unknown[] = [];
      let next: string | undefined;
      do {
        const page = await getJson(
          `${api.url}/v1/person-days?limit=1${next === undefined ? '' : `&cursor=${encodeURIComponent(next)}`}`,
        );
        paged.push(...(page.body.items as unknown[]));
        next = page.body.next as string | undefined;
      } while (next !== undefined);
      expect(paged).toEqual(items);
      for (const bad of [
        'day=2025-13-01',
        'exceeded=yes',
        'limit=0',
        'limit=1001',
        'cursor=nope',
        'colour=red',
      ]) {
        const r = await getJson(`${api.url}/v1/person-days?${bad}`);
        expect(r.status, bad).toBe(400);
        conforms('ApiError', r.body);
      }
    });

    it('GET /v1/bills/:bill: the version on record, its contribution, notifications sent and pending; 404 when unknown', async () => {
      for (const path of ['ACME%2FAPI002', 'ACME/API002']) {
        const r = await getJson(`${api.url}/v1/bills/${path}`);
        expect(r.status, path).toBe(200);
        conforms('BillDetail', r.body);
        expect(r.body).toMatchObject({
          bill: 'ACME/API002',
          issuer: 'ACME',
          scn: 'API002',
          contribution: {
            counted: true,
            cents: 45025,
            consigneeKey: 'id|24|105541071',
            day: DAY,
            personDayTotalCents: 95025,
          },
        });
        const n = r.body.notifications as {
          sent: Array<{ code: string; role: string }>;
          pending: Array<{ code: string; role: string }>;
        };
        expect([...n.sent, ...n.pending].map((d) => `${d.code} ${d.role}`)).toEqual(['95 crossing']);
        expect((r.body.versions as unknown[]).length).toBe(1);
      }
      const under = await getJson(`${api.url}/v1/bills/ACME%2FAPI003`);
      const n = under.body.notifications as { sent: unknown[]; pending: unknown[] };
      expect([...n.sent, ...n.pending]).toEqual([]);
      const missing = await getJson(`${api.url}/v1/bills/ACME%2FNOPE`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'not-found', message: 'no bill ACME/NOPE on record' });
    });

    it('GET /v1/openapi.json: an OpenAPI 3.1 document whose schemas compile, naming every route', async () => {
      const r = await getJson(`${api.url}/v1/openapi.json`);
      expect(r.body.openapi).toBe('3.1.0');
      expect(Object.keys(r.body.paths as object).sort()).toEqual([
        '/v1/bills/{bill}',
        '/v1/openapi.json',
        '/v1/person-days',
        '/v1/precheck',
        '/v1/split-suspects',
      ]);
      for (const schema of Object.values(components)) expect(() => ajv.compile(schema)).not.toThrow();
      // The request schema is the one the server validates with: a valid request passes it, an invalid one fails it.
      const request = ajv.compile(components.PrecheckRequest as object);
      expect(request({ shipment: shipment('X1', JANE, '1') })).toBe(true);
      expect(request({ shipment: { ...shipment('X1', JANE, '1'), mode: 'boat' } })).toBe(false);
    });
  });
}
