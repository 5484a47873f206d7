import type { Database, Statement } from 'better-sqlite3';
import { ChangeCounts } from '../../common/types/feed-rows.types';
import { PollBatch } from './poll-batch.types';
import { PollWriter } from './poll-writer';

/**
 * SQLite: prepared statements, one synchronous transaction per batch. A batch is sorted by key
 * first, so that its inserts walk the primary-key B-tree in order instead of jumping between
 * stores' pages. A new key costs one statement (INSERT OR IGNORE); only an existing one is
 * read back to tell unchanged from replaced.
 */
export class SqlitePollWriter implements PollWriter {
  readonly batchSize = 50_000;
  readonly form = 'rows';
  readonly counts: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  private readonly insert: Statement<[string, number, number]>;
  private readonly update: Statement<[number, string, number, number]>;
  private readonly touchStore: Statement<[string, number]>;
  private readonly writeBatch: (batch: PollBatch) => void;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT OR IGNORE INTO poll (store_id, timestamp_us, active) VALUES (?, ?, ?)');
    this.update = db.prepare('UPDATE poll SET active = ? WHERE store_id = ? AND timestamp_us = ? AND active <> ?');
    this.touchStore = db.prepare(
      `INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)
       ON CONFLICT (store_id) DO UPDATE SET last_poll_us = MAX(COALESCE(last_poll_us, excluded.last_poll_us), excluded.last_poll_us)`,
    );
    this.writeBatch = db.transaction(({ rows, latest, repeatedSame, repeatedChanged }: PollBatch) => {
      this.counts.unchanged += repeatedSame;
      this.counts.replaced += repeatedChanged;
      for (const r of rows) {
        const active = r.active ? 1 : 0;
        if (this.insert.run(r.storeId, r.timestampUs, active).changes === 1) this.counts.inserted++;
        else if (this.update.run(active, r.storeId, r.timestampUs, active).changes === 1) this.counts.replaced++;
        else this.counts.unchanged++;
      }
      for (const [storeId, last] of latest) this.touchStore.run(storeId, last);
    });
  }

  async write(batch: PollBatch): Promise<void> {
    this.writeBatch(batch);
  }

  async finish(): Promise<ChangeCounts> {
    return this.counts;
  }

  async abort(): Promise<void> {}
}
