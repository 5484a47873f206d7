import { Worker } from 'node:worker_threads';

/**
 * How long the truncating step waits for a writer, or for a reader of an older snapshot, before it
 * stops early: it holds the write lock while it waits, so other writers wait as long.
 */
const TRUNCATE_WAIT_MS = 200;

/**
 * The thread's body, as source (so that it runs the same from the compiled code and from the
 * TypeScript sources under jest): a handle of its own, a checkpoint, closed.
 */
const BODY = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
try {
  db.pragma('journal_size_limit = 67108864');
  // PASSIVE copies what it can and blocks no one; TRUNCATE then has little left to do.
  db.pragma('busy_timeout = 0');
  db.pragma('wal_checkpoint(PASSIVE)');
  if (workerData.truncate) {
    db.pragma('busy_timeout = ' + workerData.waitMs);
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
} finally {
  db.close();
}
`;

/**
 * Copies SQLite's write-ahead log into the database file, on a thread of its own: after a large
 * import that is tens of MB written and synced, which would hold the main thread's event loop.
 * PASSIVE only, or (`truncate`) then empties the log too. A writer or a reader of an older
 * snapshot makes it stop early (the next one finishes).
 */
export function checkpointOffThread(path: string, truncate: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BODY, {
      eval: true,
      workerData: { path, truncate, module: require.resolve('better-sqlite3'), waitMs: TRUNCATE_WAIT_MS },
      resourceLimits: { maxOldGenerationSizeMb: 16 },
    });
    let failed: Error | undefined;
    worker.on('error', (error) => (failed = error));
    worker.on('exit', (code) =>
      failed || code !== 0 ? reject(failed ?? new Error(`the checkpoint thread stopped (exit ${code})`)) : resolve(),
    );
  });
}
