import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { PollRepository } from '../repositories/poll/poll.repository';
import { readPollsInBackground } from './csv-feed.reader';
import { FeedSummary } from './feed-summary';

/**
 * Imports a polls file through a writer of `polls`: the file is parsed and its batches prepared in
 * the parser worker while this thread writes the batch before. Returns the summary with the counts.
 */
export async function importPollsFile(polls: PollRepository, path: string): Promise<FeedSummary> {
  const writer = await polls.openWriter();
  try {
    const summary = await readPollsInBackground(path, writer.batchSize, writer.form, (batch) => writer.write(batch));
    return Object.assign(summary, await writer.finish());
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

export type PollsImportMessage = { type: 'done'; summary: FeedSummary } | { type: 'error'; message: string; refused: boolean };

/** The compiled worker; absent when running from TypeScript sources (jest), then the import runs in-thread. */
const IMPORT_WORKER = join(__dirname, 'polls-import.worker.js');

/**
 * Imports a polls file in a worker thread with a connection of its own (which starts the parser
 * worker in turn), so that writing never holds this thread's event loop: SQLite writes
 * synchronously, half a second per batch. Without the compiled worker, runs importPollsFile here.
 */
export function importPolls(polls: PollRepository, path: string): Promise<FeedSummary> {
  if (!existsSync(IMPORT_WORKER)) return importPollsFile(polls, path);
  return new Promise((resolve, reject) => {
    // The worker reads DATABASE_URL from the same environment.
    const worker = new Worker(IMPORT_WORKER, {
      workerData: { path },
      // Bounds, so that memory stays flat whatever the file's size: the batches' arrays live outside
      // the JS heap, and what is on it (a batch's store ids, statements) is a few MB.
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 },
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: PollsImportMessage) => {
      if (m.type === 'done') settle(() => resolve(m.summary));
      else settle(() => reject(m.refused ? new FeedRefusedError(m.message) : new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`polls import worker stopped unexpectedly (exit ${code})`))));
  });
}
