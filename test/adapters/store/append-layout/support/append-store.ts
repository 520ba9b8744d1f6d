/**
 * A minimal store over the append layout for its tests: one SQLite file, one transaction per batch,
 * the decision core over the layout's state (no SqliteDecisionStore around it, so a test reaches
 * the state's counters and can fail a batch after its rows were written).
 */
import Database from 'better-sqlite3';
import {
  AppendLayoutState,
  type AppendStateOptions,
} from '../../../../../src/adapters/store/sqlite/append-layout/append-state.js';
import { openAppendSchema } from '../../../../../src/adapters/store/sqlite/append-layout/migrate.js';
import { applyEvents } from '../../../../../src/core/aggregate/aggregator.js';
import type { BillRecord } from '../../../../../src/core/aggregate/state.js';
import type { Decision } from '../../../../../src/core/model/decision.js';
import type { ShipmentEvent } from '../../../../../src/core/model/shipment-event.js';
import { aggregationConfig } from '../../../../../src/core/rules/defaults.js';
import type { PersonDayReport } from '../../../../../src/ports/decision-store.js';

const config = aggregationConfig();

export class AppendStore {
  readonly db: Database.Database;
  state: AppendLayoutState;

  constructor(
    readonly path: string,
    options: AppendStateOptions = {},
  ) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    openAppendSchema(this.db, path);
    this.state = new AppendLayoutState(this.db, options);
  }

  apply(events: ShipmentEvent[], failAfterCommit = false): Decision[] {
    return this.db
      .transaction(() => {
        this.state.beginBatch();
        const changes = applyEvents(events, this.state, config);
        this.state.commit(changes);
        if (failAfterCommit) throw new Error('disk full (simulated after the rows were written)');
        return changes.decisions;
      })
      .immediate();
  }

  /** Every person-day with its members, read through the state (held or evicted alike). */
  personDays(): PersonDayReport[] {
    const rows = this.db
      .prepare<[], { day: string; ck: string }>('SELECT day, ck FROM person_days ORDER BY day, ck')
      .all();
    return rows.map(({ day, ck }) => {
      const pd = this.state.personDay(ck, day);
      if (pd === undefined) throw new Error(`person-day ${day} ${ck} not found`);
      return { ...pd, billKeys: this.state.billsOf(ck, day) };
    });
  }

  /** Every stored bill, by key, read through the state (held or evicted alike). */
  bills(): Array<[string, BillRecord | undefined]> {
    const keys = this.db.prepare<[], { key: string }>('SELECT key FROM bills ORDER BY key').all();
    return keys.map(({ key }) => [key, this.state.bill(key)]);
  }

  /** The first day still held (meta 'cold_before', a dayOrdinal); 0 while nothing was evicted. */
  coldBefore(): number {
    return (
      (this.db.prepare("SELECT v FROM meta WHERE k = 'cold_before'").get() as { v: number } | undefined)?.v ??
      0
    );
  }

  close(): void {
    this.db.close();
  }
}
