import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import {
  DatabaseUnavailableError,
  FeedRefusedError,
  ImportStoppedError,
  InterruptedError,
  InvalidInputError,
  NotFoundError,
  WriteConflictError,
} from '../common/errors/domain-errors';
import { FeedName } from '../common/types/feed-rows.types';
import { decodeCursor } from '../common/utils/decode-cursor.util';
import { encodeCursor } from '../common/utils/encode-cursor.util';
import { INSTANCE_ID } from '../common/instance-id';
import { EnvironmentVariables } from '../config/env.validation';
import { withRetry } from '../database/retrying';
import { SqlClient } from '../database/sql-client';
import { MetricsService } from '../metrics/metrics.service';
import { ImportFile, ImportRunRecord, ImportRunRepository, ImportSource } from '../repositories/import-run.repository';
import { ImportSummaryDto } from './dto/import-summary.dto';
import { removeStaleSpools } from './spool-feed-files';
import { FeedFiles, ImportProgress, IngestionService, newProgress } from './ingestion.service';

/** Progress (bytes read) is written this often; it is also the run's heartbeat. */
const PROGRESS_EVERY_MS = 500;
/** A long import says how far it is this often in the log. */
const LOG_EVERY_MS = 5000;
const IMPORT_ID = /^[A-Za-z0-9_-]{22}$/;

/** A file to import: its feed, where it is, and the name to record. */
export interface RunFile {
  feed: FeedName;
  path: string;
  name: string;
}

export interface StartedImport {
  id: string;
  /** How far it has come (live). */
  progress: ImportProgress;
  /** Settles with the summary, or rejects (FeedRefusedError, InterruptedError, or the failure). */
  done: Promise<ImportSummaryDto>;
}

/**
 * Every import (HTTP, CLI, inbox) as a tracked run in `import_run`: recorded with its files when
 * it starts, its progress written as it goes (which is also its heartbeat), and its summary or
 * reason when it ends. On shutdown (HTTP service) running imports get SHUTDOWN_GRACE_S to
 * finish; the rest stop between batches and are recorded as Interrupted with what they wrote.
 * Runs whose owner went silent (a crash) are marked Interrupted by a live instance.
 */
