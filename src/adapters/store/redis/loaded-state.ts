/**
 * The part of the Redis store's state one batch needs, loaded into maps, and the StateView the pure
 * core reads through. A key the core asks for that was not loaded is recorded as a miss and answered
 * with a guess ("absent"); the batch use case then has every miss loaded and runs the batch again. Only a run
 * without a single miss is committed, so its decisions are exactly those of a store that could read
 * everything synchronously (SQLite): guesses only steer the discarded runs toward more misses.
 */
import type { StateKeys } from '../../../core/aggregate/engine.js';
import type { BillRecord, PersonDayRecord, StateView } from '../../../core/aggregate/state.js';
import { decodeBillValue } from './bill-value.js';
import type { MemberList } from './person-day-value.js';
import { personDayField } from './store-keys.js';

export class LoadedState {
  /** Raw bill JSON (parsed on every read, so no run can alter what the next run sees); null = absent. */
  readonly bills = new Map<string, string | null>();
  readonly personDays = new Map<string, PersonDayRecord | null>();
  /** Counted bills of a person-day in acceptedSeq order, with their acceptedSeq (person-day-value.ts). */
  readonly members = new Map<string, MemberList>();
  /** First file of an already-applied interchange; null = not applied. */
  readonly interchanges = new Map<string, string | null>();
  /** Store version every map was read at (every read round checks it is still the same). */
  version: number | undefined;
  decisionSeq = 0;
  acceptSeq = 0;
  /** The retention watermark read with the version (docs/retention.md); undefined: nothing pruned. */
  watermark: string | undefined;

  view(misses: StateKeys): StateView {
    return {
      bill: (key) => {
        const raw = this.bills.get(key);
        if (raw === undefined) {
          misses.bills.add(key);
          return undefined;
        }
        return raw === null ? undefined : decodeBillValue(key, raw);
      },
      personDay: (consigneeKey, day) => {
        const field = personDayField(consigneeKey, day);
        const pd = this.personDays.get(field);
        if (pd === undefined) {
          misses.addPersonDay(consigneeKey, day);
          return undefined;
        }
        return pd === null ? undefined : { ...pd };
      },
      billsOf: (consigneeKey, day, fromSeq = 0) => {
        const field = personDayField(consigneeKey, day);
        const list = this.members.get(field);
        if (list === undefined) {
          misses.addMembers(consigneeKey, day);
          return [];
        }
        return list.keys.slice(firstAtLeast(list.seqs, fromSeq));
      },
      nextDecisionSeq: () => this.decisionSeq,
      nextAcceptSeq: () => this.acceptSeq,
    };
  }

  /** The stored bill as it was before the batch (the commit derives membership moves from it). */
  storedBill(key: string): BillRecord | undefined {
    const raw = this.bills.get(key);
    return raw === undefined || raw === null ? undefined : decodeBillValue(key, raw);
  }
}

export type { MemberList };

/** A member list from a ZRANGE … WITHSCORES reply (member, score, member, score, …): layout 2's member sets. */
export function memberListOf(flat: readonly string[]): MemberList {
  const keys: string[] = [];
  const seqs: number[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    keys.push(flat[i] as string);
    seqs.push(Number(flat[i + 1]));
  }
  return { keys, seqs };
}

/** Index of the first element of an ascending array that is at least `value` (binary search). */
function firstAtLeast(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Splits a person-day field back into its parts (the day is always 10 characters). */
export function splitPersonDayField(field: string): { day: string; consigneeKey: string } {
  return { day: field.slice(0, 10), consigneeKey: field.slice(11) };
}
