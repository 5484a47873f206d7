/** The floors: what each part of the import costs alone, outside the service, on the main set's polls. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'fast-csv';
import { POLLS_FEED } from '../../src/ingestion/utils/feed-specs.util';
import type { BenchArgs } from './args';
import { log, now, round } from './common';
import { DataSet } from './data-sets';
import { readPollsFile } from '../../src/ingestion/csv-feed.reader';
import { preparePollBatch } from '../../src/repositories/poll/prepare-poll-batch.util';
import { writePollTsv } from '../../src/repositories/poll/write-poll-tsv.util';
import { Db, mariadbLoadDataMs, mariadbLoadTsvMs, PollColumns, sqliteInsertMs, waitForQuietInnodb } from './databases';

/** The MySQL writer's batch size (MysqlPollWriter.batchSize), for the import reader's floor. */
const IMPORT_BATCH = 200_000;

export interface Rate {
  ms: number;
  rowsPerSec: number;
}

export interface Floors {
  rows: number;
  readFile: { ms: number; mbPerSec: number };
  /** fast-csv alone, with the import's options: the parser the import uses. */
  fastCsvParse: Rate;
  /** The import's row validation (POLLS_FEED.parse) alone, on rows already split. */
  validate: Rate;
  /** fast-csv + validation: the import's CPU floor before any database work. */
  fastCsvParseAndValidate: Rate;
  /** Lines split with String.split (valid for this file: no quotes) + validation. */
  plainSplitAndValidate: Rate;
  /** The import's own reader and batch preparation in one thread: readPollsFile + preparePollBatch (TSV). */
  importReader: Rate;
  mysql?: {
    /** LOAD DATA LOCAL of 100,000-row batches in file order: what the MySQL writer sends. */
    loadDataFileOrder: Rate;
    /** The same batches, each sorted by primary key first. */
    loadDataBatchSorted: Rate;
  };
  sqlite?: {
    /** Prepared INSERT, 20,000-row transactions, default cache, file order: the SQLite writer's shape without its SELECT. */
    insert20kTransactions: Rate;
    /** Prepared INSERT, 250,000-row transactions, 128 MiB cache, WAL checkpoint every 32,768 pages. */
    insert250kTransactionsBigCache: Rate;
  };
}

const rate = (rows: number, ms: number): Rate => ({ ms: Math.round(ms), rowsPerSec: Math.round(rows / (ms / 1000)) });

/**
 * Reading the file, parsing it, validating rows, and each database's own bulk load of the same
 * rows into an empty table with the poll table's schema.
 */
export async function measureFloors(set: DataSet, dbs: Db[], args: BenchArgs): Promise<Floors> {
  const path = set.files.polls;
  log(`floors: reading and parsing ${path}…`);
  let started = now();
  await new Promise<void>((r, reject) =>
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', () => undefined)
      .on('end', r)
      .on('error', reject),
  );
  const readMs = now() - started;

  started = now();
  const csvRows = (await parseFile(path, () => undefined)) - 1;
  const fastCsvMs = now() - started;

  // Plain split + validation; the rows are kept (columnar) for the database floors.
  const polls: PollColumns = { ids: [], times: [], actives: [] };
  const { ids, times, actives } = polls;
  let validateMs = 0;
  started = now();
  const text = await readFile(path, 'latin1');
  let at = text.indexOf('\n') + 1;
  while (at < text.length) {
    let next = text.indexOf('\n', at);
    if (next < 0) next = text.length;
    const values = text.slice(at, next).split(',');
    at = next + 1;
    const t = now();
    const p = POLLS_FEED.parse(values.map((v) => v.trim()));
    validateMs += now() - t;
    if (typeof p === 'string') throw new Error(`floor: a row is refused: ${p}`);
    ids.push(p.storeId);
    times.push(p.timestampUs);
    actives.push(p.active ? 1 : 0);
  }
  const splitMs = now() - started;
  const rows = ids.length;
  if (rows !== csvRows) throw new Error(`floor: fast-csv read ${csvRows} rows, the split ${rows}`);
  started = now();
  let prepared = 0;
  await readPollsFile(path, IMPORT_BATCH, async (batch) => void (prepared += writePollTsv(preparePollBatch(batch)).length));
  const readerMs = now() - started;
  const floors: Floors = {
    rows,
    readFile: { ms: Math.round(readMs), mbPerSec: round(set.bytes.polls / 2 ** 20 / (readMs / 1000)) },
    fastCsvParse: rate(rows, fastCsvMs),
    validate: rate(rows, validateMs),
    fastCsvParseAndValidate: rate(rows, fastCsvMs + validateMs),
    plainSplitAndValidate: rate(rows, splitMs),
    importReader: rate(rows, readerMs),
  };
  if (prepared === 0) throw new Error('floor: the import reader prepared nothing');

  if (dbs.includes('mysql')) {
    await waitForQuietInnodb(args);
    const [fileOrder, batchSorted] = await mariadbLoadDataMs(args, polls, [
      { label: 'file order', batches: () => rowBatches(polls, 100_000, false) },
      { label: 'each sorted by key', batches: () => rowBatches(polls, 100_000, true) },
    ]);
    floors.mysql = { loadDataFileOrder: rate(rows, fileOrder), loadDataBatchSorted: rate(rows, batchSorted) };
  }

  if (dbs.includes('sqlite')) {
    floors.sqlite = {
      insert20kTransactions: rate(
        rows,
        await sqliteInsertMs(args, polls, '20,000-row transactions, default cache, file order', 20_000, []),
      ),
      insert250kTransactionsBigCache: rate(
        rows,
        await sqliteInsertMs(args, polls, '250,000-row transactions, 128 MiB cache, file order', 250_000, [
          'cache_size = -131072',
          'wal_autocheckpoint = 32768',
        ]),
      ),
    };
  }
  return floors;
}

