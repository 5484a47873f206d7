import { DataSource } from 'typeorm';
import { PollRow } from '../src/common/types/feed-rows.types';
import { buildDataSourceOptions } from '../src/database/database-options';
import { parseDatabaseUrl } from '../src/database/database-url';
import { ensureDatabaseExists } from '../src/database/ensure-database';
import { openSqlClient } from '../src/database/open-sql-client';
import { SqlClient } from '../src/database/sql-client';
import { US_PER_HOUR } from '../src/engine/utils';
import { PollRepository } from '../src/repositories/poll/poll.repository';
import { PollRows } from '../src/repositories/poll/poll-rows';
import { preparePollBatch } from '../src/repositories/poll/prepare-poll-batch.util';
import { canRunPrivateMariadb, PrivateMariadb } from './support/private-mariadb';
import { TEST_DATABASES } from './support/test-database';

/**
 * InnoDB's statistics can say the poll table is empty while it holds millions of rows: the
 * figures recalculated after a bulk import are written some seconds later, and a server that
 * crashes before then starts again with those of the empty table, which stay until a tenth of it
 * changes. With them the optimizer's own plans scan the whole table for every batch of stores a
 * report reads (a 3,000-store report ran for hours), and for every piece of a re-import. The
 * statements fix their plans; here a MariaDB server of the test's own is left in that state
 * (kill -9, its statistics those of the empty table) and the rows the server reads are counted.
 */
const describeOnMysql = TEST_DATABASES.includes('mysql') && canRunPrivateMariadb() ? describe : describe.skip;

const AS_OF = Date.parse('2023-03-13T15:00:00Z') * 1000;
const poll = (storeId: string, timestampUs: number, active: boolean): PollRow => ({ storeId, timestampUs, active });
const STORES = Array.from({ length: 100 }, (_, s) => `store-${s}`);
// 30 days, one poll an hour: 72,000 rows, 169 of each store's in the week up to AS_OF.
const ROWS = STORES.flatMap((id) => Array.from({ length: 720 }, (_, h) => poll(id, AS_OF - h * US_PER_HOUR, h % 2 === 0)));

