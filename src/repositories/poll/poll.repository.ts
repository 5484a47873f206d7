import { MysqlClient } from '../../database/mysql-client';
import { SqlClient, SqlSession } from '../../database/sql-client';
import { SqliteClient } from '../../database/sqlite-client';
import { type Poll, US_PER_HOUR, US_PER_WEEK } from '../../engine/utils';
import { SessionRepository } from '../session-repository';
import { MysqlPollWriter } from './mysql-poll.writer';
import { parsePackedPolls } from './parse-packed-polls.util';
import { PollWriter } from './poll-writer';
import { SqlitePollWriter } from './sqlite-poll.writer';

/**
 * The last poll before the week, found by index seeks (never a scan of the history), for `n`
 * stores. MariaDB/MySQL: one `ORDER BY … DESC LIMIT 1` per store, joined by UNION ALL: a range
 * of one store's keys read backwards, one row each, whatever InnoDB's statistics say. (A GROUP BY
 * … MAX() over the list was read as a range scan of the whole history of the batch's stores
 * wherever the optimizer did not pick a loose index scan, and how it picked followed the
 * statistics: 556,000 rows for 300 stores with 7 weeks of history, the report 2.5x slower with 8
 * weeks than with 1.) SQLite seeks per store with a correlated ORDER BY … DESC LIMIT 1.
 */
const LAST_BEFORE = {
  mysql: (n: number) => ({
    sql: Array(n)
      .fill(
        `(SELECT store_id, timestamp_us, active FROM poll FORCE INDEX (PRIMARY)
           WHERE store_id = ? AND timestamp_us < ? ORDER BY timestamp_us DESC LIMIT 1)`,
      )
      .join(' UNION ALL '),
    params: (storeIds: readonly string[], before: number) => storeIds.flatMap((id) => [id, before]),
  }),
  sqlite: (n: number) => ({
    sql: `SELECT p.store_id, p.timestamp_us, p.active FROM store s
            JOIN poll p ON p.store_id = s.store_id AND p.timestamp_us = (
              SELECT q.timestamp_us FROM poll q WHERE q.store_id = s.store_id AND q.timestamp_us < ?
              ORDER BY q.timestamp_us DESC LIMIT 1)
           WHERE s.store_id IN (${Array(n).fill('?').join(',')})`,
    params: (storeIds: readonly string[], before: number) => [before, ...storeIds],
  }),
};

/**
 * Stores per report read: enough to amortise round trips and per-query costs, small enough that
 * two batches are a few MB. SQLite answers synchronously, so its batches are small to keep the
 * reading thread's event loop free between them.
 */
const STORES_PER_READ = { mysql: 300, sqlite: 25 };

/**
 * The span before a window read with it: a store polled about hourly has its last poll before
 * the window in it, so only the others need a seek of their own (LAST_BEFORE, whose UNION of one
 * SELECT per store costs the server more to plan than to run).
 */
const SPAN_BEFORE_US = 3 * US_PER_HOUR;

/** `poll`: every observation of the poller, keyed by (store_id, timestamp_us). */
export class PollRepository extends SessionRepository {
  readonly storesPerRead: number;

  constructor(db: SqlSession) {
    super(db);
    this.storesPerRead = STORES_PER_READ[db.dialect];
  }

  /** A writer for an import: LOAD DATA batches on MySQL, prepared statements on SQLite. Over the client, not a session. */
  async openWriter(): Promise<PollWriter> {
    if (!(this.db instanceof SqlClient)) throw new Error('a poll writer opens its own connections: build it over the client');
    const sql = await this.db.resolve();
    if (sql instanceof MysqlClient) return MysqlPollWriter.open(sql);
    return new SqlitePollWriter(sql as SqliteClient);
  }

  /**
   * What the engine needs of each store for the week before `asOfUs`: its polls in the week
   * (up to and including as_of) and its last poll before the week, in time order. Stores
   * without a poll are absent.
   */
  weekOf(storeIds: readonly string[], asOfUs: number): Promise<Map<string, Poll[]>> {
    return this.windowOf(storeIds, asOfUs - US_PER_WEEK, asOfUs);
  }

  /**
   * Each store's polls from `fromUs` up to and including `asOfUs`, and its last poll before
   * `fromUs`, in time order (the week's read, for any window). Stores without a poll are absent.
   */
  async windowOf(storeIds: readonly string[], fromUs: number, asOfUs: number): Promise<Map<string, Poll[]>> {
    const ids = storeIds.map(() => '?').join(',');
    // The window's polls and those of the span before it, one row per store: each poll packed as
    // timestamp_us * 2 + active in one comma-separated string. A million polls then cross the
    // driver as ~one string per store instead of a row (three values) each, which halves the
    // report's read time. Exact while timestamp_us * 2 < 2^53, i.e. until the year 2112 (later,
    // active polls read as inactive), and never negative: a poll's timestamp (parseTimestampUs) is
    // in the years 1970 to 2099.
    const rows = await this.db.rows<[string, number, string | Buffer]>(
      `SELECT store_id, COUNT(*), GROUP_CONCAT(timestamp_us * 2 + active) FROM poll ${this.db.dialect === 'mysql' ? 'FORCE INDEX (PRIMARY)' : ''}
        WHERE store_id IN (${ids}) AND timestamp_us >= ? AND timestamp_us <= ?
        GROUP BY store_id`,
      [...storeIds, fromUs - SPAN_BEFORE_US, asOfUs],
    );
    const polls = new Map<string, Poll[]>();
    const lastBefore = new Map<string, Poll>();
    for (const [storeId, count, packed] of rows) {
      const list: Poll[] = [];
      const items = parsePackedPolls(packed);
      // A cut string (the server's group_concat_max_len) would silently drop polls: refuse instead.
      if (items.length !== Number(count)) {
        throw new Error(`the polls of store ${storeId} were truncated by the database (group_concat_max_len)`);
      }
      for (const n of items) {
        const active = n % 2;
        const poll = { tsUs: (n - active) / 2, active: active === 1 };
        if (poll.tsUs >= fromUs) list.push(poll);
        else if (poll.tsUs > (lastBefore.get(storeId)?.tsUs ?? -Infinity)) lastBefore.set(storeId, poll);
      }
      if (list.length > 0) polls.set(storeId, list);
    }
    // The stores with no poll in the span before the window: their last poll before it, by seeks.
    const unseen = storeIds.filter((id) => !lastBefore.has(id));
    if (unseen.length > 0) {
      const seek = LAST_BEFORE[this.db.dialect](unseen.length);
      for (const [storeId, ts, active] of await this.db.rows<[string, number, number]>(seek.sql, seek.params(unseen, fromUs))) {
        lastBefore.set(storeId, { tsUs: Number(ts), active: Number(active) === 1 });
      }
    }
    for (const [storeId, poll] of lastBefore) polls.set(storeId, [poll, ...(polls.get(storeId) ?? [])]);
    // No ORDER BY (it would cost the server a sort): each store's list is checked, and sorted
    // here only if its polls came out of order.
    for (const list of polls.values()) {
      for (let i = 1; i < list.length; i++) {
        if (list[i - 1].tsUs > list[i].tsUs) {
          list.sort((a, b) => a.tsUs - b.tsUs);
          break;
        }
      }
    }
    return polls;
  }
}
