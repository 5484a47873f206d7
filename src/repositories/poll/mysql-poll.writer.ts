import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ChangeCounts, PollRow } from '../../common/types/feed-rows.types';
import { MysqlClient, MysqlSession } from '../../database/mysql-client';
import { isConnectionError, isNodeNotReady, withRetry } from '../../database/retrying';
import { SqlParams } from '../../database/sql-client';
import { PollBatch } from './poll-batch.types';
import { PollWriter } from './poll-writer';
import { rowsOfTsv } from './rows-of-tsv.util';

const logger = new Logger('MysqlPollWriter');

/**
 * MySQL: each batch goes to the server as one `LOAD DATA LOCAL INFILE … IGNORE INTO TABLE poll`,
 * the fastest way InnoDB takes rows. New keys (the hourly append) cost that one statement;
 * only when the server skipped existing keys is the batch loaded again into a MEMORY staging
 * table and joined to apply changed statuses. A batch is written while the next one is parsed.
 *
 * Batches come deduplicated (later row wins), so the server never sees a key twice in one
 * statement; a key repeated in the file counts against the row before it.
 */
export class MysqlPollWriter implements PollWriter {
  readonly batchSize = 50_000;
  readonly form = 'tsv';
  readonly counts: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  private previous: Promise<void> = Promise.resolve();
  private stagingReady = false;
  /** False once the server refused LOAD DATA LOCAL (MySQL 8 ships with local_infile=OFF). */
  private localInfile = true;

  private released = false;

  private constructor(
    private readonly sql: MysqlClient,
    private session: MysqlSession,
  ) {}

  /** A writer on a connection of its own (the staging table is per connection). */
  static async open(sql: MysqlClient): Promise<MysqlPollWriter> {
    return new MysqlPollWriter(sql, await sql.acquire({ forWrites: true }));
  }

  async write(batch: PollBatch): Promise<void> {
    this.counts.unchanged += batch.repeatedSame;
    this.counts.replaced += batch.repeatedChanged;
    const before = this.previous;
    this.previous = before.then(() => this.applyRetrying(batch));
    this.previous.catch(() => undefined); // surfaced by the next write or finish
    await before;
  }

  async finish(): Promise<ChangeCounts> {
    try {
      await this.previous;
      return this.counts;
    } finally {
      await this.release();
    }
  }

  async abort(): Promise<void> {
    await this.previous.catch(() => undefined);
    await this.release();
  }

  private async release() {
    if (this.stagingReady) await this.run('DROP TEMPORARY TABLE IF EXISTS poll_staging').catch(() => undefined);
    this.stagingReady = false;
    if (!this.released) this.session.release();
    this.released = true;
  }

  /**
   * A batch again after a deadlock or a certification conflict (concurrent imports of the same
   * keys, on one server or through several Galera nodes) or a lost connection, on a new
   * connection (the next reachable node) when the old one broke. Every statement of a batch is
   * idempotent, so a batch half applied before the failure is simply applied again; its counts
   * start over (rows the failed try wrote then count as unchanged).
   */
  private applyRetrying(batch: PollBatch): Promise<void> {
    const counts = { ...this.counts };
    return withRetry(() => this.apply(batch), {
      what: `poll batch of ${batch.count} rows`,
      onRetry: (m) => logger.warn(m),
      beforeRetry: async (error) => {
        Object.assign(this.counts, counts);
        if (isConnectionError(error) || isNodeNotReady(error)) await this.reconnect();
      },
    });
  }

  private async reconnect() {
    this.session.release(); // a broken connection has left the pool already
    this.stagingReady = false; // it was the old connection's
    this.session = await this.sql.acquire({ forWrites: true });
  }

  private async apply({ count, tsv, latest }: PollBatch): Promise<void> {
    if (count === 0) return;
    const loaded = await this.load('poll', 'IGNORE', tsv);
    const existing = loaded.skipped;
    this.counts.inserted += loaded.records - existing;
    if (existing > 0) {
      await this.ensureStaging();
      await this.run('TRUNCATE TABLE poll_staging');
      await this.load('poll_staging', '', tsv);
      const changed = await this.run(
        `UPDATE poll p JOIN poll_staging s ON p.store_id = s.store_id AND p.timestamp_us = s.timestamp_us
         SET p.active = s.active WHERE p.active <> s.active`,
      );
      this.counts.replaced += changed.affectedRows;
      this.counts.unchanged += existing - changed.affectedRows;
    }
    const stores = latest;
    for (let i = 0; i < stores.length; i += 1000) {
      const chunk = stores.slice(i, i + 1000);
      await this.run(
        `INSERT INTO store (store_id, last_poll_us) VALUES ${chunk.map(() => '(?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE last_poll_us = GREATEST(COALESCE(last_poll_us, VALUES(last_poll_us)), VALUES(last_poll_us))`,
        chunk.flat(),
      );
    }
  }

  private async ensureStaging() {
    if (this.stagingReady) return;
    await this.run('SET SESSION max_heap_table_size = 268435456');
    await this.run(
      `CREATE TEMPORARY TABLE IF NOT EXISTS poll_staging (
         store_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
         timestamp_us BIGINT NOT NULL,
         active BOOLEAN NOT NULL,
         PRIMARY KEY (store_id, timestamp_us)
       ) ENGINE=MEMORY`,
    );
    this.stagingReady = true;
  }

  /** Loads rows into a table, skipping keys it holds: `records` rows sent, `skipped` already there. */
  private async load(table: string, mode: 'IGNORE' | '', tsv: string) {
    if (this.localInfile) {
      try {
        return await this.loadInfile(table, mode, tsv);
      } catch (error) {
        const code = (error as { errno?: number }).errno;
        // 1148 ER_NOT_ALLOWED_COMMAND, 3948/4166 local infile disabled (MySQL 8 / MariaDB)
        if (code !== 1148 && code !== 3948 && code !== 4166) throw error;
        this.localInfile = false;
      }
    }
    return this.insertRows(table, rowsOfTsv(tsv));
  }

  /** The fallback when LOAD DATA LOCAL is refused: large multi-row INSERT IGNORE statements. */
  private async insertRows(table: string, rows: PollRow[]) {
    let skipped = 0;
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const result = await this.run(
        `INSERT IGNORE INTO ${table} (store_id, timestamp_us, active) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [r.storeId, r.timestampUs, r.active ? 1 : 0]),
      );
      skipped += chunk.length - result.affectedRows;
    }
    return { records: rows.length, skipped };
  }

  private async loadInfile(table: string, mode: 'IGNORE' | '', tsv: string) {
    const result = await this.run(
      `LOAD DATA LOCAL INFILE 'polls.tsv' ${mode} INTO TABLE ${table} CHARACTER SET ascii
       FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (store_id, timestamp_us, active)`,
      undefined,
      () => Readable.from([Buffer.from(tsv, 'latin1')]),
    );
    // e.g. "Records: 3  Deleted: 0  Skipped: 1  Warnings: 0"
    const info = String(result.info ?? '');
    const records = Number(/Records:\s*(\d+)/.exec(info)?.[1] ?? result.affectedRows);
    const skipped = Number(/Skipped:\s*(\d+)/.exec(info)?.[1] ?? 0);
    return { records, skipped };
  }

  private run(sql: string, values?: SqlParams, infile?: () => Readable) {
    return this.session.run(sql, values, infile);
  }
}
