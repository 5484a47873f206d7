/**
 * All of the bench's own SQL: the fresh database of each run, MariaDB's local_infile and version,
 * the floors' raw bulk loads (LOAD DATA on MariaDB, prepared INSERT on SQLite) and the raw scan
 * of a report's week that the CLI's report is compared with.
 */
import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Connection } from 'mysql2/promise';
import { US_PER_WEEK } from '../../src/engine/utils';
import type { BenchArgs } from './args';
import { log, now, round } from './common';

export type Db = 'sqlite' | 'mysql';

/** A file of SQLite with its WAL and shared-memory companions. */
const removeSqliteFiles = (path: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
};

/** One connection to the MariaDB server (to `database`, or none chosen), closed after `fn`. */
async function mysqlAdmin<T>(args: BenchArgs, fn: (conn: Connection) => Promise<T>, database = ''): Promise<T> {
  const { createConnection } = await import('mysql2/promise');
  const conn = await createConnection({ uri: `${args.mysqlUrl}/${database}`, flags: ['+LOCAL_FILES'] } as never);
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/**
 * Runs `fn` on a fresh, empty database (the SQLite file removed, or the MariaDB database dropped),
 * dropped afterwards. `mysqlDb` names the MariaDB database (default `--mysql-db`): a bench that may
 * run beside the main one (the store-view bench) takes a name of its own, so that neither drops the
 * other's.
 */
export async function withDatabase<T>(
  db: Db,
  name: string,
  args: BenchArgs,
  fn: (url: string) => Promise<T>,
  mysqlDb = args.mysqlDb,
): Promise<T> {
  const sqlitePath = resolve(args.dataDir, 'db', `${name}.db`);
  const drop = () =>
    db === 'sqlite'
      ? removeSqliteFiles(sqlitePath)
      : mysqlAdmin(args, (conn) => conn.query(`DROP DATABASE IF EXISTS ${mysqlDb}`));
  if (db === 'sqlite') await mkdir(join(args.dataDir, 'db'), { recursive: true });
  await drop();
  try {
    return await fn(db === 'sqlite' ? `sqlite:${sqlitePath}` : `${args.mysqlUrl}/${mysqlDb}`);
  } finally {
    await drop();
  }
}

/** MariaDB's global local_infile: when OFF, the service's import falls back to INSERT. */
export async function localInfileOn(args: BenchArgs): Promise<boolean> {
  return mysqlAdmin(args, async (conn) => {
    const [rows] = (await conn.query('SELECT @@GLOBAL.local_infile AS v')) as unknown as [Array<{ v: number | string }>];
    return Number(rows[0].v) === 1;
  });
}

/**
 * Waits (up to 60 s) until InnoDB has written back what the phase before left dirty in its buffer
 * pool, so that a measurement does not pay for the one before it. Returns the milliseconds waited.
 */
export async function waitForQuietInnodb(args: BenchArgs): Promise<number> {
  const started = now();
  return mysqlAdmin(args, async (conn) => {
    for (;;) {
      const [rows] = (await conn.query(
        `SELECT VARIABLE_NAME AS name, VARIABLE_VALUE AS value FROM information_schema.GLOBAL_STATUS
          WHERE VARIABLE_NAME IN ('INNODB_BUFFER_POOL_PAGES_DIRTY', 'INNODB_BUFFER_POOL_PAGES_TOTAL')`,
      )) as unknown as [Array<{ name: string; value: string }>];
      const v = Object.fromEntries(rows.map((r) => [r.name.toUpperCase(), Number(r.value)]));
      const dirty = v.INNODB_BUFFER_POOL_PAGES_DIRTY / v.INNODB_BUFFER_POOL_PAGES_TOTAL;
      if (dirty < 0.01 || now() - started > 60_000) {
        const waited = Math.round(now() - started);
        if (waited > 1000)
          log(`MariaDB: waited ${waited} ms for InnoDB to write back dirty pages (${(dirty * 100).toFixed(1)} % left)`);
        return waited;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  });
}

/**
 * Global status counters of the MariaDB server, from every client: `Questions` (statements
 * received), `Innodb_buffer_pool_reads` (pages read from disk: the buffer pool missed),
 * `Innodb_buffer_pool_pages_dirty` (pages not yet written; an import leaves thousands).
 */
export async function mariadbStatus<K extends string>(args: BenchArgs, names: readonly K[]): Promise<Record<K, number>> {
  return mysqlAdmin(args, async (conn) => {
    const [rows] = (await conn.query('SHOW GLOBAL STATUS WHERE Variable_name IN (?)', [names])) as unknown as [
      Array<{ Variable_name: string; Value: string }>,
    ];
    const found = new Map(rows.map((r) => [r.Variable_name.toLowerCase(), Number(r.Value)]));
    return Object.fromEntries(names.map((n) => [n, found.get(n.toLowerCase()) ?? Number.NaN])) as Record<K, number>;
  });
}

/** The MariaDB server's version and the InnoDB settings that bear on the figures. */
export interface MariadbSettings {
  mariadb: string;
  innodbBufferPoolMiB: number;
  innodbFlushLogAtTrxCommit: number;
  innodbLogFileSizeMiB: number;
}

export async function mariadbSettings(args: BenchArgs): Promise<MariadbSettings> {
  return mysqlAdmin(args, async (conn) => {
    const [rows] = (await conn.query(
      'SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool, @@innodb_flush_log_at_trx_commit AS flush, @@innodb_log_file_size AS log',
    )) as unknown as [Array<{ version: string; pool: number; flush: number; log: number }>];
    return {
      mariadb: rows[0].version,
      innodbBufferPoolMiB: Math.round(Number(rows[0].pool) / 2 ** 20),
      innodbFlushLogAtTrxCommit: Number(rows[0].flush),
      innodbLogFileSizeMiB: Math.round(Number(rows[0].log) / 2 ** 20),
    };
  });
}

/** The SQLite library's version, or null where better-sqlite3 does not load. */
export async function sqliteVersion(): Promise<string | null> {
  try {
    const Database = (await import('better-sqlite3')).default;
    const mem = new Database(':memory:');
    const version = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    mem.close();
    return version;
  } catch {
    return null;
  }
}

/** Polls held column by column: the floors build them once for every bulk load. */
export interface PollColumns {
  ids: string[];
  times: number[];
  actives: number[];
}

/** For each run, milliseconds to load its batches of rows into an empty poll table (the service's schema) with LOAD DATA LOCAL. */
export async function mariadbLoadDataMs(
  args: BenchArgs,
  polls: PollColumns,
  runs: Array<{ label: string; batches: () => number[][] }>,
): Promise<number[]> {
  const out: number[] = [];
  for (const run of runs) {
    // The TSV is built before the clock starts: this is the server's cost alone.
    const tsv = run
      .batches()
      .map((b) => Buffer.from(b.map((i) => `${polls.ids[i]}\t${polls.times[i]}\t${polls.actives[i]}\n`).join(''), 'latin1'));
    out.push(await mariadbLoadTsvMs(args, run.label, tsv));
  }
  return out;
}

/**
 * Milliseconds for MariaDB to load TSV batches (`store_id \t timestamp_us \t 0|1` lines) into an
 * empty InnoDB table with the poll table's schema, one LOAD DATA LOCAL INFILE … IGNORE per batch,
 * on one connection; the batches are built before the clock starts.
 */
export async function mariadbLoadTsvMs(args: BenchArgs, label: string, tsv: Buffer[]): Promise<number> {
  return mysqlAdmin(args, async (conn) => {
    const db = `${args.mysqlDb}_floor`;
    log(`floors: MariaDB LOAD DATA LOCAL INFILE, ${tsv.length} batches, ${label}…`);
    await conn.query(`DROP DATABASE IF EXISTS ${db}`);
    try {
      await conn.query(`CREATE DATABASE ${db}`);
      await conn.query(
        `CREATE TABLE ${db}.poll (
           store_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
           timestamp_us BIGINT NOT NULL,
           active BOOLEAN NOT NULL,
           PRIMARY KEY (store_id, timestamp_us)
         ) ENGINE=InnoDB`,
      );
      const t = now();
      for (const buffer of tsv) {
        await conn.query({
          sql: `LOAD DATA LOCAL INFILE 'polls.tsv' IGNORE INTO TABLE ${db}.poll CHARACTER SET ascii
                FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (store_id, timestamp_us, active)`,
          infileStreamFactory: () => Readable.from(chunksOf(buffer, 1 << 20)),
        } as never);
      }
      return now() - t;
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS ${db}`);
    }
  });
}

function* chunksOf(buffer: Buffer, size: number) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

/**
 * Milliseconds to insert the polls into an empty SQLite file (the service's schema) with a prepared
 * INSERT, `size` rows a transaction, WAL, with extra `pragmas`.
 */
export async function sqliteInsertMs(
  args: BenchArgs,
  polls: PollColumns,
  label: string,
  size: number,
  pragmas: string[],
): Promise<number> {
  const Database = (await import('better-sqlite3')).default;
  const file = resolve(args.dataDir, 'db', 'floor.db');
  await mkdir(join(args.dataDir, 'db'), { recursive: true });
  log(`floors: SQLite prepared INSERT, ${label}…`);
  removeSqliteFiles(file);
  const sqlite = new Database(file);
  try {
    for (const p of ['journal_mode = WAL', 'synchronous = NORMAL', ...pragmas]) sqlite.pragma(p);
    sqlite.exec(`CREATE TABLE poll (store_id VARCHAR(64) NOT NULL, timestamp_us BIGINT NOT NULL, active BOOLEAN NOT NULL,
                 PRIMARY KEY (store_id, timestamp_us)) WITHOUT ROWID`);
    const stmt = sqlite.prepare('INSERT OR IGNORE INTO poll (store_id, timestamp_us, active) VALUES (?, ?, ?)');
    const rows = polls.ids.length;
    const batch = sqlite.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) stmt.run(polls.ids[i], polls.times[i], polls.actives[i]);
    });
    const t = now();
    for (let i = 0; i < rows; i += size) batch(i, Math.min(rows, i + size));
    return now() - t;
  } finally {
    sqlite.close();
    removeSqliteFiles(file);
  }
}

export interface WeekScan {
  /** The latest poll (`MAX(timestamp_us)` of `poll`): the week ends there. */
  asOfUs: number;
  /** The service's default as_of (`MAX(last_poll_us)` of `store`, as a report and the CLI take it). */
  serviceAsOfUs: number | null;
  rows: number;
  /** The first scan, not counted: it brings the week's pages into the buffer pool. */
  warmUpMs: number;
  runsMs: number[];
}

/**
 * The floor of a report's reads on MariaDB: the week before the latest poll, every poll of every
 * store, in one plain query through mysql2 on one connection of its own, all rows read into JS.
 * One scan to warm up, then `runs` timed ones (the query and the reading of its rows).
 */
export async function mariadbWeekScan(args: BenchArgs, database: string, runs: number): Promise<WeekScan> {
  return mysqlAdmin(
    args,
    async (conn) => {
      const [[latest]] = (await conn.query('SELECT MAX(timestamp_us) AS us FROM poll')) as unknown as [
        Array<{ us: number | string | null }>,
      ];
      if (latest.us === null) throw new Error(`raw scan: the poll table of ${database} is empty`);
      const asOfUs = Number(latest.us);
      const [[service]] = (await conn.query('SELECT MAX(last_poll_us) AS us FROM store')) as unknown as [
        Array<{ us: number | string | null }>,
      ];
      const scan = async () => {
        const t = now();
        const [rows] = (await conn.query(
          'SELECT store_id, timestamp_us, active FROM poll WHERE timestamp_us > ? AND timestamp_us <= ?',
          [asOfUs - US_PER_WEEK, asOfUs],
        )) as unknown as [unknown[]];
        return { ms: now() - t, rows: rows.length };
      };
      const warmUp = await scan();
      const runsMs: number[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await scan();
        if (r.rows !== warmUp.rows) throw new Error(`raw scan: ${r.rows} rows, the warm-up read ${warmUp.rows}`);
        runsMs.push(round(r.ms, 1));
      }
      return {
        asOfUs,
        serviceAsOfUs: service.us === null ? null : Number(service.us),
        rows: warmUp.rows,
        warmUpMs: round(warmUp.ms, 1),
        runsMs,
      };
    },
    database,
  );
}
