import { parentPort } from 'node:worker_threads';
import { DatabaseUnavailableError, FeedRefusedError, WriteConflictError } from '../common/errors/domain-errors';
import { ChangeCounts } from '../common/types/feed-rows.types';
import type { RecentPolls } from '../monitor/recent-polls';
import { parseDatabaseUrl } from '../database/database-url';
import { OpenOptions, openSqlClient } from '../database/open-sql-client';
import { SqlClient } from '../database/sql-client';
import { takeWorker, WorkerSpec } from '../common/spare-workers';
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
  /**
   * Polls: the file's recent polls (RecentPolls), told once the file is parsed whole, while its
   * last batches are still written: what the live monitor's evaluation ahead starts from
   * (MonitorService.prepare); used only once the import has succeeded.
   */
  onRecent?: (recent: RecentPolls) => void;
  /** Stops the import (polls: between batches; hours and zones: before their commit). */
  signal?: AbortSignal;
  /**
   * Nothing is committed before it resolves (an import started ahead of its turn: startImportWorker;
   * hours and zones write ahead, in a transaction that waits for it: StoresService.writeInTurn).
   */
  ready?: Promise<void>;
}

/** From the main thread to an import worker: its work first (it may have been started spare), then go or stop. */
export type ImportWorkerCommand = { type: 'start'; data: unknown } | { type: 'stop' } | { type: 'go' };

/** From an import worker to the main thread. */
export type ImportWorkerMessage =
  | { type: 'read'; bytesRead: number; rowsRead: number; linesRead: number }
  | { type: 'counts'; counts: ChangeCounts; unconfirmed: number; writtenTo: ReadPosition }
  | { type: 'recent'; recent: RecentPolls }
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

/** An import worker started ahead of its turn: it loads, connects and reads, and commits nothing until `run`. */
export interface EarlyImport {
  /**
   * Lets it write; resolves with its summary. Its progress and counts reach `hooks`; an aborted
   * signal tells it to stop, and it then rejects with the signal's reason once the worker has
   * stopped and told what it wrote. A domain error crosses as itself. Call once.
   */
  run(hooks: ImportHooks): Promise<FeedSummary>;
  /** Stops it if it has not run (it has committed nothing), ignoring its outcome; resolves once its thread has ended. */
  cancel(): Promise<void>;
}

/**
 * Starts an import worker (`what`, e.g. 'polls import worker': polls-import.worker.ts or
 * store-feed-import.worker.ts, a feed imported on a connection of the worker's own; a spare if
 * one waits) on `data`. It waits for `run` before it writes anything, so that its start (its
 * connections, its first batch read) overlaps the feeds imported before it. What it tells before
 * `run` is kept: its last progress, and its end (an error, or the summary of a file with nothing
 * to write).
 */
