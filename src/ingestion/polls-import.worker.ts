/**
 * Worker thread body: imports one polls file on a connection of its own (see importPolls), the
 * service's client (openSqlClient: every host of DATABASE_URL, the Galera session settings), and
 * posts its progress and its writer's counts with each batch, then the summary or the error. A
 * 'stop' from the main thread stops it between batches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseDatabaseUrl } from '../database/database-url';
import { openSqlClient } from '../database/open-sql-client';
import { PollRepository } from '../repositories/poll/poll.repository';
import { importPollsFile } from './import-polls';
import { ImportWorkerCommand, ImportWorkerMessage, kindOf } from './import-worker';

const { path, importStartMs } = workerData as { path: string; importStartMs: number };
const port = parentPort!;
const post = (message: ImportWorkerMessage) => port.postMessage(message);
const stopping = new AbortController();

port.on('message', (command: ImportWorkerCommand) => {
  if (command.type === 'stop') stopping.abort(new Error('the import was stopped'));
});

async function main() {
  const sql = openSqlClient(parseDatabaseUrl(), { bulkWrite: true });
  try {
    const summary = await importPollsFile(new PollRepository(sql), path, {
      onRead: (bytesRead, rowsRead, linesRead) => post({ type: 'read', bytesRead, rowsRead, linesRead }),
      onCounts: (counts, unconfirmed) => post({ type: 'counts', counts, unconfirmed }),
      signal: stopping.signal,
      importStartMs,
    });
    post({ type: 'done', summary });
  } finally {
    await sql.close();
  }
}

main().catch((error: Error) =>
  post({
    type: 'error',
    message: error.message,
    kind: kindOf(error),
    stopped: stopping.signal.aborted,
  }),
);
