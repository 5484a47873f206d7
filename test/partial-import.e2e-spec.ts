import { createConnection } from 'mysql2/promise';
import { Instance } from './support/instances';
import { tcpProxy } from './support/tcp-proxy';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/**
 * An import that stops part-way says exactly what it wrote: its database goes away in the middle
 * of the polls (a proxy between the built server and MariaDB cuts every connection), the answer
 * is 503 with what was written per feed, the rows whose write was not confirmed and the line
 * reading had reached; the database holds the written rows and no more than the unconfirmed ones
 * besides; and the same request run again completes the import (rows already there count as
 * unchanged).
 */
const describeOnMysql = TEST_DATABASES.includes('mysql') ? describe : describe.skip;

const STORES = 2000;
const ROWS = 600_000;

/** ROWS polls (valid, distinct) of STORES stores, an hour apart per store. */
function pollsFile(): Buffer {
  const lines = ['store_id,status,timestamp_utc'];
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    const store = i % STORES;
    const at = new Date(start + Math.floor(i / STORES) * 3_600_000).toISOString().replace('T', ' ').replace('Z', ' UTC');
    lines.push(`${1000 + store},${i % 7 === 0 ? 'inactive' : 'active'},${at.replace('.000 ', ' ')}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

describeOnMysql('an import stopped part-way (MariaDB)', () => {
  const db = new TestDatabase('mysql', 'partial');
  const server = new URL(db.url);
  let instance: Instance | undefined;
  afterAll(async () => {
    await instance?.stop();
    await db.drop();
  });

  it('answers 503 with what it wrote and where it stopped, the database holds that, and a re-run completes it', async () => {
    const proxy = await tcpProxy(server);
    await proxy.open();
    try {
      instance = await Instance.start('partial', { DATABASE_URL: `mysql://root@127.0.0.1:${proxy.port}${server.pathname}` });
      const polls = pollsFile();
      const answer = postImport(instance.base, { polls });

      // Cut the database once a good part of the file is read (the run's progress says so).
      for (;;) {
        const { body } = await instance.json<{ imports: Array<{ status: string; progress: number }> }>('/imports?limit=1');
        const run = body.imports[0];
        if (run && run.status !== 'Running') throw new Error(`the import ended before the cut: ${JSON.stringify(run)}`);
        if (run && run.progress >= 0.3) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await proxy.close();

      const res = await answer;
      const body = (await res.json()) as {
        statusCode: number;
        message: string;
        written: { polls: { read: number; inserted: number; unchanged: number; replaced: number } };
        stopped_at: { feed: string; line: number };
        unconfirmed_rows?: number;
        import_id: string;
      };
      expect(res.status).toBe(503);
      expect(body.message).toMatch(/polls read to line \d+.*what it wrote stays \(imports are idempotent\): run it again/);
      expect(body.message).not.toMatch(/ECONN|127\.0\.0\.1|SELECT|INSERT|LOAD DATA/);
      expect(body.stopped_at.feed).toBe('polls');
      expect(body.stopped_at.line).toBeGreaterThan(1);
      expect(body.stopped_at.line).toBeLessThanOrEqual(ROWS + 1);
      const written = body.written.polls;
      expect(written.inserted).toBeGreaterThan(0);
      expect(written.inserted).toBeLessThan(ROWS);
      // Every row of the file is new and distinct, one a line: the rows up to the line where
      // writing stopped (the header is line 1) are written, and some of the batch after it may be.
      expect(written.read).toBeGreaterThan(0);
      expect(written.read).toBeLessThanOrEqual(written.inserted);
      expect(body.stopped_at.line).toBe(written.read + 1);

      // What the database holds, asked directly (not through the cut proxy).
      const conn = await createConnection({ uri: db.url });
      const count = async () => Number(((await conn.query('SELECT COUNT(*) AS n FROM poll'))[0] as Array<{ n: number }>)[0].n);
      try {
        // Rows whose load was cut may have been committed before the cut, or not: the answer says
        // how many such rows there were, and the database holds the written rows plus some of them.
        const held = await count();
        expect(held).toBeGreaterThanOrEqual(written.inserted);
        expect(held).toBeLessThanOrEqual(written.inserted + (body.unconfirmed_rows ?? 0));

        await proxy.open(); // the database is back: the same request again
        let again = await postImport(instance.base, { polls });
        for (let i = 0; again.status === 503 && i < 20; i++) {
          await new Promise((resolve) => setTimeout(resolve, 500)); // the pool finds its way back
          again = await postImport(instance.base, { polls });
        }
        expect(again.status).toBe(200);
        const summary = ((await again.json()) as { polls: typeof written }).polls;
        expect(summary).toMatchObject({ read: ROWS, inserted: ROWS - held, unchanged: held, rejected: 0 });
        expect(await count()).toBe(ROWS);

        // The run's record keeps what the answer said (its end recorded once the database was back).
        let record: any;
        for (let i = 0; i < 100; i++) {
          record = (await instance.json(`/imports/${body.import_id}`)).body;
          if (record.status !== 'Running' && record.summary !== null) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(record).toMatchObject({
          status: 'Failed',
          summary: body.written,
          stopped_at: body.stopped_at,
          unconfirmed_rows: body.unconfirmed_rows ?? 0,
          error: body.message,
        });
      } finally {
        await conn.end();
      }
    } finally {
      await proxy.close().catch(() => undefined);
    }
  }, 180_000);
});
