/**
 * Port: what the HTTP API asks of a deployment (issue #16). The HTTP adapter (adapters/http) only
 * validates, routes and serializes; the answers come from an implementation of this port over a
 * store: app/api-service.ts builds it for the SQLite store (`s321 api`) and the Redis store
 * (`s321 serve`), running pre-checks through the one batch engine (app/apply-batch.ts) and
 * discarding what they computed.
 */
import type {
  BillDetail,
  PersonDaysPage,
  PersonDaysQuery,
  PrecheckAnswer,
  PrecheckShipment,
} from '../core/model/api.js';

export interface ApiPort {
  /** Evaluates the shipments in order as one hypothetical batch; writes nothing. */
  precheck(shipments: readonly PrecheckShipment[]): Promise<PrecheckAnswer[]>;
  /** One page of person-days, by day then consignee key (code-unit order). */
  personDays(query: PersonDaysQuery): Promise<PersonDaysPage>;
  /** A bill's latest version, contribution and notifications; undefined when not on record. */
  bill(key: string): Promise<BillDetail | undefined>;
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
