/**
 * `npm run bench -- --concurrent-imports`: 100 small polls imports sent at once to one server, on
 * each database (GitHub issue 21: imports at once are bounded per instance, IMPORT_CONCURRENCY and
 * IMPORT_QUEUE, the rest answered 429 with Retry-After). Measures the server's peak RSS (VmHWM)
 * and open file descriptors, the time to the last answer, and the answers by status (a client
 * still sending when its refusal came may see the connection closed instead: counted apart).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchArgs } from './args';
import { ROOT } from './code-under-test';
import { log, now, round } from './common';
import { Db, withDatabase } from './databases';
import { fmt, table } from './results';
import { withServer } from './server';

const IMPORTS = 100;
/** The small polls file: the test fixture (6,561 rows, 384 KB). */
const POLLS = join(ROOT, 'test', 'fixtures', 'dst-spring-2023', 'store_status.csv');

export interface ConcurrentImportsResult {
  database: Db;
  imports: number;
  byStatus: Record<string, number>;
  lastAnswerS: number;
  peakRssMb: number;
  peakFds: number;
}

export async function concurrentImportsBench(args: BenchArgs): Promise<void> {
  const dbs: Db[] = args.only ? [args.only] : ['sqlite', 'mysql'];
  await mkdir(args.dataDir, { recursive: true });
  const polls = readFileSync(POLLS);
  const results: ConcurrentImportsResult[] = [];
  for (const db of dbs) {
    const name = `${db}-concurrent-imports`;
    const result = await withDatabase(
      db,
      name,
      args,
      (url) =>
        withServer(name, url, args, async (server) => {
          let peakFds = 0;
          const sampler = setInterval(() => {
            try {
              peakFds = Math.max(peakFds, readdirSync(`/proc/${server.child.pid}/fd`).length);
            } catch {
              // the process is between states: the next sample counts
            }
          }, 20);
          const started = now();
          const statuses = await Promise.all(
            Array.from({ length: IMPORTS }, async () => {
              const form = new FormData();
              form.append('polls', new Blob([polls]), 'store_status.csv');
              try {
                const res = await fetch(`${server.base}/import`, { method: 'POST', body: form });
                await res.arrayBuffer();
                return String(res.status);
              } catch {
                // A refusal answered before the whole body was sent closes the connection: the
                // client may meet EPIPE while still sending, before it reads the answer.
                return 'connection closed while sending';
              }
            }),
          );
          const lastAnswerS = round((now() - started) / 1000, 2);
          clearInterval(sampler);
          const byStatus: Record<string, number> = {};
          for (const s of statuses) byStatus[s] = (byStatus[s] ?? 0) + 1;
          return { database: db, imports: IMPORTS, byStatus, lastAnswerS, peakRssMb: server.memory().peakMb, peakFds };
        }),
      `${args.mysqlDb}_concurrent`,
    );
    log(`${db}: ${JSON.stringify(result)}`);
    results.push(result);
  }
  await writeFile(args.out, `${JSON.stringify({ args, results }, null, 2)}\n`);
  process.stdout.write(
    `${table(
      ['database', 'imports at once', 'answers', 'last answer s', 'peak RSS MB', 'peak fds'],
      results.map((r) => [
        r.database,
        String(r.imports),
        Object.entries(r.byStatus)
          .map(([s, n]) => `${n}× ${s}`)
          .join(', '),
        fmt(r.lastAnswerS, 2),
        fmt(r.peakRssMb, 0),
        String(r.peakFds),
      ]),
    )}\n`,
  );
}
