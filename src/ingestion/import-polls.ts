import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseUnavailableError, FeedRefusedError, WriteConflictError } from '../common/errors/domain-errors';
import { ChangeCounts } from '../common/types/feed-rows.types';
import { PollRepository } from '../repositories/poll/poll.repository';
import { readPollsInBackground, ReadProgress } from './csv-feed.reader';
import { FeedSummary } from './feed-summary';

/** What a polls import tells as it goes, and how it is stopped. */
export interface PollsImportHooks {
  /** Bytes of the file read so far, and data rows read (the import's progress). */
  onRead?: ReadProgress;
  /**
   * What the writer has written: after each batch, and once more when the import stops or fails,
   * with the rows sent whose write was not confirmed (PollWriter.unconfirmed).
   */
  onCounts?: (counts: ChangeCounts, unconfirmed: number) => void;
  /** Stops the import between batches; the batches written stay, and their counts are told. */
  signal?: AbortSignal;
  /** When the import started (ms since the epoch, default now): polls an hour later are rejected. */
  importStartMs?: number;
}

/**
 * Imports a polls file through a writer of `polls`: the file is parsed and its batches prepared in
 * the parser worker while this thread writes the batch before. Returns the summary with the counts.
 */
export async function importPollsFile(polls: PollRepository, path: string, hooks: PollsImportHooks = {}): Promise<FeedSummary> {
  hooks.signal?.throwIfAborted();
  const writer = await polls.openWriter();
  const tell = () => hooks.onCounts?.({ ...writer.counts }, writer.unconfirmed);
  tell();
  try {
    const summary = await readPollsInBackground(
      path,
      writer.batchSize,
      writer.form,
      async (batch) => {
        hooks.signal?.throwIfAborted();
        await writer.write(batch);
        tell();
      },
      { onProgress: hooks.onRead, importStartMs: hooks.importStartMs },
    );
    return Object.assign(summary, await writer.finish());
  } catch (error) {
    await writer.abort();
    tell(); // every batch settled: what the database holds
    throw error;
  }
}

/** From the main thread to the import worker. */
export type PollsImportCommand = { type: 'stop' };

/** From the import worker to the main thread. */
export type PollsImportMessage =
  | { type: 'read'; bytesRead: number; rowsRead: number; linesRead: number }
  | { type: 'counts'; counts: ChangeCounts; unconfirmed: number }
  | { type: 'done'; summary: FeedSummary }
  | { type: 'error'; message: string; kind: ErrorKind; stopped: boolean };

/** The domain errors that cross the thread as what they are (the HTTP layer maps them: 400, 409, 503). */
const ERROR_KINDS = { refused: FeedRefusedError, conflict: WriteConflictError, unavailable: DatabaseUnavailableError };
type ErrorKind = keyof typeof ERROR_KINDS | 'other';

export function kindOf(error: unknown): ErrorKind {
  for (const [kind, type] of Object.entries(ERROR_KINDS)) if (error instanceof type) return kind as ErrorKind;
  return 'other';
}

const errorOf = (kind: ErrorKind, message: string): Error =>
  kind === 'other' ? new Error(message) : new ERROR_KINDS[kind](message);

/** The compiled worker; absent when running from TypeScript sources (jest), then the import runs in-thread. */
const IMPORT_WORKER = join(__dirname, 'polls-import.worker.js');

/**
 * Imports a polls file in a worker thread with a connection of its own (which starts the parser
 * worker in turn), so that writing never holds this thread's event loop: SQLite writes
 * synchronously, half a second per batch. The worker posts its progress and its writer's counts
 * with each batch; an aborted `signal` tells it to stop between batches, and the import rejects
 * with the signal's reason once the worker has stopped and told what it wrote. Without the
 * compiled worker, runs importPollsFile here.
 */
export function importPolls(polls: PollRepository, path: string, hooks: PollsImportHooks = {}): Promise<FeedSummary> {
  if (!existsSync(IMPORT_WORKER)) return importPollsFile(polls, path, hooks);
  const { signal } = hooks;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    // The worker reads DATABASE_URL from the same environment.
    const worker = new Worker(IMPORT_WORKER, {
      workerData: { path, importStartMs: hooks.importStartMs ?? Date.now() },
      // Bounds, so that memory stays flat whatever the file's size: the batches' arrays live outside
      // the JS heap, and what is on it (a batch's store ids, statements) is a few MB.
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 },
    });
    const stop = () => worker.postMessage({ type: 'stop' } satisfies PollsImportCommand);
    signal?.addEventListener('abort', stop, { once: true });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: PollsImportMessage) => {
      if (m.type === 'read') hooks.onRead?.(m.bytesRead, m.rowsRead, m.linesRead);
      else if (m.type === 'counts') hooks.onCounts?.(m.counts, m.unconfirmed);
      else if (m.type === 'done') settle(() => resolve(m.summary));
      else if (m.stopped && signal?.aborted) settle(() => reject(signal.reason as Error));
      else settle(() => reject(errorOf(m.kind, m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`polls import worker stopped unexpectedly (exit ${code})`))));
  });
}
