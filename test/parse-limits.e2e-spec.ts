import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { sleep } from '../scripts/support/wait';
import { MALFORMED, MAX_FIELDS } from '../src/ingestion/csv-lines.reader';
import { buildDataSourceOptions } from '../src/database/database-options';
import { parseDatabaseUrl } from '../src/database/database-url';
import { Instance } from './support/instances';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

const MB = 1 << 20;

/** Resident memory of a process from /proc (kB → MB): now, and the peak since the last reset. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)![1]);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** Resets the peak (VmHWM) to the current RSS (Linux ≥ 4.0), so that the next peak is one import's. */
const resetPeak = (pid: number) => writeFileSync(`/proc/${pid}/clear_refs`, '5');

/** Asks GET /health every 50 ms until stopped: every status and the slowest answer. */
function probeHealth(base: string) {
  const statuses: number[] = [];
  let slowestMs = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const started = Date.now();
      const res = await fetch(`${base}/health`);
      await res.arrayBuffer();
      statuses.push(res.status);
      slowestMs = Math.max(slowestMs, Date.now() - started);
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { statuses, slowestMs };
    },
  };
}

/**
 * Posts a file from disk as `field` from a child process, so that this process's event loop stays
 * free to time /health (building a 40 MB upload here delays its own requests by a second). The
 * child times the request itself.
 */
function uploadFromChild(base: string, field: string, path: string): Promise<{ status: number; body: any; ms: number }> {
  const script = `
    const { openAsBlob } = require('node:fs');
    const [base, field, path] = process.argv.slice(1);
    (async () => {
      const form = new FormData();
      form.append(field, await openAsBlob(path), 'feed.csv');
      const started = Date.now();
      const res = await fetch(base + '/import', { method: 'POST', body: form });
      const body = await res.json();
      process.stdout.write(JSON.stringify({ status: res.status, body, ms: Date.now() - started }));
    })();`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, base, field, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`upload exited with ${code}`))));
  });
}

const HOURS_HEADER = 'store_id,dayOfWeek,start_time_local,end_time_local';
const POLLS_HEADER = 'store_id,status,timestamp_utc';
/** A valid poll row; `i` makes its key unique (store and minute). */
const poll = (i: number, id = `s${i % 5000}`) =>
  `${id},${i % 3 ? 'active' : 'inactive'},${new Date(Date.UTC(2023, 2, 1) + i * 60_000).toISOString().replace('T', ' ').replace('.000Z', '.123456 UTC')}`;

/**
 * The reading limits through the built service (`node dist/src/main.js`: every feed parsed in a
 * worker thread): a malformed record is a rejected row with its physical line, the rest of the file
 * is imported, and the service's memory and /health stay as they were.
 */
