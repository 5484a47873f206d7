import type { Database, Statement } from 'better-sqlite3';
import { PollRow } from '../utils/feed-specs.util';
import { latestPollPerStore, PollCounts, PollWriter } from './poll-writer';

/**
 * SQLite: prepared statements, one synchronous transaction per batch. Batches are small so that
 * the event loop (and the HTTP API) is never held for long.
 */
export class SqlitePollWriter implements PollWriter {
  readonly batchSize = 20_000;
  private readonly counts: PollCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  private readonly find: Statement<[string, number], { active: number }>;
  private readonly insert: Statement<[string, number, number]>;
  private readonly update: Statement<[number, string, number]>;
  private readonly touchStore: Statement<[string, number]>;
  private readonly writeBatch: (rows: PollRow[]) => void;

  constructor(db: Database) {
    this.find = db.prepare('SELECT active FROM poll WHERE store_id = ? AND timestamp_us = ?');
    this.insert = db.prepare('INSERT INTO poll (store_id, timestamp_us, active) VALUES (?, ?, ?)');
    this.update = db.prepare('UPDATE poll SET active = ? WHERE store_id = ? AND timestamp_us = ?');
    this.touchStore = db.prepare(
      `INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)
       ON CONFLICT (store_id) DO UPDATE SET last_poll_us = MAX(COALESCE(last_poll_us, excluded.last_poll_us), excluded.last_poll_us)`,
    );
    this.writeBatch = db.transaction((rows: PollRow[]) => {
      for (const r of rows) {
        const active = r.active ? 1 : 0;
        const existing = this.find.get(r.storeId, r.timestampUs);
        if (existing === undefined) {
          this.insert.run(r.storeId, r.timestampUs, active);
          this.counts.inserted++;
        } else if (existing.active === active) {
          this.counts.unchanged++;
        } else {
          this.update.run(active, r.storeId, r.timestampUs);
          this.counts.replaced++;
        }
      }
      for (const [storeId, last] of latestPollPerStore(rows)) this.touchStore.run(storeId, last);
    });
  }

  async write(rows: PollRow[]): Promise<void> {
    this.writeBatch(rows);
  }

  async finish(): Promise<PollCounts> {
    return this.counts;
  }

  async abort(): Promise<void> {}
}
