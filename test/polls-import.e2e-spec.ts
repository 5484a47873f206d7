import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { Instance } from './support/instances';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * A polls file of many batches through the built server: the parser worker prepares each batch
 * as columns and passes it to the import worker, whose MariaDB writer writes each batch's text for
 * LOAD DATA into the same buffer, batch after batch. Every row must arrive as it was in the file,
 * on the first import and on a second one that changes a seventh of the statuses.
 */
const STORES = 3000;
/**
 * Nine batches: the parser's first ones grow to the writers' 200,000 polls, two are of that size,
 * and a smaller one ends the file; so the MariaDB writer's text buffer grows, then is reused at
 * its size and for less.
 */
const ROWS = 850_000;
const START_MS = Date.UTC(2023, 0, 1);

/** Row i: store i % STORES, an hour apart per store, inactive every 7th (every 5th in the second file). */
const storeOf = (i: number) => `${1_000_000_000_000_000_000n + BigInt((i % STORES) * 7919)}`;
const timeMsOf = (i: number) => START_MS + Math.floor(i / STORES) * 3_600_000;
function pollsFile(inactiveEvery: number): Buffer {
  const lines = ['store_id,status,timestamp_utc'];
  for (let i = 0; i < ROWS; i++) {
    const at = new Date(timeMsOf(i)).toISOString().replace('T', ' ').replace('.000Z', ' UTC');
    lines.push(`${storeOf(i)},${i % inactiveEvery === 0 ? 'inactive' : 'active'},${at}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** What the database must hold: rows, active rows, and a checksum of every row's key and status. */
function expected(inactiveEvery: number) {
  let active = 0;
  let checksum = 0n;
  for (let i = 0; i < ROWS; i++) {
    const on = i % inactiveEvery === 0 ? 0 : 1;
    active += on;
    checksum += rowChecksum(storeOf(i), BigInt(timeMsOf(i)) * 1000n, on);
  }
  return { rows: ROWS, active, checksum: String(checksum) };
}
const rowChecksum = (storeId: string, timestampUs: bigint, active: number) =>
  ((BigInt(storeId) % 1_000_003n) * 31n + ((timestampUs / 1_000_000n) % 1_000_033n)) * (2n + BigInt(active));

/** The same figures, computed by the database over what it holds. */
const CHECK_SQL = `SELECT COUNT(*) AS n, SUM(active) AS active,
  SUM(((CAST(store_id AS DECIMAL(20, 0)) % 1000003) * 31 + (timestamp_us DIV 1000000) % 1000033) * (2 + active)) AS checksum
  FROM poll`;

async function held(kind: string, url: string) {
  const sql =
    kind === 'mysql' ? CHECK_SQL : CHECK_SQL.replace('CAST(store_id AS DECIMAL(20, 0))', 'store_id').replace('DIV', '/');
  type Row = { n: number; active: number; checksum: number | string };
  let row: Row;
  if (kind === 'mysql') {
    const conn = await createConnection({ uri: url, supportBigNumbers: true, bigNumberStrings: true });
    try {
      row = ((await conn.query(sql))[0] as Row[])[0];
    } finally {
      await conn.end();
    }
  } else {
    // SQLite: integer arithmetic over the ids read as integers (all below 2^63).
    const file = new Database(url.slice('sqlite:'.length), { readonly: true });
    try {
      row = file.prepare(sql).safeIntegers(true).get() as Row;
    } finally {
      file.close();
    }
  }
  return { rows: Number(row.n), active: Number(row.active), checksum: String(row.checksum).replace(/\.0+$/, '') };
}

describe.each(TEST_DATABASES)('a polls import of many batches, through the built server (%s)', (kind) => {
  const db = new TestDatabase(kind, 'pollsimport');
  let server: Instance | undefined;
  afterAll(async () => {
    await server?.stop();
    await db.drop();
  });

  it('holds every row as the file has it, after the import and after a re-import that changes statuses', async () => {
    server = await Instance.start(`polls-${kind}`, { DATABASE_URL: db.url });
    const first = await postImport(server.base, { polls: pollsFile(7) });
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).polls).toMatchObject({ read: ROWS, inserted: ROWS, rejected: 0 });
    expect(await held(kind, db.url)).toEqual(expected(7));

    // Every 5th inactive instead of every 7th: rows whose status differs are replaced.
    let changed = 0;
    for (let i = 0; i < ROWS; i++) if ((i % 7 === 0) !== (i % 5 === 0)) changed++;
    const second = await postImport(server.base, { polls: pollsFile(5) });
    expect(second.status).toBe(200);
    expect(((await second.json()) as any).polls).toMatchObject({
      read: ROWS,
      inserted: 0,
      replaced: changed,
      unchanged: ROWS - changed,
    });
    expect(await held(kind, db.url)).toEqual(expected(5));
  }, 300_000);
});