export function startImportWorker(what: string, spec: WorkerSpec, data: unknown): EarlyImport {
  // The worker reads DATABASE_URL from the same environment.
  const worker = takeWorker(spec);
  worker.postMessage({ type: 'start', data } satisfies ImportWorkerCommand);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let hooks: ImportHooks | null = null;
  let lastRead: Extract<ImportWorkerMessage, { type: 'read' }> | null = null;
  let outcome: ImportWorkerMessage | null = null;
  let settle: ((m: ImportWorkerMessage | Error) => void) | null = null;
  let ended = false;
  const end = (m: ImportWorkerMessage | Error) => {
    if (ended) return;
    if (settle === null) {
      outcome ??= m instanceof Error ? { type: 'error', message: m.message, kind: 'other', stopped: false } : m;
      return;
    }
    ended = true;
    settle(m);
    void worker.terminate();
  };
  worker.on('message', (m: ImportWorkerMessage) => {
    if (m.type === 'read') {
      if (hooks === null) lastRead = m;
      else hooks.onRead?.(m.bytesRead, m.rowsRead, m.linesRead);
    } else if (m.type === 'counts') hooks?.onCounts?.(m.counts, m.unconfirmed, m.writtenTo);
    else if (m.type === 'recent') hooks?.onRecent?.(m.recent);
    else end(m);
  });
  worker.on('error', (e) => end(e));
  worker.on('exit', (code) => end(new Error(`${what} stopped unexpectedly (exit ${code})`)));

  return {
    run(given: ImportHooks): Promise<FeedSummary> {
      const { signal } = given;
      if (signal?.aborted) return this.cancel().then(() => Promise.reject(signal.reason as Error));
      hooks = given;
      if (lastRead !== null) given.onRead?.(lastRead.bytesRead, lastRead.rowsRead, lastRead.linesRead);
      return new Promise<FeedSummary>((resolve, reject) => {
        const stop = () => worker.postMessage({ type: 'stop' } satisfies ImportWorkerCommand);
        signal?.addEventListener('abort', stop, { once: true });
        settle = (m) => {
          signal?.removeEventListener('abort', stop);
          if (m instanceof Error) reject(m);
          else if (m.type === 'done') resolve(m.summary);
          else if (m.type !== 'error') reject(new Error(`${what}: unexpected message ${m.type}`));
          else if (m.stopped && signal?.aborted) reject(signal.reason as Error);
          else reject(errorOf(m.kind, m.message));
        };
        if (outcome !== null) end(outcome);
        else worker.postMessage({ type: 'go' } satisfies ImportWorkerCommand);
      });
    },
    cancel() {
      if (settle === null) {
        // Nothing was written: it stops at once, and ends when it has closed its connections.
        settle = () => undefined;
        worker.postMessage({ type: 'stop' } satisfies ImportWorkerCommand);
        if (outcome !== null) end(outcome);
        setTimeout(() => void worker.terminate(), 5000).unref();
      }
      return exited;
    },
  };
}

/**
 * An import worker's own side (polls-import.worker.ts, store-feed-import.worker.ts): once the
 * main thread has sent its `data`, opens the worker's client (every host of DATABASE_URL, the
 * Galera session settings), runs `work` with hooks that post its progress and counts, then posts
 * the summary or the error, and closes the client. Its writes wait for a 'go' from the main
 * thread (the hooks' `ready`); a 'stop' aborts the hooks' signal.
 */
export function serveImportWorker<Data>(
  open: OpenOptions,
  work: (sql: SqlClient, hooks: Required<ImportHooks>, data: Data) => Promise<FeedSummary>,
): void {
  const port = parentPort!;
  const post = (message: ImportWorkerMessage) => port.postMessage(message);
  const stopping = new AbortController();
  let go!: () => void;
  const ready = new Promise<void>((resolve, reject) => {
    go = resolve;
    stopping.signal.addEventListener('abort', () => reject(stopping.signal.reason as Error), { once: true });
  });
  ready.catch(() => undefined); // awaited (and thrown) by the work
  const hooks: Required<ImportHooks> = {
    onRead: (bytesRead, rowsRead, linesRead) => post({ type: 'read', bytesRead, rowsRead, linesRead }),
    onCounts: (counts, unconfirmed, writtenTo) => post({ type: 'counts', counts, unconfirmed, writtenTo }),
    onRecent: (recent) =>
      port.postMessage({ type: 'recent', recent } satisfies ImportWorkerMessage, [
        recent.offsets.buffer,
        recent.timestampUs.buffer,
        recent.active.buffer,
      ] as ArrayBuffer[]),
    signal: stopping.signal,
    ready,
  };
  const main = async (data: Data) => {
    const sql = openSqlClient(parseDatabaseUrl(), open);
    try {
      post({ type: 'done', summary: await work(sql, hooks, data) });
    } finally {
      await sql.close();
    }
  };
  const start = (data: Data) =>
    main(data).catch((error: Error) =>
      post({ type: 'error', message: error.message, kind: kindOf(error), stopped: stopping.signal.aborted }),
    );
  port.on('message', (command: ImportWorkerCommand) => {
    if (command.type === 'start') void start(command.data as Data);
    else if (command.type === 'go') go();
    else stopping.abort(new Error('the import was stopped'));
  });
}
