import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeeds, WrittenFeeds } from '../src/seed/feed-files.util';
import { resolveFeedOptions } from '../src/seed/synthetic-feed';
import { sleep } from '../scripts/support/wait';
import { Instance } from './support/instances';
import { FIXTURE } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/** A polls file big enough that its import takes a few seconds (about 950,000 rows). */
let big: WrittenFeeds;
const bigDir = mkdtempSync(join(tmpdir(), 'sm-inbox-big-'));
beforeAll(async () => {
  big = await writeSyntheticFeeds(bigDir, resolveFeedOptions({ stores: 3000, days: 8, seed: 'inbox' }));
}, 120_000);
afterAll(() => rmSync(bigDir, { recursive: true, force: true }));

/** Waits (bounded) until `ready` returns something, and returns it. */
async function until<T>(
  what: string,
  ready: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms = 120_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await ready();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

/**
 * The watched inbox with two instances of the built service on one database and one folder,
 * scanning every second: each file is imported exactly once, and only once it is whole.
 */
describe.each(TEST_DATABASES)('the inbox, two instances on %s', (kind) => {
  const db = new TestDatabase(kind, 'inbox');
  const inbox = mkdtempSync(join(tmpdir(), 'sm-inbox-'));
  let instances: Instance[] = [];

  beforeAll(async () => {
    const env = { DATABASE_URL: db.url, INBOX_DIR: inbox, INBOX_CRON: '* * * * * *' };
    // One first, so that SQLite's file and the schema exist before the second starts.
    instances.push(await Instance.start('a', env));
    instances.push(await Instance.start('b', env));
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    instances = [];
    rmSync(inbox, { recursive: true, force: true });
    await db.drop();
  });

  it('imports each file once, a slowly written one only when whole, and files a malformed one in failed/', async () => {
    writeFileSync(join(inbox, 'zones.csv'), readFileSync(FIXTURE.timezones));
    writeFileSync(join(inbox, 'bad.csv'), 'a,b,c\n1,2,3\n');
    writeFileSync(join(inbox, '.hidden.csv'), readFileSync(FIXTURE.timezones));
    writeFileSync(join(inbox, 'polls.csv.part'), readFileSync(FIXTURE.polls));

    // Business hours arrive in pieces over several scans.
    const hours = readFileSync(FIXTURE.business_hours);
    const pieces = 8;
    for (let i = 0; i < pieces; i++) {
      await appendFile(
        join(inbox, 'hours.csv'),
        hours.subarray(Math.floor((i * hours.length) / pieces), Math.floor(((i + 1) * hours.length) / pieces)),
      );
      await sleep(400);
    }
    renameSync(join(inbox, 'polls.csv.part'), join(inbox, 'polls.csv')); // the usual way to hand over a whole file

    const expected = { processed: ['hours.csv', 'polls.csv', 'zones.csv'], failed: ['bad.csv'] };
    const filed = (folder: string) =>
      existsSync(join(inbox, folder))
        ? readdirSync(join(inbox, folder))
            .filter((n) => n.endsWith('.csv'))
            .sort()
        : [];
    for (let i = 0; i < 600 && (filed('processed').length < 3 || filed('failed').length < 1); i++) await sleep(100);
    expect({ processed: filed('processed'), failed: filed('failed') }).toEqual(expected);

    // The slowly written file was taken whole.
    expect(readFileSync(join(inbox, 'processed', 'hours.csv'))).toEqual(hours);
    const hoursSummary = JSON.parse(readFileSync(join(inbox, 'processed', 'hours.csv.summary.json'), 'utf8'));
    expect(hoursSummary).toMatchObject({
      status: 'Complete',
      feed: 'business_hours',
      summary: { business_hours: { read: 284, inserted: 282, rejected: 2 } },
    });
    const pollsSummary = JSON.parse(readFileSync(join(inbox, 'processed', 'polls.csv.summary.json'), 'utf8'));
    expect(pollsSummary.summary.polls).toMatchObject({ read: 6561, inserted: 6497, unchanged: 59, replaced: 0, rejected: 5 });
    const bad = JSON.parse(readFileSync(join(inbox, 'failed', 'bad.csv.summary.json'), 'utf8'));
    expect(bad).toMatchObject({
      status: 'Failed',
      error:
        'bad.csv: not a feed file: its header matches none of polls (store_id, status, timestamp_utc), ' +
        'business hours (store_id, dayOfWeek or day, start_time_local, end_time_local), timezones (store_id, timezone_str)',
    });
    expect(readdirSync(inbox).sort()).toEqual(['.hidden.csv', 'failed', 'processed']);

    // Exactly one run per file, whichever instance took it.
    const { body } = await instances[0].json('/imports?limit=100');
    const runs = body.imports.map((r: any) => [r.files[0].name, r.source, r.status]).sort();
    expect(runs).toEqual([
      ['bad.csv', 'inbox', 'Failed'],
      ['hours.csv', 'inbox', 'Complete'],
      ['polls.csv', 'inbox', 'Complete'],
      ['zones.csv', 'inbox', 'Complete'],
    ]);
    // The data is one import's: a report of the fixture stores.
    const id = await instances[1].trigger();
    expect((await instances[1].csvOf(id)).split('\n')).toHaveLength(42); // header, 40 stores, final newline
  });

  type Run = { import_id: string; files: Array<{ name: string }>; status: string; error: string | null; progress: number };
  const runsOf = async (name: string): Promise<Run[]> =>
    (await instances[0].json<{ imports: Run[] }>('/imports?limit=100')).body.imports.filter((r) => r.files[0].name === name);
  const logs = () => instances.map((i) => i.log).join('\n');
  const count = (text: string, needle: string) => text.split(needle).length - 1;
  /** Hands a file over as a whole (written aside, then renamed into the inbox). */
  const handOver = (source: string, name: string) => {
    copyFileSync(source, join(inbox, `${name}.part`));
    renameSync(join(inbox, `${name}.part`), join(inbox, name));
  };
  const runningPartWay = (name: string) =>
    until(`${name} running`, async () => {
      const [run] = await runsOf(name);
      if (run && run.status !== 'Running') throw new Error(`${name} ended before it was seen running: ${JSON.stringify(run)}`);
      return run && run.progress > 0 && run;
    });

  it('moves a symbolic link and a directory named *.csv to failed/ with a reason, never following the link, logged once', async () => {
    symlinkSync(FIXTURE.timezones, join(inbox, 'link.csv'));
    mkdirSync(join(inbox, 'folder.csv'));
    await until(
      'both filed',
      () =>
        existsSync(join(inbox, 'failed', 'link.csv.summary.json')) &&
        existsSync(join(inbox, 'failed', 'folder.csv.summary.json')),
    );
    expect(lstatSync(join(inbox, 'failed', 'link.csv')).isSymbolicLink()).toBe(true); // the link itself, moved
    expect(lstatSync(join(inbox, 'failed', 'folder.csv')).isDirectory()).toBe(true);
    expect(JSON.parse(readFileSync(join(inbox, 'failed', 'link.csv.summary.json'), 'utf8'))).toEqual({
      status: 'Refused',
      error: 'link.csv is a symbolic link (never followed): the inbox imports regular files only',
    });
    expect(JSON.parse(readFileSync(join(inbox, 'failed', 'folder.csv.summary.json'), 'utf8'))).toEqual({
      status: 'Refused',
      error: 'folder.csv is a directory: the inbox imports regular files only',
    });
    expect([...(await runsOf('link.csv')), ...(await runsOf('folder.csv'))]).toEqual([]); // nothing imported
    await sleep(1500); // more scans: nothing more said
    for (const i of instances) expect(count(i.log, 'link.csv is a symbolic link')).toBeLessThanOrEqual(1);
    expect(count(logs(), 'link.csv is a symbolic link')).toBeGreaterThanOrEqual(1);
  });

  it('keeps a file it could not file in the inbox, its run Complete, and says why once, without internals', async () => {
    // processed/ made unusable (the tests run as root, for whom permissions do not count): a file in its place.
    renameSync(join(inbox, 'processed'), join(inbox, 'processed.away'));
    writeFileSync(join(inbox, 'processed'), '');
    try {
      writeFileSync(join(inbox, 'zones2.csv'), readFileSync(FIXTURE.timezones));
      const said =
        'zones2.csv (Complete) could not be moved to processed/: a file is in the way of a folder; it stays in the inbox';
      await until('the reason logged', () => logs().includes(said));
      expect((await runsOf('zones2.csv')).map((r) => r.status)).toEqual(['Complete']);
      await sleep(1500); // more scans
      expect(readdirSync(inbox)).toContain('zones2.csv');
      expect(readdirSync(join(inbox, 'failed')).filter((n) => n.startsWith('zones2'))).toEqual([]);
      expect(count(logs(), said)).toBe(1);
      expect(logs()).not.toMatch(/ENOTDIR|rename '/);
    } finally {
      rmSync(join(inbox, 'zones2.csv'), { force: true });
      rmSync(join(inbox, 'processed'));
      renameSync(join(inbox, 'processed.away'), join(inbox, 'processed'));
    }
  });

  it('imports a file renamed during its import once, and files it under its new name with its summary', async () => {
    handOver(big.files.polls, 'moving.csv');
    const run = await runningPartWay('moving.csv');
    renameSync(join(inbox, 'moving.csv'), join(inbox, 'moved.csv'));
    await until('filed', () => existsSync(join(inbox, 'processed', 'moved.csv.summary.json')));
    const summary = JSON.parse(readFileSync(join(inbox, 'processed', 'moved.csv.summary.json'), 'utf8'));
    expect(summary).toMatchObject({
      import_id: run.import_id,
      status: 'Complete',
      summary: { polls: { read: big.stats.polls.rows } },
    });
    await sleep(2500); // more scans: the new name is not taken for a new file
    expect((await runsOf('moving.csv')).map((r) => r.status)).toEqual(['Complete']);
    expect(await runsOf('moved.csv')).toEqual([]);
    expect(readdirSync(inbox).filter((n) => n.startsWith('mov'))).toEqual([]);
  });

  it('fails the run of a file rewritten during its import and leaves it for the next scan, which imports it whole', async () => {
    handOver(big.files.polls, 'rewritten.csv');
    const first = await runningPartWay('rewritten.csv');
    writeFileSync(join(inbox, 'rewritten.csv'), readFileSync(FIXTURE.polls)); // in place: the same file, other contents
    await until('filed', () => existsSync(join(inbox, 'processed', 'rewritten.csv.summary.json')));
    const runs = await runsOf('rewritten.csv');
    expect(runs.map((r) => r.status).sort()).toEqual(['Complete', 'Failed']);
    const failed = runs.find((r) => r.status === 'Failed')!;
    expect(failed.import_id).toBe(first.import_id);
    expect(failed.error).toContain('rewritten.csv changed during its import');
    expect(readFileSync(join(inbox, 'processed', 'rewritten.csv'))).toEqual(readFileSync(FIXTURE.polls));
    const summary = JSON.parse(readFileSync(join(inbox, 'processed', 'rewritten.csv.summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'Complete', summary: { polls: { read: 6561, rejected: 5 } } });
    expect(summary.import_id).not.toBe(first.import_id);
  });
});
