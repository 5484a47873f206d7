import { sleep } from '../scripts/support/wait';
import { Instance } from './support/instances';
import { postImport } from './support/test-app';
import { TEST_DATABASES, TestDatabase } from './support/test-database';

/** A small polls file of its own stores (`adm<k>a`, `adm<k>b`): what an import wrote is seen in GET /stores. */
const pollsOf = (k: number) =>
  `store_id,status,timestamp_utc\nadm${k}a,active,2023-01-01 10:00:00 UTC\nadm${k}b,inactive,2023-01-01 10:00:00 UTC\n`;

/**
 * An upload whose body is held open: its headers and the start of its part are sent, and the rest
 * when `finish()` is called; until then the server holds its admission (a slot, or a place in the queue).
 */
function heldUpload(base: string, k: number, query = '') {
  const boundary = `held${k}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="polls"; filename="polls${k}.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  controller.enqueue(Buffer.from(head));
  const answer = fetch(`${base}/import${query}`, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  });
  return {
    answer,
    finish() {
      controller.enqueue(Buffer.from(`${pollsOf(k)}\r\n--${boundary}--\r\n`));
      controller.close();
    },
  };
}

/**
 * Imports at once are bounded per instance: IMPORT_CONCURRENCY run, IMPORT_QUEUE more are
 * admitted to wait, and any upload beyond them is answered 429 with Retry-After before its body is
 * read: nothing of it is recorded or written, while the admitted ones complete.
 */
describe.each(TEST_DATABASES)('imports admitted per instance on %s', (kind) => {
  const db = new TestDatabase(kind, 'admission');
  let server: Instance;
  beforeAll(async () => {
    server = await Instance.start('admission', { DATABASE_URL: db.url, IMPORT_CONCURRENCY: '1', IMPORT_QUEUE: '1' });
  });
  afterAll(async () => {
    await server?.stop();
    await db.drop();
  });

  const waitForRuns = async (n: number) => {
    for (let i = 0; i < 200; i++) {
      const { body } = await server.json<{ imports: unknown[] }>('/imports?limit=100');
      if (body.imports.length >= n) return;
      await sleep(50);
    }
    throw new Error(`fewer than ${n} runs recorded`);
  };

  it('runs one, lets one wait, refuses the rest with 429 and Retry-After, writing nothing of them', async () => {
    const running = heldUpload(server.base, 1); // holds the slot while its body is received
    const waiting = heldUpload(server.base, 2, '?async=true'); // holds the place in the queue
    // Each is admitted once its handler runs: the first is recorded as soon as its body is whole.
    await sleep(1000);

    const refused = await Promise.all([3, 4, 5, 6, 7, 8].map((k) => postImport(server.base, { polls: pollsOf(k) })));
    const answers = await Promise.all(
      refused.map(async (r) => ({ status: r.status, retry: r.headers.get('retry-after'), body: (await r.json()) as any })),
    );
    for (const a of answers) {
      expect(a).toEqual({
        status: 429,
        retry: '5',
        body: {
          statusCode: 429,
          error: 'Too Many Requests',
          message: '1 import(s) running and 1 waiting on this instance: send it again in 5 s',
        },
      });
    }
    const asyncRefused = await postImport(server.base, { polls: pollsOf(9) }, '?async=true');
    expect([asyncRefused.status, asyncRefused.headers.get('retry-after')]).toEqual([429, '5']);

    // The admitted ones complete: the queued async one answers 202 at once, then runs after the first.
    waiting.finish();
    const accepted = await waiting.answer;
    expect(accepted.status).toBe(202);
    const { import_id } = (await accepted.json()) as { import_id: string };
    running.finish();
    const first = await running.answer;
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).polls).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
    let queued: any;
    for (let i = 0; i < 200; i++) {
      queued = (await server.json(`/imports/${import_id}`)).body;
      if (queued.status !== 'Running') break;
      await sleep(50);
    }
    expect(queued).toMatchObject({ status: 'Complete', summary: { polls: { read: 2, inserted: 2, rejected: 0 } } });

    // Two runs recorded, and only their stores written.
    await waitForRuns(2);
    const { body: runs } = await server.json<{ imports: Array<{ files: Array<{ name: string }>; status: string }> }>('/imports');
    expect(runs.imports.map((r) => [r.files[0].name, r.status]).sort()).toEqual([
      ['polls1.csv', 'Complete'],
      ['polls2.csv', 'Complete'],
    ]);
    const { body: stores } = await server.json<{ stores: Array<{ store_id: string }> }>('/stores?limit=100');
    expect(stores.stores.map((s) => s.store_id)).toEqual(['adm1a', 'adm1b', 'adm2a', 'adm2b']);

    // Once the slot is free again, an upload is taken.
    const later = await postImport(server.base, { polls: pollsOf(10) });
    expect(later.status).toBe(200);
  }, 60_000);
});
