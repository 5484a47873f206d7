/**
 * Worker thread body: imports one polls file on a connection of its own (see importPolls), and
 * posts its progress and its writer's counts with each batch, then the summary or the error
 * (serveImportWorker). A 'stop' from the main thread stops it between batches.
 */
import { workerData } from 'node:worker_threads';
import { PollRepository } from '../repositories/poll/poll.repository';
import { importPollsFile } from './import-polls';
import { serveImportWorker } from './import-worker';

const { path, importStartMs, recentSpanUs } = workerData as { path: string; importStartMs: number; recentSpanUs?: number };

serveImportWorker({ bulkWrite: true }, (sql, hooks) =>
  importPollsFile(new PollRepository(sql), path, { ...hooks, importStartMs, recentSpanUs }),
);
