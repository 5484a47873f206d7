import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { SqlClient } from '../../src/database/sql-client';
import { DbKind, TestDatabase } from './test-database';
import { CLEAR_DATA } from './test-sql';

export const ROOT = join(__dirname, '..', '..');
export const FIXTURE_DIR = join(ROOT, 'test', 'fixtures', 'dst-spring-2023');
export const FIXTURE = {
  polls: join(FIXTURE_DIR, 'store_status.csv'),
  business_hours: join(FIXTURE_DIR, 'menu_hours.csv'),
  timezones: join(FIXTURE_DIR, 'timezones.csv'),
  expected: join(FIXTURE_DIR, 'expected_report.csv'),
};

/** The real HTTP server on a free port, on the given database. */
export async function startApp(db: TestDatabase): Promise<{ app: NestFastifyApplication; base: string; sql: SqlClient }> {
  process.env.DATABASE_URL = db.url;
  const app = await createApp({ logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, base: `http://127.0.0.1:${port}`, sql: app.get(SqlClient) };
}

/** Empties every data table (the schema stays), in one transaction. */
export function clearData(sql: SqlClient): Promise<void> {
  return sql.transaction(async (tx) => {
    for (const statement of CLEAR_DATA) await tx.run(statement);
  });
}

/** Runs the built CLI (npm test builds first) as a user would, on the given database. */
export function runCli(db: TestDatabase, args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), ...args], {
    env: { ...process.env, DATABASE_URL: db.url },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Posts feed files as multipart/form-data, as a browser or curl would. */
export async function postImport(base: string, files: Record<string, string | Buffer>, query = ''): Promise<Response> {
  const form = new FormData();
  for (const [field, content] of Object.entries(files)) {
    form.append(field, new Blob([content]), `${field}.csv`);
  }
  return fetch(`${base}/import${query}`, { method: 'POST', body: form });
}

/** Parses a report CSV into its header and rows keyed by store id. */
export function parseReport(csv: string): { header: string; ids: string[]; rows: Map<string, number[]> } {
  const lines = csv.trimEnd().split('\n');
  const rows = new Map<string, number[]>();
  for (const line of lines.slice(1)) {
    const [id, ...figures] = line.split(',');
    rows.set(id, figures.map(Number));
  }
  return { header: lines[0], ids: [...rows.keys()], rows };
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

export interface TestApp {
  db: TestDatabase;
  app: NestFastifyApplication;
  base: string;
  /**
   * The app's own client. A test's SQL goes through it, never through a handle of its own: on
   * SQLite a second handle in this process waits for the write lock synchronously, holding the
   * event loop that the app's open transaction needs to finish (locked until the wait times out).
   */
  sql: SqlClient;
  /** Closes the server and starts a new one on the same database (a restart). */
  restart(): Promise<void>;
}

/**
 * Registers the hooks of an integration suite: one real server on a fresh database for the
 * suite, the data emptied before each test, everything dropped after.
 */
export function useTestApp(kind: DbKind, name: string): TestApp {
  const ctx = {
    db: new TestDatabase(kind, name),
    async restart() {
      await ctx.app.close();
      Object.assign(ctx, await startApp(ctx.db));
    },
  } as TestApp;
  beforeAll(async () => {
    Object.assign(ctx, await startApp(ctx.db));
  });
  afterAll(async () => {
    await ctx.app?.close();
    await ctx.db.drop();
  });
  beforeEach(() => clearData(ctx.sql));
  return ctx;
}
