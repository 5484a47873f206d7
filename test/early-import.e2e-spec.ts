import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { bounded, sleep } from '../scripts/support/wait';
import { ROOT, runCli } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * A polls import started ahead of its turn (startImportWorker, the built polls import worker), in
 * a process of its own told by the test when to go on: it reads its file but writes nothing until
 * it is run; run, it writes every row; cancelled instead (a feed before it failed), it writes
 * nothing, closes its connections and ends, and so does its process, with nothing left running.
 */
const DRIVER = `
const [mode, path, modulePath, pollsModulePath] = process.argv.slice(1);
const { startImportWorker } = require(modulePath);
const { POLLS_IMPORT_WORKER } = require(pollsModulePath);
const early = startImportWorker('polls import worker', POLLS_IMPORT_WORKER, { path, importStartMs: Date.now() });
process.stdin.once('data', async () => {
  if (mode === 'cancel') {
    await early.cancel();
    console.log(JSON.stringify({ cancelled: true }));
    return;
  }
  let rows = 0;
  const summary = await early.run({ onRead: (_bytes, read) => (rows = read) });
  console.log(JSON.stringify({ summary, rows }));
});
`;
const MODULE = join(ROOT, 'dist', 'src', 'ingestion', 'import-worker.js');
const POLLS_MODULE = join(ROOT, 'dist', 'src', 'ingestion', 'import-polls.js');
const ROWS = 3000;

describe.each(TEST_DATABASES)('a polls import started early, on %s', (kind) => {
  const db = new TestDatabase(kind, 'early_import');
  let dir: string;
  let path: string;

  /** Starts the driver; `go()` lets it run (or cancel), and resolves with what it printed once its process has ended. */
  function driver(mode: 'run' | 'cancel') {
    const child = spawn(process.execPath, ['-e', DRIVER, mode, path, MODULE, POLLS_MODULE], {
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const ended = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return {
      go: async () => {
        child.stdin.end('go\n');
        const code = await bounded('the driver to end', 20_000, () => ended);
        expect(code).toBe(0);
        return JSON.parse(out);
      },
    };
  }

  /** Connections to the test's database other than the one asking (MariaDB). */
  async function otherConnections(): Promise<number> {
    const conn = await createConnection({ uri: db.url });
    try {
      const [rows] = await conn.query(
        'SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()',
      );
      return Number((rows as Array<{ n: number }>)[0].n);
    } finally {
      await conn.end();
    }
  }

  /** Waits until the driver's worker has connected (MariaDB; SQLite: a moment), so that it would have written by then. */
  async function untilConnected(): Promise<void> {
    if (kind === 'sqlite') return sleep(1500);
    await bounded('the worker to connect', 20_000, async () => {
      while ((await otherConnections()) < 3) await sleep(50);
    });
    await sleep(500);
  }

  beforeAll(() => {
    expect(runCli(db, ['migrate']).status).toBe(0);
    dir = mkdtempSync(join(tmpdir(), 'sm-early-import-'));
    path = join(dir, 'polls.csv');
    const lines = ['store_id,status,timestamp_utc'];
    for (let i = 0; i < ROWS; i++) {
      const at = new Date(Date.UTC(2023, 0, 1) + Math.floor(i / 3) * 3_600_000)
        .toISOString()
        .replace('T', ' ')
        .replace('.000Z', ' UTC');
      lines.push(`${i % 3},${i % 7 === 0 ? 'inactive' : 'active'},${at}`);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('cancelled before its run, writes nothing, closes its connections and ends', async () => {
    const early = driver('cancel');
    await untilConnected();
    expect(await db.countRows('poll')).toBe(0);
    expect(await early.go()).toEqual({ cancelled: true });
    if (kind === 'mysql') expect(await otherConnections()).toBe(0);
    expect(await db.countRows('poll')).toBe(0);
  });

  it('reads ahead but writes nothing until run; run, writes the file whole and tells how far it read', async () => {
    const early = driver('run');
    await untilConnected();
    expect(await db.countRows('poll')).toBe(0);
    expect(await early.go()).toEqual({
      summary: expect.objectContaining({ read: ROWS, inserted: ROWS, unchanged: 0, replaced: 0, rejected: 0 }),
      rows: ROWS,
    });
    expect(await db.countRows('poll')).toBe(ROWS);
  });
});
