/**
 * The pure detector: same name with an address variant (the extension of near-identical.ts), and
 * grouping of blocks into suspect groups with the combined total, pairs found twice counted once.
 */
import { describe, expect, it } from 'vitest';
import {
  type ConsigneeIdentity,
  compareConsignees,
  consigneeKey,
  type PartyDay,
  splitSuspects,
  suspectAuditRecord,
} from '../../src/core/consignee/index.js';

const base: ConsigneeIdentity = {
  name: 'Kathy Smith',
  street: '1234 Main Street',
  city: 'Beltsville',
  state: 'MD',
  postal: '20708',
  country: 'US',
};

describe('same name, address variants', () => {
  it.each([
    [{ street: '1234 Main Street Apt 5' }, 'address-street-variant'],
    [{ street: '1234 Maim Street' }, 'address-street-variant'],
    [{ postal: '20709' }, 'address-postal-variant'],
    [{ city: 'Beltsvile' }, 'address-postal-variant'],
  ])('%o is an address variant (%s)', (change, reason) => {
    expect(compareConsignees(base, { ...base, ...change })).toEqual({ relation: 'near', reason });
  });

  it.each([
    [{ street: '1236 Main Street' }], // the neighbour two doors down
    [{ street: '9 Other Road' }],
    [{ postal: '20709', city: 'Laurel' }], // both differ: another place
    [{ country: 'CA' }],
    [{ name: 'Kathy Smyth', street: '1234 Main Street Apt 5' }], // name and address both fuzzy
  ])('%o is different', (change) => {
    expect(compareConsignees(base, { ...base, ...change })).toEqual({ relation: 'different' });
  });
});

const day = (party: ConsigneeIdentity, totalCents: number, d = '2025-06-10'): PartyDay => ({
  day: d,
  consigneeKey: consigneeKey(party),
  totalCents,
  bills: 1,
  party,
});

describe('splitSuspects', () => {
  const john = day({ ...base, name: 'JOHN SMITH' }, 50_000);
  const j = day({ ...base, name: 'J SMITH' }, 50_000);
  const smithJohn = day({ ...base, name: 'SMITH JOHN' }, 50_000);
  const alice = day({ ...base, name: 'ALICE JONES' }, 10_000);

  it('groups name variants at one address with their combined total and every pair as evidence', () => {
    const [group, ...rest] = splitSuspects([[john, j, smithJohn, alice]]);
    expect(rest).toEqual([]);
    expect(group?.members.map((m) => m.party.name).sort()).toEqual(['J SMITH', 'JOHN SMITH', 'SMITH JOHN']);
    expect(group?.combinedCents).toBe(150_000);
    expect(group?.pairs.map((p) => p.reason).sort()).toEqual([
      'name-initials',
      'name-initials',
      'name-word-order',
    ]);
    const audit = suspectAuditRecord(group as NonNullable<typeof group>);
    expect(audit).toMatchObject({ kind: 'near-identical-consignee', day: '2025-06-10', totalCents: 150_000 });
    expect(audit.members?.map((m) => m.totalCents)).toEqual([50_000, 50_000, 50_000]);
  });

  it('a person-day whose bills all left it (no bills) is in no group', () => {
    // J SMITH's only bill was amended to JOHN SMITH: nothing of the day is split between them.
    const emptied = { ...j, totalCents: 0, bills: 0 };
    expect(splitSuspects([[john, emptied, alice]])).toEqual([]);
    const [group, ...rest] = splitSuspects([[john, emptied, smithJohn]]);
    expect(rest).toEqual([]);
    expect(group?.members.map((m) => m.party.name)).toEqual(['JOHN SMITH', 'SMITH JOHN']);
    expect(group?.combinedCents).toBe(100_000);
  });

  it('a pair in two blocks (same name and address, another id) counts once; other days never pair', () => {
    const withId = day({ ...base, name: 'JOHN SMITH', idQualifier: '24', id: '105541071' }, 30_000);
    const groups = splitSuspects([
      [john, withId],
      [withId, john],
      [day({ ...base, name: 'J SMITH' }, 1, '2025-06-11'), john],
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.pairs).toEqual([
      { a: withId.consigneeKey, b: john.consigneeKey, reason: 'same-name-other-id' },
    ]);
    expect(groups[0]?.combinedCents).toBe(80_000);
  });

  it('separate groups on separate days, sorted by id', () => {
    const next = (p: PartyDay): PartyDay => ({ ...p, day: '2025-06-11' });
    const groups = splitSuspects([
      [next(john), next(j)],
      [john, smithJohn],
    ]);
    expect(groups.map((g) => [g.day, g.combinedCents])).toEqual([
      ['2025-06-10', 100_000],
      ['2025-06-11', 100_000],
    ]);
  });
});
