import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeeds } from '../src/seed/feed-files.util';
import { resolveFeedOptions } from '../src/seed/synthetic-feed';
import { Instance } from './support/instances';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

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
 * (Not the polls: a polls import commits batch by batch, so a report built during one sees the
 * moment it started at, part-way through the import; that is a state the database had, but not
 * "before" nor "after".)
 */
const STORES = 1500;
const REPORTS = 12;

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

describe.each(TEST_DATABASES)('a report beside imports that change every schedule (%s)', (kind) => {
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
    const rowsOff = (csv: string, of: string) => {
      const theirs = of.split('\n');
      return csv.split('\n').filter((line, i) => line !== theirs[i]).length;
    };
    const mixed = seen.filter((csv) => csv !== before && csv !== after);
    expect(mixed.map((csv) => ({ rowsOffBefore: rowsOff(csv, before), rowsOffAfter: rowsOff(csv, after) }))).toEqual([]);
    // The race was run: schedules changed while the reports were built.
    expect(imports).toBeGreaterThanOrEqual(REPORTS / 2);
  }, 600_000);
});
