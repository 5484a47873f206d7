import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RecentPollsCollector } from '../monitor/recent-polls';
import { PollRepository } from '../repositories/poll/poll.repository';
import { ReadPosition, readPollsInBackground } from './csv-feed.reader';
import { FeedSummary } from './feed-summary';
import { WorkerSpec } from '../common/spare-workers';
import { EarlyImport, ImportHooks, startImportWorker } from './import-worker';

/** What a polls import tells as it goes, and how it is stopped. */
export interface PollsImportHooks extends ImportHooks {
  /** When the import started (ms since the epoch, default now): polls an hour later are rejected. */
  importStartMs?: number;
  /** With `onRecent`: the span of the recent polls kept (the live monitor's lookback). */
  recentSpanUs?: number;
}

/**
 * Imports a polls file through a writer of `polls`: the file is parsed and its batches prepared in
 * the parser worker while this thread writes the batch before. Returns the summary with the counts.
 */
export async function importPollsFile(polls: PollRepository, path: string, hooks: PollsImportHooks = {}): Promise<FeedSummary> {
  hooks.signal?.throwIfAborted();
  const writer = await polls.openWriter();
  // How far reading had come with each batch handed on; the writer says how many are written (a
  // writer may confirm a batch only with the next one's write).
  const readTo: ReadPosition[] = [];
  const tell = () =>
    hooks.onCounts?.(
      { ...writer.counts },
      writer.unconfirmed,
      readTo[writer.batchesWritten - 1] ?? { rowsRead: 0, linesRead: 1 },
    );
  tell();
  const recent = hooks.onRecent && hooks.recentSpanUs !== undefined ? new RecentPollsCollector(hooks.recentSpanUs) : null;
  // Told once the file is parsed whole and the import may write, while its last batches still
  // load: the live monitor's evaluation ahead (MonitorService.prepare) runs beside them.
  let parsedAll: () => void = () => undefined;
  const recentTold =
    recent &&
    new Promise<void>((resolve) => (parsedAll = resolve))
      .then(() => hooks.ready)
      .then(() => {
        const kept = recent.result();
        if (kept) hooks.onRecent!(kept);
      });
  recentTold?.catch(() => undefined); // awaited below; a stopped import tells nothing
  try {
    const summary = await readPollsInBackground(
      path,
      writer.batchSize,
      async (batch, position) => {
        await hooks.ready;
        hooks.signal?.throwIfAborted();
        readTo.push(position);
        await writer.write(batch);
        tell();
      },
      { onProgress: hooks.onRead, importStartMs: hooks.importStartMs },
      { onParsed: (batch) => recent?.add(batch), onParsedAll: () => parsedAll() },
    );
    await hooks.ready;
    await recentTold;
    const counts = await writer.finish();
    return Object.assign(summary, counts);
  } catch (error) {
    await writer.abort();
    tell(); // every batch settled: what the database holds
    throw error;
  }
}

/** The compiled worker; null when running from TypeScript sources (jest), then the import runs in-thread. */
export const POLLS_IMPORT_WORKER: WorkerSpec | null = existsSync(join(__dirname, 'polls-import.worker.js'))
  ? {
      script: join(__dirname, 'polls-import.worker.js'),
      // Bounds, so that memory stays flat whatever the file's size: the batches' arrays live outside
      // the JS heap, and what is on it (a batch's store ids, statements) is a few MB.
      options: { resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 } },
    }
  : null;

/**
 * Starts importing a polls file in a worker thread with a connection of its own (which starts the
 * parser worker in turn), so that writing never holds this thread's event loop: SQLite writes
 * synchronously, half a second per batch. It writes nothing until `run`: started while the feeds
 * before it are written, it has loaded, connected and read its first batches by then. The worker
 * posts its progress and its writer's counts with each batch; an aborted signal tells it to stop
 * between batches, and `run` rejects with the signal's reason once the worker has stopped and
 * told what it wrote. Without the compiled worker, `run` runs importPollsFile here.
 */
export function startPollsImport(
  polls: PollRepository,
  path: string,
  options: { importStartMs: number; recentSpanUs?: number },
): EarlyImport {
  if (POLLS_IMPORT_WORKER === null) {
    return { run: (hooks) => importPollsFile(polls, path, { ...hooks, ...options }), cancel: () => Promise.resolve() };
  }
  return startImportWorker('polls import worker', POLLS_IMPORT_WORKER, { path, ...options });
}
