/**
 * Worker thread body: imports one polls file on a connection of its own (see importPolls) and
 * posts the summary, or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { parseDatabaseUrl } from '../database/database-url';
import { openSqlClient } from '../database/open-sql-client';
import { PollRepository } from '../repositories/poll/poll.repository';
import { importPollsFile, PollsImportMessage } from './import-polls';

const { path } = workerData as { path: string };
const post = (message: PollsImportMessage) => parentPort!.postMessage(message);

async function main() {
  const sql = openSqlClient(parseDatabaseUrl(), { bulkWrite: true });
  try {
    post({ type: 'done', summary: await importPollsFile(new PollRepository(sql), path) });
  } finally {
    await sql.close();
  }
}

main().catch((error: Error) => post({ type: 'error', message: error.message, refused: error instanceof FeedRefusedError }));
