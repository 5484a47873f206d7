import { Readable } from 'node:stream';
import { ChangeCounts, PollRow } from '../../common/types/feed-rows.types';
import { MysqlClient, MysqlSession } from '../../database/mysql-client';
import { isConnectionError, isNodeNotReady, withRetry } from '../../database/retrying';
import { isLocalInfileRefused } from '../../database/is-local-infile-refused';
import { warn } from '../../common/warn';
import { detachedCopy } from '../../common/utils/detached-copy.util';
import { PollBatch, storeIdsOf } from './poll-batch.types';
import { PollWriter } from './poll-writer';
import { rowsOfTsv } from './rows-of-tsv.util';
import { splitTsvByStore } from './split-tsv-by-store.util';
import { writePollTsv } from './write-poll-tsv.util';

/**
 * LOAD DATA statements run side by side, each on its own connection and its own stores of the
 * batch: one statement keeps one server thread busy, and the parser leaves the second core idle
 * most of the time.
 */
const LOAD_STREAMS = 2;

/** How often a long import records its stores' latest polls (see MysqlPollWriter). */
const LATEST_EVERY_MS = 10_000;

/** The rows as the driver sends them: views of at most 1 MiB, each one packet on the wire. */
function* packets(tsv: Uint8Array) {
  for (let at = 0; at < tsv.length; at += 1 << 20) {
    yield Buffer.from(tsv.buffer, tsv.byteOffset + at, Math.min(1 << 20, tsv.length - at));
  }
}

/** The rows of a TSV piece: its line ends. */
function rowsOfPiece(tsv: Uint8Array): number {
  let rows = 0;
  for (const byte of tsv) if (byte === 10) rows++;
  return rows;
}

/**
 * MySQL: each batch goes to the server as `LOAD DATA LOCAL INFILE … IGNORE INTO TABLE poll`, the
 * fastest way InnoDB takes rows, cut between stores into LOAD_STREAMS pieces loaded side by side.
 * New keys (the hourly append) cost that one statement; only when the server skipped existing
 * keys is the piece loaded again into a MEMORY staging table and joined to apply changed statuses.
 * The batch's new stores are registered on another connection while the next batch loads; the
 * latest poll of stores already registered (`store.last_poll_us`, the live as_of) is recorded once
 * the file is written, every LATEST_EVERY_MS on a long import, and after a failure for what was
 * loaded (recorded with every batch, it moved each store's row once per 200,000 polls of a
 * time-ordered file). A crash leaves it behind the polls loaded; the sweep that marks the run
 * Interrupted reads it again from `poll` (StoreRepository.refreshLatestPolls).
 *
 * Batches come deduplicated (later row wins), so the server never sees a key twice in one
 * statement; a key repeated in the file counts against the row before it, because a batch starts
 * loading only once the one before has.
 *
 * Every connection is taken for writes (`wsrep_retry_autocommit=0` on Galera), and each piece and
 * each registration is redone by `withRetry` after a deadlock, a certification conflict, a node
 * not ready or a lost connection, on a new connection (the next reachable node) when the old one
 * broke. Every statement is idempotent (IGNORE, the staging join, GREATEST), so a piece half
 * applied before the failure is simply applied again; a piece's counts are added once it has
 * loaded, so rows a failed try wrote count as unchanged.
 */
export class MysqlPollWriter implements PollWriter {
  /** Sorted batches this large touch each store's last page once per ~40 rows, not per ~10. */
  readonly batchSize = 200_000;
  readonly counts: ChangeCounts = { inserted: 0, unchanged: 0, replaced: 0 };
  /** Rows of pieces that failed: a load whose connection was lost may have committed before the loss. */
  unconfirmed = 0;
  batchesWritten = 0;
  /** The last batch's loads into `poll` (then its store ids), and its stores' registration. */
  private loads: Promise<string[]> = Promise.resolve([]);
  private registrations: Promise<void> = Promise.resolve();
  /**
   * Stores this writer has registered, each id to a copy of its own: an id split from a batch's
   * joined ids would keep that whole string alive (see detachedCopy).
   */
  private readonly known = new Map<string, string>();
  /** Registered stores whose latest poll loaded is later than the one recorded: store → latest. */
  private readonly latest = new Map<string, number>();
  private latestRecordedAt = Date.now();
  /** Sessions that hold a staging table (it is per connection). */
  private readonly staging = new Set<MysqlSession>();
  /** Sessions given back already (a broken one, replaced by reconnect). */
  private readonly givenBack = new Set<MysqlSession>();
  /** False once the server refused LOAD DATA LOCAL (MySQL 8 ships with local_infile=OFF). */
  private localInfile = true;
  private released = false;
  /** LOAD DATA's text of the batch being loaded (see loadBatch). */
  private text = new ArrayBuffer(0);

  private constructor(
    private readonly sql: MysqlClient,
    /** LOAD_STREAMS sessions for the loads, then one for the store registrations. */
    private readonly sessions: MysqlSession[],
  ) {}

