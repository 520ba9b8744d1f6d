import { describe, expect, it } from 'vitest';
import { partitionOf, partitionParts, routeEvents } from '../../src/core/aggregate/partition-routing.js';
import { ev } from './event-builder.js';

/** Two consignee keys that fall in different partitions of 4. */
function apart(): [string, string] {
  const a = 'P';
  for (const b of ['Q', 'R', 'S', 'T', 'U', 'V']) if (partitionOf(b, 4) !== partitionOf(a, 4)) return [a, b];
  throw new Error('no two partitions');
}

describe('partition routing', () => {
  it('is stable and in range', () => {
    expect(partitionOf('NA:JANE DOE|1 MAIN ST', 16)).toBe(partitionOf('NA:JANE DOE|1 MAIN ST', 16));
    for (const k of ['a', 'b', 'c', 'd', 'e']) expect(partitionOf(k, 16)).toBeLessThan(16);
    expect(partitionOf('anything', 1)).toBe(0);
    expect(() => partitionOf('x', 0) + routeEvents([], new Map(), 0).routes.length).toThrow();
  });

  it('status before the manifest waits at the bill home, the manifest then moves it; deletions follow the owner', () => {
    const [a, b] = apart();
    const events = [
      ev({ bill: 'B1', kind: 'status', arrival: '2025-06-10' }),
      ev({ bill: 'B1', consignee: a }),
      ev({ bill: 'B1', kind: 'amended', consignee: b }),
      ev({ bill: 'B1', kind: 'deleted' }),
    ];
    const home = partitionOf('ABCD/B1', 4);
    const { routes, changedOwners } = routeEvents(events, new Map(), 4);
    const pa = partitionOf(a, 4);
    const pb = partitionOf(b, 4);
    expect(routes[0]).toEqual({ target: home });
    expect(routes[1]).toEqual(home === pa ? { target: pa } : { target: pa, source: home });
    expect(routes[2]).toEqual({ target: pb, source: pa });
    expect(routes[3]).toEqual({ target: pb });
    expect(changedOwners).toEqual(new Map([['ABCD/B1', pb]]));
  });

  it('a departure ends its part, an arrival joins the current one; every partition gets a part', () => {
    const parts = partitionParts(
      [{ target: 0 }, { target: 1, source: 0 }, { target: 1 }, { target: 0 }, { target: 0, source: 1 }],
      3,
      10,
    );
    expect(parts[0]).toEqual([
      [
        { kind: 'event', index: 0 },
        { kind: 'departure', index: 1, target: 1 },
      ],
      [
        { kind: 'event', index: 3 },
        { kind: 'arrival', index: 4, source: 1, sourcePart: 0 },
      ],
    ]);
    expect(parts[1]).toEqual([
      [
        { kind: 'arrival', index: 1, source: 0, sourcePart: 0 },
        { kind: 'event', index: 2 },
        { kind: 'departure', index: 4, target: 0 },
      ],
    ]);
    expect(parts[2]).toEqual([[]]);
  });

  it('cuts parts at the item limit', () => {
    const parts = partitionParts(
      Array.from({ length: 5 }, () => ({ target: 0 })),
      1,
      2,
    );
    expect(parts[0]?.map((p) => p.length)).toEqual([2, 2, 1]);
  });
});
