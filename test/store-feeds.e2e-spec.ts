import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/database-options';
import { parseDatabaseUrl } from '../src/database/database-url';
import { Instance } from './support/instances';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

const STORES = 6000;
const ids = Array.from({ length: STORES }, (_, i) => `s${String(i).padStart(5, '0')}`);

/**
 * A business-hours file of STORES stores × 7 days, day by day: each store's rows lie 6,000 rows
 * apart, across the reader's batches of 20,000 rows and the transaction's steps of 500 stores.
 * `monday` is the Monday opening of store s01234.
 */
function hoursFile(monday = '09:00:00') {
  const lines = ['store_id,dayOfWeek,start_time_local,end_time_local'];
  for (let day = 0; day < 7; day++) {
    for (const id of ids) lines.push(`${id},${day},${id === 's01234' && day === 0 ? monday : '09:00:00'},17:00:00`);
  }
  lines.push('s00001,0,09:00:00,17:00:00'); // a repeat of a row: unchanged
  lines.push('s00002,7,09:00:00,17:00:00'); // a day out of range: rejected
  return lines.join('\n');
}

/** Every store first as a link (US/Central), then half of them again, later, in another zone. */
function zonesFile() {
  const later = ids.filter((_, i) => i % 2 === 0).map((id) => `${id},Asia/Calcutta`);
  return ['store_id,timezone_str', ...ids.map((id) => `${id},US/Central`), ...later].join('\n');
}

/**
 * Hours and zones through the built server (`node dist/src/main.js`), where they are read and
 * written in a worker thread on a connection of its own: the counts and what is stored are those
 * of one transaction over the whole file, the first time and again.
 */
describe.each(TEST_DATABASES)('hours and zones through the built server on %s', (kind) => {
  const db = new TestDatabase(kind, 'storefeeds');
  let server: Instance;
  let ds: DataSource;

  beforeAll(async () => {
    server = await Instance.start(`storefeeds-${kind}`, { DATABASE_URL: db.url });
    ds = await new DataSource(buildDataSourceOptions(parseDatabaseUrl(db.url))).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await server?.stop();
    await db.drop();
  });

  const importFiles = async (files: Record<string, string>) => {
    const res = await postImport(server.base, files);
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  };
  const rowsOf = (sql: string) => ds.query(sql);

  it('replaces each store’s schedule and sets each zone in one transaction over the whole file, then counts a re-import row for row', async () => {
    const first = await importFiles({ business_hours: hoursFile(), timezones: zonesFile() });
    expect(first.business_hours).toEqual({
      read: 7 * STORES + 2,
      inserted: 7 * STORES,
      unchanged: 1,
      replaced: 0,
      rejected: 1,
      errors: [{ line: 7 * STORES + 3, reason: 'dayOfWeek must be 0 (Monday) to 6 (Sunday)' }],
    });
    expect(first.timezones).toEqual({
      read: STORES * 1.5,
      inserted: STORES,
      unchanged: STORES / 2,
      replaced: 0,
      rejected: 0,
      errors: [],
    });

    const again = await importFiles({ business_hours: hoursFile('10:00:00'), timezones: zonesFile() });
    expect(again.business_hours).toMatchObject({ inserted: 0, unchanged: 7 * STORES, replaced: 1, rejected: 1 });
    expect(again.timezones).toMatchObject({ inserted: 0, unchanged: STORES * 1.5, replaced: 0 });

    const [{ n }] = await rowsOf('SELECT COUNT(*) AS n FROM business_hours');
    expect(Number(n)).toBe(7 * STORES);
    const monday = await rowsOf("SELECT start_sec FROM business_hours WHERE store_id = 's01234' AND day_of_week = 0");
    expect(monday.map((r: any) => Number(r.start_sec))).toEqual([10 * 3600]);
    const zones = await rowsOf(
      'SELECT timezone_str AS zone, COUNT(*) AS n FROM store_timezone GROUP BY timezone_str ORDER BY zone',
    );
    expect(zones.map((r: any) => [r.zone, Number(r.n)])).toEqual([
      ['America/Chicago', STORES / 2],
      ['Asia/Kolkata', STORES / 2],
    ]);
    const [{ stores }] = await rowsOf('SELECT COUNT(*) AS stores FROM store');
    expect(Number(stores)).toBe(STORES);
  });
});