  /** A writer on connections of its own (the staging table is per connection). */
  static async open(sql: MysqlClient): Promise<MysqlPollWriter> {
    const sessions: MysqlSession[] = [];
    try {
      for (let i = 0; i <= LOAD_STREAMS; i++) sessions.push(await sql.acquire({ forWrites: true }));
    } catch (error) {
      for (const s of sessions) s.release();
      throw error;
    }
    return new MysqlPollWriter(sql, sessions);
  }

  /**
   * Queues the batch; resolves once the batch before it has loaded and registered its stores, so
   * that at most this batch and the one loading wait here.
   */
  async write(batch: PollBatch): Promise<void> {
    this.counts.unchanged += batch.repeatedSame;
    this.counts.replaced += batch.repeatedChanged;
    const before = Promise.all([this.loads, this.registrations]);
    // The batch's ids are split once, when it loads (45,000 strings a batch at 10x); only they and
    // the times wait for the registration, not the batch's rows.
    const { latestUs } = batch;
    const loaded = this.loads.then(() => this.loadBatch(batch));
    this.loads = loaded;
    // A batch is written once its stores are registered (after the batches before it).
    this.registrations = Promise.all([loaded, this.registrations])
      .then(([ids]) => this.register(ids, latestUs))
      .then(() => void this.batchesWritten++);
    // surfaced by the next write or finish
    this.loads.catch(() => undefined);
    this.registrations.catch(() => undefined);
    await before;
  }

  async finish(): Promise<ChangeCounts> {
    try {
      await Promise.all([this.loads, this.registrations]);
      await this.recordLatest();
      return this.counts;
    } finally {
      await this.release();
    }
  }

  async abort(): Promise<void> {
    await Promise.allSettled([this.loads, this.registrations]);
    // What was loaded stays: its latest polls too, if the database still answers.
    await this.recordLatest().catch((error: Error) =>
      warn('MysqlPollWriter', `the latest polls of ${this.latest.size} stores are not recorded: ${error.message}`),
    );
    await this.release();
  }

  private async release() {
    for (const session of this.staging) {
      await session.run('DROP TEMPORARY TABLE IF EXISTS poll_staging').catch(() => undefined);
    }
    this.staging.clear();
    if (!this.released) for (const session of this.sessions) this.giveBack(session);
    this.released = true;
  }

  /** `bytes` of the buffer the batches' text is written into, grown when a batch needs more. */
  private textBuffer(bytes: number): Uint8Array {
    if (this.text.byteLength < bytes) this.text = new ArrayBuffer(Math.ceil(bytes * 1.1));
    return new Uint8Array(this.text, 0, bytes);
  }

  private giveBack(session: MysqlSession) {
    if (this.givenBack.has(session)) return;
    this.givenBack.add(session);
    session.release();
  }

  /** Work on the session in `slot`, again on a new connection after a lost one (see the class). */
  private retrying(slot: number, what: string, work: (session: MysqlSession) => Promise<void>): Promise<void> {
    return withRetry(() => work(this.sessions[slot]), {
      what,
      onRetry: (m) => warn('MysqlPollWriter', m),
      beforeRetry: async (error) => {
        if (isConnectionError(error) || isNodeNotReady(error)) await this.reconnect(slot);
      },
    });
  }

  private async reconnect(slot: number) {
    const old = this.sessions[slot];
    this.giveBack(old); // a broken connection has left the pool already
    this.staging.delete(old); // its temporary table went with it
    this.sessions[slot] = await this.sql.acquire({ forWrites: true });
  }

