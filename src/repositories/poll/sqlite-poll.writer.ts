import type { Statement } from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeCounts } from '../../common/types/feed-rows.types';
import { SqliteClient, WRITER_COURTESY_MS } from '../../database/sqlite-client';
import { PollBatch, storeIdsOf } from './poll-batch.types';
import { PollWriter } from './poll-writer';

/** Rows per INSERT statement: one statement's fixed cost (bind, step, reset) shared by 100 rows. */
const ROWS_PER_INSERT = 100;

/**
 * SQLite: one synchronous transaction per batch, its rows in key order (so that inserts walk the
 * primary-key B-tree in order instead of jumping between stores' pages), 100 to an
 * `INSERT OR IGNORE` statement. When a statement inserts all of its rows (the hourly append) that
 * is all; otherwise its rows are checked again one by one, to tell unchanged keys from replaced.
 * A transaction holds SQLite's write lock for its duration (about half a second for 200,000 rows
 * here), so the writer belongs on a thread of its own: see the polls import worker. Between two
 * transactions it leaves the lock free for a moment (WRITER_COURTESY_MS), so that other writers
 * (a report's status, another import) get their turn instead of waiting for the whole import.
 */
export class SqlitePollWriter implements PollWriter {
  /** Larger transactions rewrite each touched page once per 40 rows, not per 10 (WAL, checkpoints). */
  readonly batchSize = 200_000;
  readonly counts: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  /** A SQLite commit is synchronous: it happened or it threw. */
  readonly unconfirmed = 0;
  batchesWritten = 0;
  private readonly insertMany: Statement<unknown[]>;
  private readonly insert: Statement<[string, number, number]>;
  private readonly update: Statement<[number, string, number, number]>;
  private readonly touchStore: Statement<[string, number]>;
  /** When the last transaction ended. */
  private committedAt = -Infinity;

  constructor(private readonly client: SqliteClient) {
    const db = client.handle;
    this.insertMany = db.prepare(
      `INSERT OR IGNORE INTO poll (store_id, timestamp_us, active) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?)').join(', ')}`,
    );
    this.insert = db.prepare('INSERT OR IGNORE INTO poll (store_id, timestamp_us, active) VALUES (?, ?, ?)');
    this.update = db.prepare('UPDATE poll SET active = ? WHERE store_id = ? AND timestamp_us = ? AND active <> ?');
    this.touchStore = db.prepare(
      `INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)
       ON CONFLICT (store_id) DO UPDATE SET last_poll_us = MAX(COALESCE(last_poll_us, excluded.last_poll_us), excluded.last_poll_us)`,
    );
  }

  async write(batch: PollBatch): Promise<void> {
    // When the batch came at once (the writer, not the parser, is the slower), the lock was never
    // free: free it for a moment first.
    const waited = performance.now() - this.committedAt;
    if (waited < WRITER_COURTESY_MS) await sleep(WRITER_COURTESY_MS - waited);
    try {
      await this.client.exclusive(() => this.writeRows(batch));
      this.batchesWritten++;
    } finally {
      this.committedAt = performance.now();
    }
  }

  async finish(): Promise<ChangeCounts> {
    return this.counts;
  }

  async abort(): Promise<void> {}

  private writeRows(batch: PollBatch) {
    const { storeRows, timestampUs, active, latestUs, repeatedSame, repeatedChanged } = batch;
    const stores = storeIdsOf(batch);
    const counts = this.counts;
    counts.unchanged += repeatedSame;
    counts.replaced += repeatedChanged;
    // The store of each row, for the statements below.
    const storeOf: string[] = new Array<string>(timestampUs.length);
    for (let s = 0, k = 0; s < stores.length; s++) for (let j = 0; j < storeRows[s]; j++) storeOf[k++] = stores[s];

    const params: unknown[] = new Array<unknown>(3 * ROWS_PER_INSERT);
    let k = 0;
    for (; k + ROWS_PER_INSERT <= timestampUs.length; k += ROWS_PER_INSERT) {
      for (let j = 0; j < ROWS_PER_INSERT; j++) {
        params[3 * j] = storeOf[k + j];
        params[3 * j + 1] = timestampUs[k + j];
        params[3 * j + 2] = active[k + j];
      }
      const inserted = this.insertMany.run(params).changes;
      counts.inserted += inserted;
      if (inserted < ROWS_PER_INSERT) {
        // Some keys were there: a new row has its status already, so only a replaced one changes.
        let replaced = 0;
        for (let j = k; j < k + ROWS_PER_INSERT; j++) {
          replaced += this.update.run(active[j], storeOf[j], timestampUs[j], active[j]).changes;
        }
        counts.replaced += replaced;
        counts.unchanged += ROWS_PER_INSERT - inserted - replaced;
      }
    }
    for (; k < timestampUs.length; k++) {
      if (this.insert.run(storeOf[k], timestampUs[k], active[k]).changes === 1) counts.inserted++;
      else if (this.update.run(active[k], storeOf[k], timestampUs[k], active[k]).changes === 1) counts.replaced++;
      else counts.unchanged++;
    }
    for (let s = 0; s < stores.length; s++) this.touchStore.run(stores[s], latestUs[s]);
  }
}
