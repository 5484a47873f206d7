/**
 * SQLite has one write lock per database file, which one connection of any process holds at a
 * time. These tests run the built server (and the built CLI) as separate processes on one file,
 * beside other writers: writes wait for the lock without holding the event loop (GET /health keeps
 * answering), in turn with other processes' imports, and give up after DB_LOCK_WAIT_S with a 503
 * that says the database is busy. What is asserted is what was answered, and in which order; how
 * fast GET /health answers during an import is the bench's (`npm run bench -- --health-probe`).
 */
import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '../scripts/support/http';
import { sleep } from '../scripts/support/wait';
import { writeSyntheticFeeds, WrittenFeeds } from '../src/seed/feed-files.util';
import { resolveFeedOptions } from '../src/seed/synthetic-feed';
import { Instance } from './support/instances';
import { ROOT } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

const AS_OF = '2023-03-14T18:00:00Z';

/**
 * Another process that takes the file's write lock (BEGIN IMMEDIATE and a write), holds it for
 * `ms` and commits; `taken` resolves once it holds it, `done` with the time it let go.
 */
function holdWriteLock(path: string, ms: number): { taken: Promise<void>; done: Promise<number> } {
  const body = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT OR IGNORE INTO store (store_id) VALUES ('lock-holder')").run();
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); process.stdout.write('released\\n'); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', body, path, String(ms)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const seen = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => out.includes(word) && resolve();
      child.stdout.on('data', (d) => ((out += d), check()));
      child.once('exit', (code) => (out.includes(word) ? resolve() : reject(new Error(`lock holder exited (${code}): ${out}`))));
    });
  const taken = seen('locked');
  const done = seen('released').then(async () => {
    const at = Date.now();
    if (child.exitCode === null) await once(child, 'exit');
    return at;
  });
  return { taken, done };
}

/** GET /health every 50 ms until `until` settles: each answer's status and when it came (Date.now()). */
async function probeHealth(base: string, until: Promise<unknown>): Promise<Array<{ status: number; at: number }>> {
  const answers: Array<{ status: number; at: number }> = [];
  let running = true;
  void until.finally(() => (running = false));
  const pending: Array<Promise<void>> = [];
  while (running) {
    pending.push(
      request(base, 'GET', '/health', { timeoutMs: 30_000 }).then(
        (r) => void answers.push({ status: r.status, at: Date.now() }),
        () => void answers.push({ status: 0, at: Date.now() }),
      ),
    );
    await sleep(50);
  }
  await Promise.all(pending);
  return answers;
}

/** How many answers came between `from` and `to` (Date.now() instants). */
const answeredBetween = (answers: Array<{ at: number }>, from: number, to: number) =>
  answers.filter(({ at }) => at > from && at < to).length;