describeOnMysql('plans that do not depend on InnoDB statistics (a MariaDB server of its own)', () => {
  let mariadb: PrivateMariadb;
  let sql: SqlClient;
  const open = () => openSqlClient(parseDatabaseUrl(mariadb.url('store_monitor')));

  async function write(rows: PollRow[], client = sql) {
    const writer = await new PollRepository(client).openWriter();
    await writer.write(preparePollBatch(PollRows.of(rows)));
    return writer.finish();
  }

  /** Rows the server read, in order or along an index either way, while `work` ran (no other client uses this server). */
  async function rowsRead(work: () => Promise<unknown>): Promise<number> {
    const count = async () =>
      (
        await sql.rows<[string, string]>(
          "SHOW GLOBAL STATUS WHERE Variable_name IN ('Handler_read_rnd_next', 'Handler_read_next', 'Handler_read_prev')",
        )
      )
        .map(([, value]) => Number(value))
        .reduce((a, b) => a + b, 0);
    const before = await count();
    await work();
    return (await count()) - before;
  }

  beforeAll(async () => {
    mariadb = await PrivateMariadb.create();
    const target = parseDatabaseUrl(mariadb.url('store_monitor'));
    await ensureDatabaseExists(target);
    const dataSource = await new DataSource(buildDataSourceOptions(target)).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    sql = open();
    // The statistics of the empty table, kept: no recalculation after the import.
    await sql.run('ALTER TABLE poll STATS_AUTO_RECALC = 0');
    await sql.run('ANALYZE TABLE poll');
    expect(await write(ROWS)).toEqual({ inserted: 72_000, unchanged: 0, replaced: 0 });
    await sql.close();
    // A crash: the server starts again with the statistics it had written.
    await mariadb.kill();
    await mariadb.start();
    sql = open();
  }, 120_000);
  afterAll(async () => {
    await sql?.close();
    await mariadb?.destroy();
  });

  it('starts again with statistics that say the poll table is empty', async () => {
    expect(
      await sql.rows("SELECT table_rows FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'poll'"),
    ).toEqual([[0]]);
    expect(await sql.rows('SELECT COUNT(*) FROM poll')).toEqual([[72_000]]);
  });

  /**
   * The rows read for ten stores' weeks: their weeks (1,690 rows) and one seek each for the poll
   * before the week, not the 551 polls each store has before it (5,510).
   */
  async function tenWeeksRead(): Promise<number> {
    let week = new Map<string, unknown[]>();
    const read = await rowsRead(async () => (week = await new PollRepository(sql).weekOf(STORES.slice(0, 10), AS_OF)));
    expect([...week.values()].map((list) => list.length)).toEqual(Array(10).fill(170));
    return read;
  }

  it("reads ten stores' weeks by index seeks", async () => {
    // The optimizer's own plan read millions.
    expect(await tenWeeksRead()).toBeLessThan(2_000);
  });

  it('re-imports known polls by index seeks', async () => {
    // 2,000 known polls, half of them with the other status.
    const again = ROWS.slice(0, 2_000).map((p, i) => (i % 2 === 0 ? p : poll(p.storeId, p.timestampUs, !p.active)));
    let counts = {};
    // The staging rows and one seek each; the optimizer's own plan scanned the 72,000 for every piece.
    expect(await rowsRead(async () => (counts = await write(again)))).toBeLessThan(20_000);
    expect(counts).toEqual({ inserted: 0, unchanged: 1_000, replaced: 1_000 });
  });

  it('removes polls outside 1970-2099 (migration StoredInputRules) by index seeks', async () => {
    const late = Date.parse('2203-03-04T15:03:57Z') * 1000;
    await sql.run('INSERT INTO poll (store_id, timestamp_us, active) VALUES (?, ?, 0), (?, ?, 1)', [
      'store-7',
      late,
      'store-8',
      -1,
    ]);
    await sql.run("UPDATE store SET last_poll_us = ? WHERE store_id = 'store-7'", [late]); // as the writer kept it
    const dataSource = await new DataSource(buildDataSourceOptions(parseDatabaseUrl(mariadb.url('store_monitor')))).initialize();
    try {
      await dataSource.query("DELETE FROM migrations WHERE name = 'StoredInputRules1764300000000'");
      // The first and last poll of each of the 100 stores, two deletes and their stores' updates:
      // a seek each. A plan from these statistics reads the 72,000 polls (144,000 for the two ends).
      expect(await rowsRead(() => dataSource.runMigrations({ transaction: 'each' }))).toBeLessThan(2_000);
    } finally {
      await dataSource.destroy();
    }
    expect(await sql.rows('SELECT store_id, timestamp_us FROM poll WHERE timestamp_us < 0 OR timestamp_us > ?', [AS_OF])).toEqual(
      [],
    );
    expect(await sql.rows("SELECT store_id, last_poll_us FROM store WHERE store_id IN ('store-7', 'store-8')")).toEqual([
      ['store-7', AS_OF],
      ['store-8', AS_OF],
    ]);
  });

  it("reads the stores' weeks by index seeks on a table filled after the server opened it", async () => {
    // The server keeps the key statistics it read when it opened a table, here those of the empty
    // table (one poll per store), until something makes it read them again (SHOW INDEX, say). A
    // GROUP BY … MAX() for the poll before the week then read every store's whole history: after
    // a backfill, every report read all of it.
    const target = parseDatabaseUrl(mariadb.url('store_monitor_filled'));
    await ensureDatabaseExists(target);
    const dataSource = await new DataSource(buildDataSourceOptions(target)).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
    const filled = openSqlClient(target);
    try {
      // Six instances of the table opened while it is empty, kept in the server's table cache and
      // used again by the statements below, as a service's pool does after a backfill.
      expect(await filled.rows('SELECT COUNT(*) FROM poll a, poll b, poll c, poll d, poll e, poll f')).toEqual([[0]]);
      expect(await write(ROWS, filled)).toEqual({ inserted: 72_000, unchanged: 0, replaced: 0 });
      let week = new Map<string, unknown[]>();
      const read = await rowsRead(async () => (week = await new PollRepository(filled).weekOf(STORES, AS_OF)));
      expect([...week.values()].map((list) => list.length)).toEqual(Array(100).fill(170));
      // Their weeks (16,900 rows) and a seek each; the history before the week is 55,100 polls.
      expect(read).toBeLessThan(20_000);
    } finally {
      await filled.close();
    }
  });
});