/**
 * MariaDB's own LOAD DATA of a large set's polls, as the floor of its import: TSV batches of 100,000
 * rows as the import prepares them (deduplicated, in key order; the floor of the main set sorts
 * them the same way), built from the file before the clock starts (about 40 bytes a row in memory),
 * loaded one after the other on one connection into an empty table.
 */
export async function measureLargeFloor(set: DataSet, args: BenchArgs): Promise<Rate & { rows: number }> {
  log(`floors: preparing the ${set.name} polls as 100,000-row TSV batches…`);
  const tsv: Buffer[] = [];
  let rows = 0;
  await readPollsFile(set.files.polls, 100_000, async (batch) => {
    const prepared = writePollTsv(preparePollBatch(batch));
    rows += batch.length;
    tsv.push(Buffer.from(prepared.buffer, prepared.byteOffset, prepared.byteLength));
  });
  await waitForQuietInnodb(args);
  const ms = await mariadbLoadTsvMs(args, `${set.name}, 100,000-row batches, each sorted by key`, tsv);
  return { rows, ...rate(rows, ms) };
}

/** The row numbers of the polls in consecutive batches of `size`, each in file order or sorted by key (store, time). */
export function rowBatches({ ids, times }: PollColumns, size: number, sorted: boolean): number[][] {
  const byKey = (a: number, b: number) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : times[a] - times[b]);
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += size) {
    const batch = Array.from({ length: Math.min(size, ids.length - i) }, (_, k) => i + k);
    if (sorted) batch.sort(byKey);
    out.push(batch);
  }
  return out;
}

/** A set's polls column by column, in file order, as the import's reader accepts them. */
export async function pollColumns(set: DataSet): Promise<PollColumns> {
  const polls: PollColumns = { ids: [], times: [], actives: [] };
  await readPollsFile(set.files.polls, 100_000, async (batch) => {
    for (let i = 0; i < batch.length; i++) {
      polls.ids.push(batch.storeIds[batch.store[i]]);
      polls.times.push(batch.timestampUs[i]);
      polls.actives.push(batch.active[i]);
    }
  });
  return polls;
}

/** fast-csv with the import's options, each row handed to `onRow`; resolves with the row count (header included). */
function parseFile(path: string, onRow: (values: string[]) => void): Promise<number> {
  return new Promise((resolveRows, reject) => {
    let rows = 0;
    createReadStream(path, { highWaterMark: 1 << 20 })
      .pipe(parseCsv({ headers: false, trim: true }))
      .on('data', (values: string[]) => {
        rows++;
        onRow(values);
      })
      .on('error', reject)
      .on('end', () => resolveRows(rows));
  });
}
