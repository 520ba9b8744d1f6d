/**
 * Port: what the HTTP API asks of a deployment (issue #16). The HTTP adapter (adapters/http) only
 * validates, routes and serializes; the answers come from an implementation of this port over a
 * store: app/api-service.ts builds it for the SQLite store (`s321 api`) and the Redis store
 * (`s321 serve`), running pre-checks through the one batch engine (app/apply-batch.ts) and
 * discarding what they computed.
 */
import type { BillRecord, PersonDayRecord } from '../core/aggregate/state.js';
import type { ConsigneeIdentity } from '../core/consignee/consignee-key.js';
import type { PartyDay } from '../core/consignee/split-suspects.js';
import type {
  BillDetail,
  PersonDaysPage,
  PersonDaysQuery,
  PrecheckAnswer,
  PrecheckShipment,
  SplitSuspectsAnswer,
} from '../core/model/api.js';
import type { Decision } from '../core/model/decision.js';
import type { ShipmentEvent } from '../core/model/shipment-event.js';
import type { ReadSession } from './decision-store.js';

export interface ApiPort {
  /** Evaluates the shipments in order as one hypothetical batch; writes nothing. */
  precheck(shipments: readonly PrecheckShipment[]): Promise<PrecheckAnswer[]>;
  /** One page of person-days, by day then consignee key (code-unit order). */
  personDays(query: PersonDaysQuery): Promise<PersonDaysPage>;
  /** A bill's latest version, contribution and notifications; undefined when not on record. */
  bill(key: string): Promise<BillDetail | undefined>;
  /**
   * Split-shipment suspects of a day (rules.md §3: reported, never merged); undefined when the store
   * keeps no consignee as sent (the Redis store), so none can be found.
   */
  splitSuspects(day: string): Promise<SplitSuspectsAnswer | undefined>;
}

/**
 * A request the port refuses as given (HTTP 400, CLI exit 2): a currency without a rate for the
 * day, a cursor that is not one of ours.
 */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    message: string,
    /** Where in the request, e.g. `shipments.2.currency`. */
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * A request the deployment cannot answer (HTTP 501 `not-implemented`): a pre-check on a
 * partitioned queue-mode store that would move a bill between partitions.
 */
export class ApiNotImplementedError extends Error {
  override readonly name = 'ApiNotImplementedError';
}

/**
 * A store split by consignee into partitions (a partitioned queue-mode store): a pre-check runs
 * each partition's shipments over that partition's snapshot.
 */
export interface PartitionSnapshots {
  /**
   * The partition each event is applied in, as the store's router would route them in this order;
   * undefined when one would move its bill out of the partition that holds it.
   */
  route(events: readonly ShipmentEvent[]): Promise<number[] | undefined>;
  openSnapshot(partition: number): ReadSession;
}

/** A person-day as a store lists it for the API: its record, counted bills and consignee as sent. */
export interface ListedPersonDay extends PersonDayRecord {
  /** Counted bills, in acceptance order. */
  billKeys: string[];
  /** The consignee as first sent (SQLite keeps it; the Redis store does not). */
  party?: ConsigneeIdentity;
}

export interface PersonDayScan {
  day?: string;
  /** Start after this person-day (day, then consignee key in code-unit order). */
  after?: { day: string; consigneeKey: string };
  /** Person-days are taken while fewer than `limit` were accepted. */
  limit: number;
  /** Which person-days to list (the era's threshold and the consignee filter are the caller's). */
  accept(pd: PersonDayRecord): boolean;
}

/** What the API reads from a store besides the batch view (SQLite and Redis implement it). */
export interface ApiReads {
  /** Person-days by day, then consignee key in code-unit order, from `after` on. */
  scanPersonDays(scan: PersonDayScan): Promise<ListedPersonDay[]>;
  /** A bill's record and its person-day's, when on record. */
  billOnRecord(key: string): Promise<{ bill: BillRecord; personDay?: PersonDayRecord } | undefined>;
  /**
   * Decisions by id (those on record), in seq order, and whether each is in an outbound file. A
   * partitioned store has a seq per partition: each partition's in its seq order, partitions merged
   * by the order of `ids` (partitioned-api-reads.ts says why that is the order they were taken in).
   */
  decisionsWithStatus(ids: readonly string[]): Promise<Array<{ decision: Decision; emitted: boolean }>>;
  /**
   * A day's person-days in blocks that may hold near-identical consignees (same folded address or
   * name), with the consignee as sent; absent where the store keeps no consignee (Redis).
   */
  splitCandidateBlocks?(day: string): Promise<PartyDay[][]>;
}