/** The built CLI's import, as a process of its own. */
function cliImport(dbUrl: string, files: WrittenFeeds['files'], env: NodeJS.ProcessEnv = {}) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'dist', 'src', 'cli.js'),
      'import',
      '--polls',
      files.polls,
      '--business-hours',
      files.business_hours,
      '--timezones',
      files.timezones,
    ],
    { env: { ...process.env, DATABASE_URL: dbUrl, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

/** POST /import of the three files, from disk. */
async function httpImport(base: string, files: WrittenFeeds['files']) {
  const form = new FormData();
  form.append('polls', new Blob([readFileSync(files.polls)]), 'polls.csv');
  form.append('business_hours', new Blob([readFileSync(files.business_hours)]), 'hours.csv');
  form.append('timezones', new Blob([readFileSync(files.timezones)]), 'zones.csv');
  const res = await fetch(`${base}/import`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Distinct keys of a CSV (the columns at `key`): polls by store and time, hours by the whole row, zones by store. */
function distinctKeys(path: string, key: number[]): number {
  const lines = readFileSync(path, 'latin1').split('\n').slice(1).filter(Boolean);
  return new Set(
    lines.map((l) => {
      const fields = l.split(',');
      return key.map((i) => fields[i]).join(',');
    }),
  ).size;
}

function count(path: string, table: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const describeSqlite = TEST_DATABASES.includes('sqlite') ? describe : describe.skip;

describeSqlite('SQLite writers beside other processes', () => {
  let dir: string;
  let feeds: WrittenFeeds;
  /** About a million polls: a CLI re-import writes five batches of 200,000 back to back. */
  let large: WrittenFeeds;
  let n = 0;
  const instances: Instance[] = [];
  /** A fresh database file of its own, and a server on it. */
  const fresh = async (env: NodeJS.ProcessEnv = {}) => {
    const path = join(dir, `db-${++n}.sqlite`);
    const url = `sqlite:${path}`;
    const server = await Instance.start(`sqlite-writers-${n}`, { DATABASE_URL: url, ...env });
    instances.push(server);
    return { path, url, server };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sm-sqlite-writers-'));
    // About 400,000 polls: an import writes a few batches, each holding the lock for a while.
    feeds = await writeSyntheticFeeds(join(dir, 'feeds'), resolveFeedOptions({ stores: 1600, days: 7, seed: 'sqlite-writers' }));
    large = await writeSyntheticFeeds(join(dir, 'large'), resolveFeedOptions({ stores: 4000, days: 7, seed: 'sqlite-writers' }));
  }, 120_000);
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.stop()));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a trigger 202 as soon as another process lets go of a long write, and GET /health meanwhile', async () => {
    const { path, server } = await fresh();
    const lock = holdWriteLock(path, 3000);
    await lock.taken;
    const health = probeHealth(server.base, lock.done);
    await sleep(300);
    const sentAt = Date.now();
    const trigger = request(server.base, 'POST', '/trigger_report', {
      body: JSON.stringify({ as_of: AS_OF }),
      headers: { 'content-type': 'application/json' },
    }).then((r) => ({ ...r, at: Date.now() }));
    const [answer, releasedAt, answers] = await Promise.all([trigger, lock.done, health]);
    expect(answer.status).toBe(202);
    // It waited for the lock (the two news come by two channels: a pipe and a socket).
    expect(answer.at).toBeGreaterThanOrEqual(releasedAt - 50);
    // The wait never held the event loop: GET /health was answered while the trigger waited.
    expect(answers.every(({ status }) => status === 200)).toBe(true);
    expect(answeredBetween(answers, sentAt, releasedAt)).toBeGreaterThan(2);
    const id = (JSON.parse(answer.body.toString()) as { report_id: string }).report_id;
    expect((await server.json(`/reports/${id}`)).status).toBe(200);
  });

  it('answers 503 "the database is busy" when the lock stays taken past DB_LOCK_WAIT_S, and names no SQLite internals', async () => {
    const { path, server } = await fresh({ DB_LOCK_WAIT_S: '1' });
    const lock = holdWriteLock(path, 5000);
    await lock.taken;
    let released = false;
    void lock.done.then(() => (released = true));
    const started = Date.now();
    const answer = await request(server.base, 'POST', '/trigger_report', {
      body: JSON.stringify({ as_of: AS_OF }),
      headers: { 'content-type': 'application/json' },
    });
    const waited = Date.now() - started;
    // It gave up while the other process still held the lock, after its DB_LOCK_WAIT_S.
    const answeredWhileHeld = !released;
    await lock.done;
    expect(answer.status).toBe(503);
    expect(answeredWhileHeld).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(900);
    const body = answer.body.toString();
    expect(JSON.parse(body)).toMatchObject({
      statusCode: 503,
      message: 'the database is busy (another process is writing to it): try again shortly',
    });
    expect(body).not.toMatch(/SQLITE|sqlite|locked|\.db/);
    // Nothing half-done: the report was not recorded.
    expect((await server.json('/reports')).body.reports).toEqual([]);
  });

  it('imports through the server and the CLI into one file at once, while another process holds the lock for longer than the 10 s the service used to wait: both complete and together count every row once', async () => {
    const { path, url, server } = await fresh();
    // Longer than the 10 s busy_timeout the service had: both imports start while it holds the lock.
    const lock = holdWriteLock(path, 13_000);
    await lock.taken;
    const health = probeHealth(server.base, lock.done);
    const sentAt = Date.now();
    const [viaHttp, viaCli] = await Promise.all([httpImport(server.base, feeds.files), cliImport(url, feeds.files)]);
    const releasedAt = await lock.done;
    const answers = await health;
    expect(viaCli.stderr).not.toMatch(/SQLITE|Error/);
    expect(viaCli.code).toBe(0);
    expect(viaHttp.status).toBe(200);
    const cli = JSON.parse(viaCli.stdout) as Record<string, any>;
    const distinct = {
      polls: distinctKeys(feeds.files.polls, [0, 2]),
      business_hours: distinctKeys(feeds.files.business_hours, [0, 1, 2, 3]),
      timezones: distinctKeys(feeds.files.timezones, [0]),
    };
    const rows = {
      polls: feeds.stats.polls.rows,
      business_hours: feeds.stats.business_hours.rows,
      timezones: feeds.stats.timezones.rows,
    };
    for (const feed of ['polls', 'business_hours', 'timezones'] as const) {
      for (const summary of [viaHttp.body[feed], cli[feed]]) {
        expect(summary).toMatchObject({ read: rows[feed], rejected: 0 });
        expect(summary.inserted + summary.unchanged + summary.replaced).toBe(rows[feed]);
      }
      // Each key was new to exactly one of the two imports.
      expect(viaHttp.body[feed].inserted + cli[feed].inserted).toBe(distinct[feed]);
    }
    expect(count(path, 'poll')).toBe(distinct.polls);
    expect(count(path, 'business_hours')).toBe(distinct.business_hours);
    expect(count(path, 'store_timezone')).toBe(distinct.timezones);
    // The server waited for the lock without holding its event loop: GET /health was answered,
    // every time, while the import waited.
    expect(answers.every(({ status }) => status === 200)).toBe(true);
    expect(answeredBetween(answers, sentAt, releasedAt)).toBeGreaterThan(2);
  }, 120_000);

  it('answers triggers promptly, and GET /health, while a CLI import of another process writes polls batch after batch', async () => {
    const { url, server } = await fresh();
    expect((await cliImport(url, large.files)).code).toBe(0);
    // The same files again: every poll is there already, so the writer, not the parser, is the
    // slower, and its transactions would follow one another with no gap of their own.
    const again = cliImport(url, large.files);
    let imported = false;
    let importedAt = Infinity;
    void again.finally(() => ((imported = true), (importedAt = Date.now())));
    const startedAt = Date.now();
    const health = probeHealth(server.base, again);
    const answeredAt: number[] = [];
    while (!imported) {
      const answer = await request(server.base, 'POST', '/trigger_report', {
        body: JSON.stringify({ as_of: AS_OF }),
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(202);
      answeredAt.push(Date.now());
      await sleep(100);
    }
    const [cli, answers] = await Promise.all([again, health]);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).polls).toMatchObject({ read: large.stats.polls.rows, inserted: 0 });
    // Each waits for the writer's transaction under way (200,000 polls), not for the rest of the
    // import: triggers one after the other were answered while the import went on.
    expect(answeredAt.filter((at) => at < importedAt).length).toBeGreaterThan(5);
    // And the server kept answering meanwhile.
    expect(answers.every(({ status }) => status === 200)).toBe(true);
    expect(answeredBetween(answers, startedAt, importedAt)).toBeGreaterThan(5);
  }, 120_000);
});
