import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { access, constants, stat } from 'node:fs/promises';
import { FeedRefusedError } from '../common/errors/domain-errors';
import { endSpareWorkers, keepSpareWorkers, refillSpareWorkers } from '../common/spare-workers';
import { FeedName } from '../common/types/feed-rows.types';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoresService } from '../stores/stores.service';
import { checkFeedHeader, ReadProgress, StoreFeed } from './csv-feed.reader';
import { ImportSummaryDto } from './dto/import-summary.dto';
import { emptyFeedSummary, FeedSummary } from './feed-summary';
import { POLLS_IMPORT_WORKER, startPollsImport } from './import-polls';
import { EarlyImport } from './import-worker';
import { STORE_FEED_WORKER, startStoreFeedImport } from './import-store-feed';
import { FEED_SPECS as SPECS } from './utils/feed-specs.util';
import type { RecentPolls } from '../monitor/recent-polls';

/** The files of one import, by feed: paths on disk. */
export type FeedFiles = Partial<Record<FeedName, string>>;

/** Hours and zones imports started before their run (startEarly), by feed. */
export type EarlyImports = Partial<Record<StoreFeed, EarlyImport>>;

/** The order feeds are imported in: zones and hours first, so that polls land on known stores. */
const FEED_ORDER: readonly FeedName[] = ['timezones', 'business_hours', 'polls'];

/** How far an import has come; updated as it goes. */
export interface ImportProgress {
  /** Bytes read of the files so far (feeds done, and of the one being read). */
  bytesRead: number;
  /** Data rows read so far. */
  rowsRead: number;
  /** Feeds done, whole; for the feed being read, what its writer has written so far. */
  summary: ImportSummaryDto;
  /**
   * The feed being read and the physical lines of it read so far (the header included; updated
   * a batch at a time): where reading stopped if the import fails. Absent between feeds.
   */
  reading?: { feed: FeedName; line: number };
  /**
   * Polls: the line up to which rows are written (confirmed), behind `reading` while batches
   * wait for the database; where the import stopped, if it fails. Absent between feeds.
   */
  writtenTo?: { feed: FeedName; line: number };
  /**
   * Rows sent to the database whose write was not confirmed when the import stopped (a lost
   * connection): the database may hold them or not. Not in `summary`.
   */
  unconfirmedRows: number;
}

export interface ImportOptions {
  progress?: ImportProgress;
  /** Stops the import between batches; what was written stays (imports are idempotent). */
  signal?: AbortSignal;
  /** Hours and zones imports of these same files started ahead (startEarly): used instead of new ones. */
  early?: EarlyImports;
  /** The polls file's recent polls (RecentPolls) within this span of its latest, told to `onRecent`. */
  recent?: { spanUs: number; onRecent: (recent: RecentPolls) => void };
}

export const newProgress = (): ImportProgress => ({ bytesRead: 0, rowsRead: 0, summary: {}, unconfirmedRows: 0 });

