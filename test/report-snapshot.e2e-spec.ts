import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../scripts/support/wait';
import { writeSyntheticFeeds } from '../src/seed/feed-files.util';
import { resolveFeedOptions } from '../src/seed/synthetic-feed';
import { Instance } from './support/instances';
import { postImport } from './support/test-app';
import { DbKind, TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * A report reads one snapshot of the database: whatever imports commit while it is built, it is
 * the report of one moment. The built server (a separate process, reports in its worker thread)
 * builds reports at a fixed as_of, back to back, while this process re-imports the business
 * hours through the API, again and again: one file with every store's own schedule ("before"),
 * one with every store of it open 00:00-12:00 local every day ("after"). A business-hours import
 * is one transaction, so the database only ever holds one schedule or the other; a report that
 * read its batches of stores from the live tables one after the other mixed them (some stores'
 * rows as before, some as after). Every report must be exactly the "before" or the "after" CSV.
 *
 * (Not a polls import: it commits batch by batch, so a report built during one sees the moment it
 * started at, part-way through the import; that is a state the database had, but not "before"
 * nor "after".) The polls are changed by a writer of the test's own instead: it flips the status
 * of every poll (active <-> inactive) in one transaction, on its own connection to the same
 * database, again and again while the reports are built; each report must be exactly the one of
 * the polls as seeded or of them all flipped.
 */
const STORES = 1500;
const REPORTS = 6;
const FLIP_REPORTS = 5;

/** The test's writer beside the service: one transaction that flips every poll's status. */
async function pollFlipper(kind: DbKind, url: string): Promise<{ flip(): Promise<void>; close(): Promise<void> }> {
  const sql = 'UPDATE poll SET active = 1 - active';
  if (kind === 'mysql') {
    const conn = await createConnection({ uri: url });
    return {
      flip: async () => {
        await conn.query('START TRANSACTION');
        await conn.query(sql);
        await conn.query('COMMIT');
      },
      close: () => conn.end(),
    };
  }
  // Same file, another connection (WAL is on); it waits up to 10 s for the server's writes.
  const file = new Database(url.slice('sqlite:'.length), { timeout: 10_000 });
  const update = file.prepare(sql);
  return {
    flip: async () => {
      file.exec('BEGIN IMMEDIATE');
      update.run();
      file.exec('COMMIT');
    },
    close: async () => void file.close(),
  };
}

/** How many lines of a report differ from another's (a mixed report: from both). */
function rowsOff(csv: string, of: string): number {
  const theirs = of.split('\n');
  return csv.split('\n').filter((line, i) => line !== theirs[i]).length;
}

/** Every store that has hours in `csv`, open 00:00-12:00 local every day instead. */
function morningsOnly(csv: string): string {
  const stores = new Set(
    csv
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]),
  );
  const rows = [...stores].flatMap((id) => Array.from({ length: 7 }, (_, day) => `${id},${day},00:00:00,12:00:00`));
  return `store_id,dayOfWeek,start_time_local,end_time_local\n${rows.join('\n')}\n`;
}

describe.each(TEST_DATABASES)('a report beside writes that change what it reads (%s)', (kind) => {
  const db = new TestDatabase(kind, 'snapshot');
  const dir = mkdtempSync(join(tmpdir(), 'sm-snapshot-'));
  let server: Instance;
  let hours: { before: Buffer; after: Buffer };
  let asOf: string;

  beforeAll(async () => {
    const written = await writeSyntheticFeeds(dir, resolveFeedOptions({ stores: STORES, days: 8, seed: 'snapshot' }));
    const text = readFileSync(written.files.business_hours, 'latin1');
    hours = { before: Buffer.from(text, 'latin1'), after: Buffer.from(morningsOnly(text), 'latin1') };
    server = await Instance.start('snapshot', { DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
    const res = await postImport(server.base, {
      polls: readFileSync(written.files.polls),
      business_hours: hours.before,
      timezones: readFileSync(written.files.timezones),
    });
    if (res.status !== 200) throw new Error(`import answered ${res.status}: ${await res.text()}`);
    asOf = (await server.json<{ as_of: string }>(`/reports/${await server.trigger()}`)).body.as_of;
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const report = async () => server.csvOf(await server.trigger({ as_of: asOf }), 120_000);
  const importHours = async (file: Buffer) => {
    const res = await postImport(server.base, { business_hours: file });
    if (res.status !== 200) throw new Error(`import answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { business_hours: { replaced: number } };
  };

  it('gives exactly the report before or the report after the imports, never a mix', async () => {
    const before = await report();
    expect((await importHours(hours.after)).business_hours.replaced).toBeGreaterThan(1000);
    const after = await report();
    expect(before.split('\n')).toHaveLength(STORES + 2);
    expect(after).not.toBe(before);

    // Imports back to back, one schedule then the other, for as long as the reports run.
    let reporting = true;
    let imports = 0;
    const importer = (async () => {
      while (reporting) await importHours(imports++ % 2 === 0 ? hours.before : hours.after);
    })();
    importer.catch(() => undefined); // awaited below
    const seen: string[] = [];
    try {
      for (let i = 0; i < REPORTS; i++) seen.push(await report());
    } finally {
      reporting = false;
      await importer;
    }

    // A mixed report: how many of its rows differ from each.
    const mixed = seen.filter((csv) => csv !== before && csv !== after);
    expect(mixed.map((csv) => ({ rowsOffBefore: rowsOff(csv, before), rowsOffAfter: rowsOff(csv, after) }))).toEqual([]);
    // The race was run: schedules changed while the reports were built.
    expect(imports).toBeGreaterThanOrEqual(REPORTS / 2);
  }, 600_000);

  it('gives exactly the report before or the report after a flip of every poll status, never a mix', async () => {
    const flipper = await pollFlipper(kind, db.url);
    try {
      const before = await report();
      await flipper.flip();
      const after = await report();
      await flipper.flip(); // back to the seeded statuses
      expect(after).not.toBe(before);
      expect(await report()).toBe(before);

      // Flips one after another, each one transaction, for as long as the reports run.
      let flipping = true;
      let flips = 0;
      const writer = (async () => {
        while (flipping) {
          await flipper.flip();
          flips++;
          // better-sqlite3 holds this process (a CPU, its event loop) for a flip: a pause leaves
          // the CPU to the server's report on 2 cores and lets the report polls run.
          if (kind === 'sqlite') await sleep(200);
        }
      })();
      writer.catch(() => undefined); // awaited below
      // Each report with the number of flips that committed between its trigger and its CSV.
      const seen: Array<{ csv: string; flipsDuring: number }> = [];
      try {
        for (let i = 0; i < FLIP_REPORTS; i++) {
          const from = flips;
          const csv = await report();
          seen.push({ csv, flipsDuring: flips - from });
        }
      } finally {
        flipping = false;
        await writer;
      }

      const mixed = seen.filter(({ csv }) => csv !== before && csv !== after);
      expect(mixed.map(({ csv }) => ({ rowsOffBefore: rowsOff(csv, before), rowsOffAfter: rowsOff(csv, after) }))).toEqual([]);
      // The race was run: flips committed while most of the reports were built.
      expect(seen.filter(({ flipsDuring }) => flipsDuring > 0).length).toBeGreaterThanOrEqual(FLIP_REPORTS / 2);
    } finally {
      await flipper.close();
    }
  }, 600_000);
});
