/**
 * Worker thread body: imports one polls file on a connection of its own (see importPolls), and
 * posts its progress and its writer's counts with each batch, then the summary or the error
 * (serveImportWorker). A 'stop' from the main thread stops it between batches. Its parser
 * thread is started with it, so that both load while the thread waits for its file.
 */
import { keepSpareWorkers } from '../common/spare-workers';
import { PollRepository } from '../repositories/poll/poll.repository';
import { POLLS_PARSER_WORKER } from './csv-feed.reader';
import { importPollsFile } from './import-polls';
import { serveImportWorker } from './import-worker';

if (POLLS_PARSER_WORKER) keepSpareWorkers(POLLS_PARSER_WORKER);

serveImportWorker<{ path: string; importStartMs: number; recentSpanUs?: number }>(
  { bulkWrite: true },
  (sql, hooks, { path, importStartMs, recentSpanUs }) =>
    importPollsFile(new PollRepository(sql), path, { ...hooks, importStartMs, recentSpanUs }),
);
