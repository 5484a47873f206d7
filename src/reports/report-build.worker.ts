/**
 * Worker thread body: builds one report on a connection of its own, from one snapshot of the
 * database, and posts progress, retries and the result, so the service's event loop stays free
 * for HTTP while the engine runs.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { parseDatabaseUrl } from '../database/database-url';
import { openSqlClient } from '../database/open-sql-client';
import { buildReportInSnapshot } from './report-sources';
import { reportFailureReason } from './utils/report-failure-reason.util';

export type ReportWorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; asOfUs: number; csv: string; rowCount: number; storesWithPolls: number }
  /** An attempt failed for a lost connection: the report starts again on a new snapshot. */
  | { type: 'retry'; message: string }
  /** `message`: the short reason the report shows; `detail`: the error itself, for the log. */
  | { type: 'error'; message: string; detail: string };

// A report is background work: on Linux, where a nice value is a thread's own, this thread yields
// the CPU to the main thread's requests (GET /stores/:id stays fast while a report runs) and takes
// what they leave. Elsewhere it would lower the whole process, so it is left alone.
if (process.platform === 'linux') {
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted here: the report runs at the process's priority.
  }
}

const { asOfUs } = workerData as { asOfUs?: number };
const post = (message: ReportWorkerMessage) => parentPort!.postMessage(message);

async function main() {
  const sql = openSqlClient(parseDatabaseUrl(), { readonly: true });
  try {
    const built = await buildReportInSnapshot(sql, asOfUs, (fraction) => post({ type: 'progress', fraction }), {
      onRetry: (message) => post({ type: 'retry', message }),
    });
    post({ type: 'done', ...built });
  } finally {
    await sql.close();
  }
}

main().catch((error: Error) =>
  post({ type: 'error', message: reportFailureReason(error), detail: error?.message ?? String(error) }),
);