@Injectable()
export class ImportRunsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportRunsService.name);
  private readonly active = new Map<string, { abort: AbortController; done: Promise<unknown> }>();
  private readonly leaseMs: number;
  private readonly graceMs: number;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly ingestion: IngestionService,
    private readonly runs: ImportRunRepository,
    private readonly metrics: MetricsService,
    private readonly sql: SqlClient,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.leaseMs = config.get('REPORT_LEASE_S', { infer: true }) * 1000;
    this.graceMs = config.get('SHUTDOWN_GRACE_S', { infer: true }) * 1000;
  }

  /** Marks the runs of stopped instances Interrupted, now and every lease (the HTTP service only). */
  startSweeping(): void {
    const sweep = () =>
      void this.runs
        .interruptStale(
          Date.now() - this.leaseMs,
          'this import ended without recording its end (its instance stopped, or lost the database); what it wrote stays (imports are idempotent): run it again',
          Date.now(),
        )
        .then((n) => n > 0 && this.logger.warn(`marked ${n} import(s) of stopped instances Interrupted`))
        .catch((error: Error) => this.logger.warn(`could not look for interrupted imports: ${error.message}`));
    sweep();
    this.sweepTimer = setInterval(sweep, this.leaseMs);
    void removeStaleSpools().then(
      (n) => n > 0 && this.logger.warn(`removed ${n} upload folder(s) left by stopped processes`),
      (error: Error) => this.logger.warn(`could not look for stale upload folders: ${error.message}`),
    );
  }

  /**
   * Records a run and checks its files; a refused file fails the run (FeedRefusedError, nothing
   * written). Otherwise the import runs on: `done` settles when it ends.
   */
  async start(source: ImportSource, files: RunFile[]): Promise<StartedImport> {
    const run = await this.newRun(source, files);
    await this.runs.insert(run);
    return this.begin(run, files);
  }

  /** Runs an import whose run is already recorded and owned (an inbox file's claim). */
  async begin(run: ImportRunRecord, files: RunFile[]): Promise<StartedImport> {
    this.metrics.importStarted(run.source);
    const paths: FeedFiles = Object.fromEntries(files.map((f) => [f.feed, f.path]));
    try {
      await this.ingestion.checkFiles(paths);
    } catch (error) {
      await this.end(run, 'Failed', null, (error as Error).message, 0);
      throw error;
    }
    const progress = newProgress();
    const abort = new AbortController();
    const done = this.execute(run, paths, progress, abort.signal);
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    this.active.set(run.id, { abort, done: tracked });
    void tracked.finally(() => this.active.delete(run.id));
    return { id: run.id, progress, done };
  }

  /** Builds a new run, owned by this instance, for the given files (their sizes read now). */
  async newRun(source: ImportSource, files: Array<{ feed: FeedName | null; path: string; name: string }>, inboxKey?: string) {
    const now = Date.now();
    const recorded: ImportFile[] = await Promise.all(
      files.map(async (f) => ({
        feed: f.feed,
        name: f.name,
        bytes: await stat(f.path).then(
          (s) => s.size,
          () => 0,
        ),
      })),
    );
    const run: ImportRunRecord = {
      id: randomBytes(16).toString('base64url'),
      source,
      files: recorded,
      status: 'Running',
      bytesTotal: recorded.reduce((sum, f) => sum + f.bytes, 0),
      bytesRead: 0,
      summary: null,
      error: null,
      owner: INSTANCE_ID,
      heartbeatAtMs: now,
      createdAtMs: now,
      completedAtMs: null,
      inboxKey: inboxKey ?? null,
    };
    return run;
  }

  /** Records the end of a run owned by this instance. */
  async end(
    run: ImportRunRecord,
    status: 'Complete' | 'Failed' | 'Interrupted',
    summary: unknown,
    error: string | null,
    bytesRead: number,
  ) {
    const outcome = status === 'Complete' ? 'complete' : status === 'Failed' ? 'failed' : 'interrupted';
    this.metrics.importEnded(run.source, outcome, (Date.now() - run.createdAtMs) / 1000);
    for (const [feed, counts] of Object.entries((summary ?? {}) as Record<string, Record<string, number>>)) {
      this.metrics.rowsImported(feed, counts);
    }
    try {
      // Retried (bounded) through a short outage: a run left Running is only marked Interrupted
      // by the sweep, a lease later, without its summary.
      const recorded = await withRetry(
        () => this.runs.finish(run.id, INSTANCE_ID, { status, summary, error, bytesRead, completedAtMs: Date.now() }),
        { what: `the end of import ${run.id}`, tries: 4, onRetry: (m) => this.logger.warn(m) },
      );
      if (!recorded)
        this.logger.warn(`import ${run.id}: its end (${status}) was not recorded: the run is no longer this instance's`);
    } catch (failure) {
      // The import's own outcome matters more to its caller than the record of it.
      this.logger.error(`import ${run.id}: its end (${status}) was not recorded: ${(failure as Error).message}`);
    }
  }

  async find(id: string): Promise<ImportRunRecord> {
    if (!IMPORT_ID.test(id)) throw new InvalidInputError('import_id is malformed');
    const run = await this.runs.find(id);
    if (run === null) throw new NotFoundError(`no import ${id}`);
    return run;
  }

  async list(limit: number, cursor?: string): Promise<{ runs: ImportRunRecord[]; next_cursor: string | null }> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (after === null) throw new InvalidInputError('cursor is malformed: pass the next_cursor of the page before');
    const page = await this.runs.page({ limit, after });
    return { runs: page.runs, next_cursor: page.next === null ? null : encodeCursor(page.next) };
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    if (this.active.size === 0) return;
    this.logger.log(`waiting up to ${this.graceMs / 1000} s for ${this.active.size} running import(s)`);
    let timer: NodeJS.Timeout | undefined;
    const all = Promise.all([...this.active.values()].map((a) => a.done));
    await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, this.graceMs)))]);
    clearTimeout(timer);
    for (const a of this.active.values()) a.abort.abort(new InterruptedError('the service is stopping'));
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private async execute(
    run: ImportRunRecord,
    paths: FeedFiles,
    progress: ImportProgress,
    signal: AbortSignal,
  ): Promise<ImportSummaryDto> {
    const started = Date.now();
    let logged = started;
    // The progress write under way, if any: one at a time, and awaited before the run's end is
    // recorded, so that none is still running when its caller (the CLI) closes the database.
    let recording: Promise<void> | null = null;
    const timer = setInterval(() => {
      const now = Date.now();
      recording ??= this.runs
        .progress(run.id, INSTANCE_ID, progress.bytesRead, now)
        .then(
          () => undefined,
          (error: Error) => this.logger.warn(`import ${run.id}: progress not recorded: ${error.message}`),
        )
        .finally(() => (recording = null));
      if (now - logged >= LOG_EVERY_MS) {
        logged = now;
        const share = run.bytesTotal > 0 ? Math.floor((100 * progress.bytesRead) / run.bytesTotal) : 0;
        const rate = Math.round(progress.rowsRead / ((now - started) / 1000));
        this.logger.log(`import ${run.id}: ${share} % (${progress.bytesRead} of ${run.bytesTotal} bytes), ${rate} rows/s`);
      }
    }, PROGRESS_EVERY_MS);
    const stopRecording = async () => {
      clearInterval(timer);
      await recording;
    };
    try {
      const summary = await this.ingestion.importChecked(paths, { progress, signal });
      await stopRecording();
      await this.end(run, 'Complete', summary, null, run.bytesTotal);
      this.logger.log(`import ${run.id}: complete in ${Date.now() - started} ms`);
      return summary;
    } catch (caught) {
      await stopRecording();
      if (signal.aborted) {
        const why = 'the service stopped during this import; what it wrote stays (imports are idempotent): run it again';
        await this.end(run, 'Interrupted', progress.summary, why, progress.bytesRead);
        this.logger.warn(`import ${run.id}: interrupted at ${progress.bytesRead} of ${run.bytesTotal} bytes`);
        const interrupted = new InterruptedError(`import ${run.id} was interrupted: ${why}`);
        interrupted.details = { import_id: run.id, written: progress.summary, stopped_at: progress.reading ?? null };
        throw interrupted;
      }
      let error = caught as Error;
      // Where it stopped: the caller learns what was written (per feed) and the line reading had reached.
      const details = {
        import_id: run.id,
        written: progress.summary,
        stopped_at: progress.reading ?? null,
        ...(progress.unconfirmedRows > 0 && { unconfirmed_rows: progress.unconfirmedRows }),
      };
      const where = progress.reading ? ` (${progress.reading.feed} read to line ${progress.reading.line})` : '';
      if (error instanceof WriteConflictError || error instanceof DatabaseUnavailableError) {
        // Retryable: nothing is wrong with the files, and a second run completes the import.
        error.message = `import ${run.id}${where}: ${error.message}; what it wrote stays (imports are idempotent): run it again`;
        error.details = details;
      } else if (error instanceof FeedRefusedError) {
        // Every header was accepted before anything was written: this file could not be read to its end.
        error = new ImportStoppedError(
          `import ${run.id} stopped${where}: ${error.message}; what it wrote stays (imports are idempotent): fix the file and run it again`,
        );
        (error as ImportStoppedError).details = details;
      }
      await this.end(run, 'Failed', progress.summary, error.message, progress.bytesRead);
      if (error instanceof ImportStoppedError) {
        this.logger.warn(`import ${run.id} failed: ${error.message}`);
      } else if (!(error instanceof FeedRefusedError)) {
        const cause = error.cause instanceof Error ? ` (last: ${error.cause.message})` : '';
        this.logger.error(`import ${run.id} failed: ${error.message}${cause}`);
      }
      throw error;
    } finally {
      await stopRecording();
      await this.sql.checkpoint().catch((error: Error) => this.logger.warn(`import ${run.id}: checkpoint: ${error.message}`));
    }
  }
}