/** Imports the three feeds from files on disk (the CLI's paths, the API's spooled uploads, the inbox's files). */
@Injectable()
export class IngestionService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestionService.name);

  constructor(
    private readonly polls: PollRepository,
    private readonly stores: StoresService,
  ) {}

  /**
   * Keeps the import's worker threads loaded ahead (spare-workers.ts): the hours and zones of an
   * upload, its polls and their parser. The HTTP service's; a CLI import starts its own.
   */
  keepWorkersReady(): void {
    if (STORE_FEED_WORKER !== null) keepSpareWorkers(STORE_FEED_WORKER, 2);
    if (POLLS_IMPORT_WORKER !== null) keepSpareWorkers(POLLS_IMPORT_WORKER);
  }

  /** Loads again the spare threads imports have taken: call it once an import has answered. */
  refillWorkers(): void {
    refillSpareWorkers();
  }

  beforeApplicationShutdown(): Promise<void> {
    return endSpareWorkers();
  }

  /**
   * Checks every file (present, readable, header complete) so that a refused file writes
   * nothing of the request. Throws FeedRefusedError.
   */
  async checkFiles(files: FeedFiles): Promise<void> {
    for (const feed of FEED_ORDER) {
      const path = files[feed];
      if (path === undefined) continue;
      try {
        await access(path, constants.R_OK);
      } catch {
        throw new FeedRefusedError(`${feed} file ${path} is missing or unreadable`);
      }
      if (!(await stat(path)).isFile()) throw new FeedRefusedError(`${feed} file ${path} is not a file (a directory?)`);
      await checkFeedHeader(path, SPECS[feed]);
    }
  }

  /**
   * Starts importing an hours or zones file before its run (an upload's, while the rest of the
   * body arrives): its worker loads, connects and reads the file, and commits nothing until the
   * run's importChecked lets it. Cancel it when the run does not start.
   */
  startEarly(feed: StoreFeed, path: string): EarlyImport {
    return startStoreFeedImport(this.stores, path, feed);
  }

  /**
   * Imports zones, hours and polls of files already checked, in that order (each feed commits once
   * the one before it is written), all three started at once: each loads, connects and reads its
   * file meanwhile (see startImportWorker).
   */
  async importChecked(files: FeedFiles, options: ImportOptions = {}): Promise<ImportSummaryDto> {
    const progress = options.progress ?? newProgress();
    // Polls later than an hour after this are rejected as in the future.
    const importStartMs = Date.now();
    const imports: Partial<Record<FeedName, EarlyImport>> = {};
    for (const feed of FEED_ORDER) {
      const path = files[feed];
      if (path === undefined) continue;
      imports[feed] =
        feed === 'polls'
          ? startPollsImport(this.polls, path, { importStartMs, recentSpanUs: options.recent?.spanUs })
          : (options.early?.[feed] ?? startStoreFeedImport(this.stores, path, feed));
    }
    try {
      for (const feed of FEED_ORDER) {
        const path = files[feed];
        if (path === undefined) continue;
        options.signal?.throwIfAborted();
        const started = Date.now();
        const before = { bytes: progress.bytesRead, rows: progress.rowsRead };
        const reading = { feed, line: 0 };
        progress.reading = reading;
        const onRead = (bytes: number, rows: number, lines: number) => {
          progress.bytesRead = before.bytes + bytes;
          progress.rowsRead = before.rows + rows;
          reading.line = lines;
        };
        const { size } = await stat(path);
        const early = imports[feed]!;
        const summary =
          feed === 'polls'
            ? await this.runPolls(early, { onRead, progress, signal: options.signal, onRecent: options.recent?.onRecent })
            : await early.run({ onRead, signal: options.signal });
        progress.summary[feed] = summary;
        progress.bytesRead = before.bytes + size;
        progress.rowsRead = before.rows + summary.read;
        delete progress.reading;
        delete progress.writtenTo;
        this.logger.log(`${feed}: ${JSON.stringify({ ...summary, errors: undefined })} in ${Date.now() - started} ms`);
      }
      return progress.summary;
    } finally {
      // A feed failed: those after it have committed nothing. Every worker has ended when this does.
      await Promise.all(Object.values(imports).map((early) => early.cancel()));
    }
  }

  /** Lets the polls import started ahead write, and keeps the summary of what it has written. */
  private async runPolls(
    early: EarlyImport,
    {
      onRead,
      progress,
      signal,
      onRecent,
    }: { onRead: ReadProgress; progress: ImportProgress; signal?: AbortSignal; onRecent?: (recent: RecentPolls) => void },
  ): Promise<FeedSummary> {
    // Until the file is read whole, the summary of polls is what the writer has written (the
    // import's worker thread tells its counts with each batch, and once more when it stops).
    const polls = emptyFeedSummary();
    progress.summary.polls = polls;
    const writtenTo = { feed: 'polls' as const, line: 1 };
    progress.writtenTo = writtenTo;
    return early.run({
      onRead,
      onCounts: (counts, unconfirmed, confirmed) => {
        Object.assign(polls, counts);
        polls.read = confirmed.rowsRead;
        writtenTo.line = confirmed.linesRead;
        progress.unconfirmedRows = unconfirmed;
      },
      onRecent,
      signal,
    });
  }
}
