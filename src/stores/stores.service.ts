import { ChangeCounts, HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { inChunks } from '../common/utils/in-chunks.util';
import { withRetry } from '../database/retrying';
import { SqlClient, SqlSession } from '../database/sql-client';
import { waitAtMost, WaitExpiredError } from '../common/utils/wait-at-most.util';
import { warn } from '../common/warn';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { countScheduleChanges } from './utils/count-schedule-changes.util';
import { countZoneChanges } from './utils/count-zone-changes.util';
import { StoreRows } from './store-rows';

const NOTHING: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };

/**
 * Stores handled per step of an import's transaction: each step reads, counts and writes the
 * rows of this many stores, so that no step holds the thread for long (the client lets the event
 * loop run between statements) however large the file.
 */
const STORES_PER_STEP = 500;

const add = (total: ChangeCounts, counts: ChangeCounts) => {
  total.inserted += counts.inserted;
  total.unchanged += counts.unchanged;
  total.replaced += counts.replaced;
};

/**
 * An import's turn to commit (HTTP, CLI and inbox imports commit zones, then hours, then polls,
 * each once the upload is whole and the feed before it written).
 */
export interface WriteTurn {
  /** Resolves at the turn; rejects when the import is stopped. */
  ready: Promise<void>;
  /**
   * MySQL: how long a transaction written ahead of its turn may wait for it, open, holding its
   * rows' locks; past that it is rolled back and written again at the turn.
   */
  holdMs: number;
}

/** Store metadata (business hours and zones): how imports change it. */
export class StoresService {
  constructor(
    private readonly sql: SqlClient,
    private readonly stores: StoreRepository,
    private readonly hours: BusinessHoursRepository,
    private readonly zones: StoreTimezoneRepository,
  ) {}

  /**
   * Replaces the weekly schedule of every store named in `rows` (SPEC §1), in one transaction;
   * other stores keep theirs. The transaction goes STORES_PER_STEP stores at a time (the counting
   * rule is per store); only a step's rows are objects, taken out of the compact StoreRows. See
   * writeInTurn for `turn`, the retries, and when the stores are registered.
   */
  async replaceBusinessHours(rows: StoreRows<HoursRowInput>, turn?: WriteTurn): Promise<ChangeCounts> {
    if (rows.length === 0) return { ...NOTHING };
    return this.writeInTurn(`business hours of ${rows.storeIds.length} stores`, rows.storeIds, turn, async (tx) => {
      const hours = this.hours.on(tx);
      const total = { ...NOTHING };
      await inChunks(rows.storeIds, STORES_PER_STEP, async (ids) => {
        const { counts, fresh } = countScheduleChanges(await hours.schedulesOf(ids), rows.rowsOf(ids));
        add(total, counts);
        await hours.deleteForStores(ids);
        await hours.insert(fresh);
      });
      return total;
    });
  }

  /** Sets each named store's zone, in one transaction (in steps, as hours are); the later row wins. */
  async upsertTimezones(rows: StoreRows<TimezoneRow>, turn?: WriteTurn): Promise<ChangeCounts> {
    if (rows.length === 0) return { ...NOTHING };
    return this.writeInTurn(`time zones of ${rows.storeIds.length} stores`, rows.storeIds, turn, async (tx) => {
      const zones = this.zones.on(tx);
      const total = { ...NOTHING };
      await inChunks(rows.storeIds, STORES_PER_STEP, async (ids) => {
        const { counts, zones: changed } = countZoneChanges(await zones.zonesOf(ids), rows.rowsOf(ids));
        add(total, counts);
        await zones.upsert(changed);
      });
      return total;
    });
  }

  /**
   * Runs `write` and registers `storeIds` in one transaction, committed at `turn` (at once without
   * one). On MySQL the writes are done ahead, while the turn is awaited (an upload's hours while its
   * polls still arrive), and the transaction waits for it open, at most `turn.holdMs`; only then
   * are the stores registered, the rows every feed's import shares, so that two feeds written ahead
   * never wait for each other. On SQLite, one writer at a time (`concurrentWriters`), nothing
   * starts before the turn.
   * The whole transaction runs again after a deadlock, a Galera certification conflict (two
   * imports at once) or a lost connection: it reads the old rows again, so its counts are those of
   * the try that committed.
   */
  private async writeInTurn(
    what: string,
    storeIds: readonly string[],
    turn: WriteTurn | undefined,
    write: (tx: SqlSession) => Promise<ChangeCounts>,
  ): Promise<ChangeCounts> {
    /** `ahead`: the turn the written transaction waits for (null: it is the turn already). */
    const transaction = (ahead: WriteTurn | null) =>
      withRetry(
        () =>
          this.sql.transaction(async (tx) => {
            const counts = await write(tx);
            if (ahead !== null) await waitAtMost(ahead.ready, ahead.holdMs);
            await this.stores.on(tx).register(storeIds);
            return counts;
          }),
        { what, onRetry: (m) => warn(StoresService.name, m) },
      );
    if (turn !== undefined && this.sql.concurrentWriters) {
      try {
        return await transaction(turn);
      } catch (error) {
        if (!(error instanceof WaitExpiredError)) throw error;
      }
    }
    await turn?.ready;
    return transaction(null);
  }
}