describe.each(TEST_DATABASES)('reading limits of the built server on %s', (kind) => {
  const db = new TestDatabase(kind, 'limits');
  const dir = mkdtempSync(join(tmpdir(), 'sm-limits-'));
  let server: Instance;
  let ds: DataSource;
  const count = async (table: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    server = await Instance.start(`limits-${kind}`, { DATABASE_URL: db.url });
    ds = await new DataSource(buildDataSourceOptions(parseDatabaseUrl(db.url))).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await server?.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    for (const table of ['poll', 'business_hours', 'store_timezone', 'store', 'import_run'])
      await ds.query(`DELETE FROM ${table}`);
  });

  /** Imports the file (from another process), with /health asked meanwhile and the peak RSS measured. */
  async function importMeasured(field: string, text: string) {
    const path = join(dir, `${field}.csv`);
    writeFileSync(path, text);
    resetPeak(server.pid);
    const before = memoryOf(server.pid);
    const health = probeHealth(server.base);
    const { status, body, ms } = await uploadFromChild(server.base, field, path).finally(() => rmSync(path));
    const probed = await health.stop();
    const grewMb = memoryOf(server.pid).peakMb - before.rssMb;
    return { status, body, ms, grewMb, health: probed };
  }

  it('rejects a 40 MB business-hours line as one row with its line, imports the rest, in bounded memory', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `h${i},${i % 7},09:00,17:00`);
    const file = [HOURS_HEADER, ...rows.slice(0, 10), `h99,0,09:00,${'7'.repeat(40 * MB)}`, ...rows.slice(10)].join('\n');
    const { status, body, ms, grewMb, health } = await importMeasured('business_hours', file);
    expect(status).toBe(200);
    expect(body.business_hours).toEqual({
      read: 21,
      inserted: 20,
      unchanged: 0,
      replaced: 0,
      rejected: 1,
      errors: [{ line: 12, reason: MALFORMED.tooLong }],
    });
    expect(await count('business_hours')).toBe(20);
    // main: 97 s and 1.77 GB, with /health stalled
    expect(grewMb).toBeLessThan(200);
    expect(health.statuses.length).toBeGreaterThan(0);
    expect(health.statuses.every((s) => s === 200)).toBe(true);
    console.log(`${kind}: 40 MB line: ${ms} ms, RSS +${grewMb} MB, /health slowest ${health.slowestMs} ms`);
  });

  it('rejects an unclosed quote in a 20 MB polls file as one row with its line, imports the rest, in bounded memory', async () => {
    // Rows padded to 1,000 bytes with blanks (values are trimmed): a 20 MB file of 20,000 rows, so
    // that the memory and time logged are the reading's, not the database's.
    const rows = Array.from({ length: 20_000 }, (_, i) => poll(i).padEnd(1000));
    const file = [POLLS_HEADER, ...rows.slice(0, 1000), `"u1,active,2023-03-04 15:00:00 UTC`, ...rows.slice(1000)].join('\n');
    expect(file.length).toBeGreaterThan(20 * 1000 * 1000);
    const { status, body, ms, grewMb, health } = await importMeasured('polls', file);
    expect(status).toBe(200);
    expect(body.polls).toEqual({
      read: 20_001,
      inserted: 20_000,
      unchanged: 0,
      replaced: 0,
      rejected: 1,
      errors: [{ line: 1002, reason: MALFORMED.quoteTooLong }],
    });
    expect(await count('poll')).toBe(20_000);
    // main: 56 s, then 400 with a 22.8 MB body. The import's two worker threads take their heaps.
    expect(grewMb).toBeLessThan(200);
    expect(health.statuses.every((s) => s === 200)).toBe(true);
    console.log(`${kind}: 20 MB polls, unclosed quote: ${ms} ms, RSS +${grewMb} MB, /health slowest ${health.slowestMs} ms`);
  });

  it('rejects a bad quote after 60,000 good polls rows with its line and writes every other row', async () => {
    const rows = Array.from({ length: 60_100 }, (_, i) => poll(i));
    const file = [POLLS_HEADER, ...rows.slice(0, 60_000), '"s1"x,active,2023-03-04 15:00:00 UTC', ...rows.slice(60_000)].join(
      '\n',
    );
    const res = await postImport(server.base, { polls: file });
    expect(res.status).toBe(200); // main: 400 "could not be read", 50,000 rows already written
    const summary = ((await res.json()) as any).polls;
    expect(summary).toEqual({
      read: 60_101,
      inserted: 60_100,
      unchanged: 0,
      replaced: 0,
      rejected: 1,
      errors: [{ line: 60_002, reason: MALFORMED.afterQuote }],
    });
    expect(await count('poll')).toBe(summary.inserted);
  });

  it('numbers lines physically in every feed, rejects NULs and too many values, and quotes little of the input', async () => {
    const polls = [
      POLLS_HEADER,
      '"p1","act',
      'ive",2023-03-04 15:00:00 UTC', // one record on lines 2-3
      'p2,active,2023-03-04 15:00:00 UTC\0',
      `p3,active,2023-03-04 15:00:00 UTC${',x'.repeat(MAX_FIELDS)}`,
      'p4,maybe,2023-03-04 15:00:00 UTC',
      'p5,active,2203-03-04 15:00:00 UTC',
      'p6,active,2023-03-04 15:00:00 UTC',
    ].join('\r\n');
    const hours = [HOURS_HEADER, '"h1\nh1",0,09:00,17:00', 'h2,0,09:00,17:00', 'h3,9,09:00,17:00'].join('\n');
    const zones = ['store_id,timezone_str', '"z1","America/', 'Denver"', 'z2,UTC', `z3,${'Mars/'.repeat(2000)}`].join('\n');
    const res = await postImport(server.base, { polls, business_hours: hours, timezones: zones });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.polls.errors).toEqual([
      { line: 2, reason: 'status must be active or inactive' }, // "act\r\nive"
      { line: 4, reason: MALFORMED.nul },
      { line: 5, reason: `more than ${MAX_FIELDS} values` },
      { line: 6, reason: 'status must be active or inactive' },
      { line: 7, reason: expect.stringMatching(/in the future|year/) },
    ]);
    expect(body.polls).toMatchObject({ read: 6, inserted: 1, rejected: 5 });
    expect(body.business_hours.errors).toEqual([
      { line: 2, reason: 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -' },
      { line: 5, reason: 'dayOfWeek must be 0 (Monday) to 6 (Sunday)' },
    ]);
    expect(body.timezones.errors).toEqual([
      { line: 2, reason: expect.stringContaining('timezone') },
      { line: 5, reason: expect.stringContaining('timezone') },
    ]);
    expect(body.timezones.errors[1].reason.length).toBeLessThanOrEqual(160);
    expect(await count('poll')).toBe(1);
    expect(await count('business_hours')).toBe(1);
    expect(await count('store_timezone')).toBe(1);
  });

  // The first two held on main too (the header's names were cut to 100 characters); a quote never
  // closed in the header made main quote the whole file in its 400.
  it.each([
    ['a 1 MB header line', `${'x,'.repeat(MB / 2)}\n`],
    ['a header of 150 columns', `${Array.from({ length: 150 }, (_, i) => `column_${i}_${'y'.repeat(50)}`).join(',')}\n`],
    ['a header with a bad quote', `"store_id"${'q'.repeat(10_000)},status,timestamp_utc\n`],
    ['a header whose quote is never closed', `"store_id,status,timestamp_utc\n${`${poll(1)}\n`.repeat(20_000)}`],
  ])('refuses %s with a short 400', async (_, header) => {
    const res = await postImport(server.base, { polls: `${header}p,active,2023-03-04 15:00:00 UTC\n` });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(350);
    expect(JSON.parse(text).message).toMatch(/^polls file header/);
  });
});
