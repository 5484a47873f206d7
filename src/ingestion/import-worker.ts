import { parentPort, Worker } from 'node:worker_threads';
import { DatabaseUnavailableError, FeedRefusedError, WriteConflictError } from '../common/errors/domain-errors';
import { ChangeCounts } from '../common/types/feed-rows.types';
import { parseDatabaseUrl } from '../database/database-url';
import { OpenOptions, openSqlClient } from '../database/open-sql-client';
import { SqlClient } from '../database/sql-client';
import { ReadPosition, ReadProgress } from './csv-feed.reader';
import { FeedSummary } from './feed-summary';

/** What an import tells as it goes, and how it is stopped. */
export interface ImportHooks {
  /** Bytes of the file read so far, data rows and lines read (the import's progress). */
  onRead?: ReadProgress;
  /**
   * Polls: what the writer has written, after each batch and once more when the import stops or
   * fails, with the rows sent whose write was not confirmed (PollWriter.unconfirmed), and how far
   * reading had come with the last batch written (the rows and lines whose write is confirmed).
   */
  onCounts?: (counts: ChangeCounts, unconfirmed: number, writtenTo: ReadPosition) => void;
  /** Stops the import (polls: between batches; hours and zones: before their transaction). */
  signal?: AbortSignal;
}

/** From the main thread to an import worker. */
export type ImportWorkerCommand = { type: 'stop' };

/** From an import worker to the main thread. */
export type ImportWorkerMessage =
  | { type: 'read'; bytesRead: number; rowsRead: number; linesRead: number }
  | { type: 'counts'; counts: ChangeCounts; unconfirmed: number; writtenTo: ReadPosition }
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

/**
 * Runs an import worker (`what`, e.g. 'polls import worker': polls-import.worker.ts or
 * store-feed-import.worker.ts, a feed imported on a connection of the worker's own) and resolves
 * with its summary. Its progress and counts reach
 * `hooks`; an aborted signal tells it to stop, and the import then rejects with the signal's
 * reason once the worker has stopped and told what it wrote. A domain error crosses as itself.
 */
export function runImportWorker(
  what: string,
  script: string,
  workerData: unknown,
  resourceLimits: { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number },
  { onRead, onCounts, signal }: ImportHooks,
): Promise<FeedSummary> {
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    // The worker reads DATABASE_URL from the same environment.
    const worker = new Worker(script, { workerData, resourceLimits });
    const stop = () => worker.postMessage({ type: 'stop' } satisfies ImportWorkerCommand);
    signal?.addEventListener('abort', stop, { once: true });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: ImportWorkerMessage) => {
      if (m.type === 'read') onRead?.(m.bytesRead, m.rowsRead, m.linesRead);
      else if (m.type === 'counts') onCounts?.(m.counts, m.unconfirmed, m.writtenTo);
      else if (m.type === 'done') settle(() => resolve(m.summary));
      else if (m.stopped && signal?.aborted) settle(() => reject(signal.reason as Error));
      else settle(() => reject(errorOf(m.kind, m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`${what} stopped unexpectedly (exit ${code})`))));
  });
}

/**
 * An import worker's own side (polls-import.worker.ts, store-feed-import.worker.ts): opens the
 * worker's client (every host of DATABASE_URL, the Galera session settings), runs `work` with
 * hooks that post its progress and counts, then posts the summary or the error, and closes the
 * client. A 'stop' from the main thread aborts the hooks' signal.
 */
export function serveImportWorker(
  open: OpenOptions,
  work: (sql: SqlClient, hooks: Required<ImportHooks>) => Promise<FeedSummary>,
): void {
  const port = parentPort!;
  const post = (message: ImportWorkerMessage) => port.postMessage(message);
  const stopping = new AbortController();
  port.on('message', (command: ImportWorkerCommand) => {
    if (command.type === 'stop') stopping.abort(new Error('the import was stopped'));
  });
  const hooks: Required<ImportHooks> = {
    onRead: (bytesRead, rowsRead, linesRead) => post({ type: 'read', bytesRead, rowsRead, linesRead }),
    onCounts: (counts, unconfirmed, writtenTo) => post({ type: 'counts', counts, unconfirmed, writtenTo }),
    signal: stopping.signal,
  };
  const main = async () => {
    const sql = openSqlClient(parseDatabaseUrl(), open);
    try {
      post({ type: 'done', summary: await work(sql, hooks) });
    } finally {
      await sql.close();
    }
  };
  main().catch((error: Error) =>
    post({ type: 'error', message: error.message, kind: kindOf(error), stopped: stopping.signal.aborted }),
  );
}