  /** Loads the batch; resolves with its store ids. */
  private async loadBatch(batch: PollBatch): Promise<string[]> {
    const { count } = batch;
    const ids = storeIdsOf(batch);
    if (count === 0) return ids;
    // Batches load one after the other: each is written as text into the same buffer.
    const pieces = splitTsvByStore(writePollTsv(batch, { ids, bytes: (bytes) => this.textBuffer(bytes) }), LOAD_STREAMS);
    // Every piece settled before the batch does, so that the counts told after a failure are final.
    const settled = await Promise.allSettled(
      pieces.map((piece, i) =>
        // (the words the logs are searched by: "poll batch of N rows: try …")
        this.retrying(i, `poll batch of ${count} rows`, (session) => this.loadPiece(session, piece)),
      ),
    );
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [{ error: s.reason as unknown, piece: pieces[i] }] : []));
    for (const { piece } of failed) this.unconfirmed += rowsOfPiece(piece);
    if (failed.length > 0) throw failed[0].error;
    return ids;
  }

  private async loadPiece(session: MysqlSession, tsv: Uint8Array): Promise<void> {
    const loaded = await this.load(session, 'poll', 'IGNORE', tsv);
    const existing = loaded.skipped;
    const counts = { inserted: loaded.records - existing, unchanged: 0, replaced: 0 };
    if (existing > 0) {
      await this.ensureStaging(session);
      await session.run('TRUNCATE TABLE poll_staging');
      await this.load(session, 'poll_staging', '', tsv);
      const changed = await session.run(
        // The staging rows first, then one primary-key seek each, whatever InnoDB's statistics say
        // (with stale ones, "poll is empty", the optimizer would scan poll for every piece).
        `UPDATE poll_staging s STRAIGHT_JOIN poll p FORCE INDEX (PRIMARY)
           ON p.store_id = s.store_id AND p.timestamp_us = s.timestamp_us
         SET p.active = s.active WHERE p.active <> s.active`,
      );
      counts.replaced = changed.affectedRows;
      counts.unchanged = existing - changed.affectedRows;
    }
    this.counts.inserted += counts.inserted;
    this.counts.unchanged += counts.unchanged;
    this.counts.replaced += counts.replaced;
  }

  /**
   * The batch's stores not registered yet inserted with their latest poll; the others' latest
   * kept for recordLatest, which runs here too once LATEST_EVERY_MS have passed.
   */
  private async register(ids: string[], latestUs: Float64Array): Promise<void> {
    const newIds: string[] = [];
    const newLatest: number[] = [];
    for (const [i, id] of ids.entries()) {
      const own = this.known.get(id);
      if (own === undefined) {
        newIds.push(id);
        newLatest.push(latestUs[i]);
      } else if (latestUs[i] > (this.latest.get(own) ?? -Infinity)) this.latest.set(own, latestUs[i]);
    }
    if (newIds.length > 0) await this.upsertLatest(newIds, newLatest);
    for (const id of newIds) {
      const own = detachedCopy(id);
      this.known.set(own, own);
    }
    if (Date.now() - this.latestRecordedAt >= LATEST_EVERY_MS) await this.recordLatest();
  }

  /** The latest polls kept by `register` recorded in `store`. */
  private async recordLatest(): Promise<void> {
    if (this.latest.size === 0) return;
    const ids = [...this.latest.keys()];
    const latest = [...this.latest.values()];
    await this.upsertLatest(ids, latest);
    // Only what was recorded leaves the map (a failure keeps it for the next try).
    for (const [i, id] of ids.entries()) if (this.latest.get(id) === latest[i]) this.latest.delete(id);
    this.latestRecordedAt = Date.now();
  }

  /** Each store known, with its latest poll (which only moves forward). */
  private upsertLatest(ids: string[], latestUs: ArrayLike<number>): Promise<void> {
    return this.retrying(LOAD_STREAMS, `last polls of ${ids.length} stores`, async (session) => {
      for (let i = 0; i < ids.length; i += 1000) {
        const params: Array<string | number> = [];
        for (let j = i; j < Math.min(i + 1000, ids.length); j++) params.push(ids[j], latestUs[j]);
        await session.run(
          `INSERT INTO store (store_id, last_poll_us) VALUES ${Array(params.length / 2)
            .fill('(?, ?)')
            .join(', ')}
           ON DUPLICATE KEY UPDATE last_poll_us = GREATEST(COALESCE(last_poll_us, VALUES(last_poll_us)), VALUES(last_poll_us))`,
          params,
        );
      }
    });
  }

  private async ensureStaging(session: MysqlSession) {
    if (this.staging.has(session)) return;
    await session.run('SET SESSION max_heap_table_size = 268435456');
    await session.run(
      `CREATE TEMPORARY TABLE IF NOT EXISTS poll_staging (
         store_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
         timestamp_us BIGINT NOT NULL,
         active BOOLEAN NOT NULL,
         PRIMARY KEY (store_id, timestamp_us)
       ) ENGINE=MEMORY`,
    );
    this.staging.add(session);
  }

  /** Loads rows into a table, skipping keys it holds: `records` rows sent, `skipped` already there. */
  private async load(session: MysqlSession, table: string, mode: 'IGNORE' | '', tsv: Uint8Array) {
    if (this.localInfile) {
      try {
        return await this.loadInfile(session, table, mode, tsv);
      } catch (error) {
        if (!isLocalInfileRefused(error)) throw error;
        this.localInfile = false;
      }
    }
    return this.insertRows(session, table, rowsOfTsv(Buffer.from(tsv).toString('latin1')));
  }

  /** The fallback when LOAD DATA LOCAL is refused: large multi-row INSERT IGNORE statements. */
  private async insertRows(session: MysqlSession, table: string, rows: PollRow[]) {
    let skipped = 0;
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const result = await session.run(
        `INSERT IGNORE INTO ${table} (store_id, timestamp_us, active) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
        chunk.flatMap((r) => [r.storeId, r.timestampUs, r.active ? 1 : 0]),
      );
      skipped += chunk.length - result.affectedRows;
    }
    return { records: rows.length, skipped };
  }

  private async loadInfile(session: MysqlSession, table: string, mode: 'IGNORE' | '', tsv: Uint8Array) {
    const result = await session.run(
      `LOAD DATA LOCAL INFILE 'polls.tsv' ${mode} INTO TABLE ${table} CHARACTER SET ascii
       FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (store_id, timestamp_us, active)`,
      undefined,
      () => Readable.from(packets(tsv)),
    );
    // e.g. "Records: 3  Deleted: 0  Skipped: 1  Warnings: 0"
    const info = String(result.info ?? '');
    const records = Number(/Records:\s*(\d+)/.exec(info)?.[1] ?? result.affectedRows);
    const skipped = Number(/Skipped:\s*(\d+)/.exec(info)?.[1] ?? 0);
    return { records, skipped };
  }
}
