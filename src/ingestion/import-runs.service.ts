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
import { JobSet, LeasedJobs } from '../jobs/leased-jobs';
import { MetricsService } from '../metrics/metrics.service';
import { ImportedPolls, MonitorService, PreparedEvaluation } from '../monitor/monitor.service';
import { ImportFile, ImportRunRecord, ImportRunRepository, ImportSource } from '../repositories/import-run.repository';
import { StoreRepository } from '../repositories/store.repository';
import type { RecentPolls } from '../monitor/recent-polls';
import { ImportSummaryDto } from './dto/import-summary.dto';
import { ImportAdmission, ImportTicket } from './import-admission';
import { removeStaleSpools } from './spool-feed-files';
import { EarlyImports, FeedFiles, ImportProgress, IngestionService, newProgress } from './ingestion.service';

/** Progress (bytes read) is written this often; it is also the run's heartbeat. */
const PROGRESS_EVERY_MS = 500;
/** A long import says how far it is this often in the log. */
const LOG_EVERY_MS = 5000;
const IMPORT_ID = /^[A-Za-z0-9_-]{22}$/;
/** How often an end not recorded for a lost database is tried again. */
const RECORD_AGAIN_MS = 2000;
/** An upload refused for load is told to come back after this many seconds. */
const RETRY_AFTER_S = 5;

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
 * Every import (HTTP, CLI, inbox) as a tracked run in `import_run`, a leased job this instance
 * owns from its start (`jobs/leased-jobs.ts`): recorded with its files when it starts, its
 * progress written as it goes (which is also its heartbeat), and its summary or reason when it
 * ends. On shutdown (HTTP service) running imports get SHUTDOWN_GRACE_S to finish; the rest stop
 * between batches and are recorded as Interrupted with what they wrote. Runs whose owner went
 * silent (a crash) are not taken over but marked Interrupted by a live instance's sweep.
 */
@Injectable()
export class ImportRunsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportRunsService.name);
  private readonly active: JobSet;
  /** IMPORT_CONCURRENCY imports at once; IMPORT_QUEUE uploads wait for a slot (see ImportAdmission). */
  readonly admission: ImportAdmission;

  constructor(
    private readonly ingestion: IngestionService,
    private readonly runs: ImportRunRepository,
    private readonly metrics: MetricsService,
    private readonly sql: SqlClient,
    private readonly monitor: MonitorService,
    private readonly stores: StoreRepository,
    jobs: LeasedJobs,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.admission = new ImportAdmission(
      config.get('IMPORT_CONCURRENCY', { infer: true }),
      config.get('IMPORT_QUEUE', { infer: true }),
      RETRY_AFTER_S,
    );
    this.active = jobs.tracked({
      label: 'import',
      logger: this.logger,
      beatEveryMs: PROGRESS_EVERY_MS,
      stopReason: () => new InterruptedError('the service is stopping'),
      sweepStale: async (staleBeforeMs, nowMs) => {
        const n = await this.runs.interruptStale(
          staleBeforeMs,
          'this import ended without recording its end (its instance stopped, or lost the database); what it wrote stays (imports are idempotent): run it again',
          nowMs,
        );
        if (n === 0) return;
        this.logger.warn(`marked ${n} import(s) of stopped instances Interrupted`);
        // A polls writer records its stores' latest polls after its loads: a crash leaves them behind.
        const moved = await this.stores.refreshLatestPolls();
        if (moved > 0) this.logger.warn(`read the latest poll of ${moved} store(s) again from the polls they left`);
      },
    });
  }

  /** Marks the runs of stopped instances Interrupted, now and every lease (the HTTP service only). */
  startSweeping(): void {
    this.active.start();
    void removeStaleSpools().then(
      (n) => n > 0 && this.logger.warn(`removed ${n} upload folder(s) left by stopped processes`),
      (error: Error) => this.logger.warn(`could not look for stale upload folders: ${error.message}`),
    );
  }

  /**
   * Records a run and checks its files; a refused file fails the run (FeedRefusedError, nothing
   * written). Otherwise the import runs on once `ticket` holds a slot (the run is Running with
   * progress 0 meanwhile): `done` settles when it ends, and the ticket is released then.
   * `early` (earlyStarts) are cancelled when it throws, and by the run where it does not use them.
   */
  async start(source: ImportSource, files: RunFile[], ticket?: ImportTicket, early: EarlyImports = {}): Promise<StartedImport> {
    try {
      const run = await this.newRun(source, files);
      await this.runs.insert(run);
      return await this.begin(run, files, ticket, undefined, early);
    } catch (error) {
      await cancelEarly(early);
      throw error;
    }
  }

  /**
   * An upload's hours and zones started as each file arrives (see IngestionService.startEarly),
   * while the rest of the body does; only when `ticket` holds a slot, so that nothing waits in
   * the queue with its threads and connections. Hand `started` to `start`, or `cancel` it.
   */
  earlyStarts(ticket: ImportTicket): { onFile: (file: RunFile) => void; started: EarlyImports; cancel: () => Promise<void> } {
    const started: EarlyImports = {};
    return {
      started,
      onFile: ({ feed, path }) => {
        if (feed !== 'polls' && ticket.holdsSlot) started[feed] = this.ingestion.startEarly(feed, path);
      },
      cancel: () => cancelEarly(started),
    };
  }

  /**
   * Runs an import whose run is already recorded and owned (an inbox file's claim); without a
   * ticket, it waits for a slot. `check`, when given, runs once the files are imported and before
   * the run is Complete: what it throws fails the run (an inbox file changed meanwhile). When it
   * throws, `early` is its caller's to cancel (start does).
   */
  async begin(
    run: ImportRunRecord,
    files: RunFile[],
    ticket: ImportTicket = this.admission.enter(),
    check?: () => Promise<void>,
    early: EarlyImports = {},
  ): Promise<StartedImport> {
    this.metrics.importStarted(run.source);
    const paths: FeedFiles = Object.fromEntries(files.map((f) => [f.feed, f.path]));
    try {
      await this.ingestion.checkFiles(paths);
    } catch (error) {
      await this.end(run, 'Failed', null, (error as Error).message, 0);
      ticket.release();
      throw error;
    }
    const progress = newProgress();
    const done = this.active.run(
      run.id,
      (lease) => this.execute(run, paths, progress, lease.signal, ticket, check, early),
      this.progressBeat(run, progress),
    );
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
      stoppedAt: null,
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
    stoppedAt: unknown = null,
  ) {
    const outcome = status === 'Complete' ? 'complete' : status === 'Failed' ? 'failed' : 'interrupted';
    this.metrics.importEnded(run.source, outcome, (Date.now() - run.createdAtMs) / 1000);
    for (const [feed, counts] of Object.entries((summary ?? {}) as Record<string, Record<string, number>>)) {
      this.metrics.rowsImported(feed, counts);
    }
    const completedAtMs = Date.now();
    const finish = () => this.runs.finish(run.id, INSTANCE_ID, { status, summary, error, bytesRead, completedAtMs, stoppedAt });
    try {
      // Retried (bounded) through a short outage: a run left Running is only marked Interrupted
      // by the sweep, a lease later, without its summary.
      const recorded = await withRetry(finish, {
        what: `the end of import ${run.id}`,
        tries: 4,
        onRetry: (m) => this.logger.warn(m),
      });
      if (!recorded)
        this.logger.warn(`import ${run.id}: its end (${status}) was not recorded: the run is no longer this instance's`);
    } catch (failure) {
      // The import's own outcome matters more to its caller than the record of it, which is
      // tried again in the background until the database is back (see recordLater).
      this.logger.error(`import ${run.id}: its end (${status}) was not recorded yet: ${(failure as Error).message}`);
      this.recordLater(run.id, status, finish);
    }
  }

  /**
   * An end not recorded for a lost database: tried again every RECORD_AGAIN_MS while this process
   * lives, so that the run keeps what it wrote and where it stopped (the sweep, meanwhile, may
   * have marked it Interrupted without them).
   */
  private recordLater(id: string, status: string, finish: () => Promise<boolean>): void {
    const timer = setInterval(() => {
      finish().then(
        (recorded) => {
          clearInterval(timer);
          if (recorded) this.logger.log(`import ${id}: its end (${status}) is recorded`);
          else this.logger.warn(`import ${id}: its end (${status}) was not recorded: the run was taken again`);
        },
        () => undefined, // still unreachable: the next tick tries again
      );
    }, RECORD_AGAIN_MS);
    timer.unref();
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

  beforeApplicationShutdown(): Promise<void> {
    return this.active.stop();
  }

  /** The run's heartbeat: its bytes read, written every PROGRESS_EVERY_MS; and every LOG_EVERY_MS a line in the log. */
  private progressBeat(run: ImportRunRecord, progress: ImportProgress): (nowMs: number) => Promise<void> {
    const started = Date.now();
    let logged = started;
    return async (now) => {
      if (now - logged >= LOG_EVERY_MS) {
        logged = now;
        const share = run.bytesTotal > 0 ? Math.floor((100 * progress.bytesRead) / run.bytesTotal) : 0;
        const rate = Math.round(progress.rowsRead / ((now - started) / 1000));
        this.logger.log(`import ${run.id}: ${share} % (${progress.bytesRead} of ${run.bytesTotal} bytes), ${rate} rows/s`);
      }
      // A run no longer this instance's goes on: its end is recorded only if it still is (finish).
      await this.runs
        .progress(run.id, INSTANCE_ID, progress.bytesRead, now)
        .catch((error: Error) => this.logger.warn(`import ${run.id}: progress not recorded: ${error.message}`));
    };
  }

  /**
   * The live monitor evaluated at the as_of the import leaves (SPEC §5). Its failure does not
   * fail the import (the data is in): the next import, or an instance's periodic check, evaluates.
   */
  private async evaluateMonitor(id: string, imported?: ImportedPolls, prepared?: PreparedEvaluation | null): Promise<void> {
    try {
      await this.monitor.evaluate({ imported, prepared });
    } catch (error) {
      this.logger.warn(`import ${id}: the live monitor was not evaluated: ${(error as Error).message}`);
    }
  }

  /** What the monitor's evaluation needs to know of the database before a polls file is written (ImportedPolls). */
  private async beforePolls(id: string): Promise<Pick<ImportedPolls, 'latestBefore' | 'othersBefore'> | null> {
    try {
      const othersBefore = await this.runs.othersState(id);
      return { othersBefore, latestBefore: await this.stores.latestByStore() };
    } catch {
      return null; // the evaluation reads every store's polls, as after any import
    }
  }

  /** Runs a checked import to its end, which it records: Complete, Interrupted (signal) or Failed. */
  private async execute(
    run: ImportRunRecord,
    paths: FeedFiles,
    progress: ImportProgress,
    signal: AbortSignal,
    ticket: ImportTicket,
    check: (() => Promise<void>) | undefined,
    early: EarlyImports,
  ): Promise<ImportSummaryDto> {
    const started = Date.now();
    try {
      await slotOf(ticket, signal);
      // The stores' latest polls before this file's: the evaluation then reads none of its polls again.
      let imported: ImportedPolls | undefined;
      // The stores whose polls are all the import's are evaluated while its last polls are written.
      let prepared: Promise<PreparedEvaluation | null> = Promise.resolve(null);
      const before = paths.polls === undefined ? null : await this.beforePolls(run.id);
      const recent = before && {
        spanUs: this.monitor.lookbackUs,
        onRecent: (polls: RecentPolls) => {
          imported = { importId: run.id, recent: polls, ...before };
          prepared = this.monitor.prepare(imported).catch((error: Error) => {
            this.logger.warn(`import ${run.id}: the live monitor was not evaluated ahead: ${error.message}`);
            return null;
          });
        },
      };
      const summary = await this.ingestion.importChecked(paths, { progress, signal, early, recent: recent ?? undefined });
      await check?.();
      await this.evaluateMonitor(run.id, imported, await prepared);
      await this.end(run, 'Complete', summary, null, run.bytesTotal);
      this.logger.log(`import ${run.id}: complete in ${Date.now() - started} ms`);
      return summary;
    } catch (caught) {
      throw signal.aborted ? await this.interrupted(run, progress) : await this.failed(run, progress, caught as Error);
    } finally {
      await cancelEarly(early); // those the import did not reach (it was stopped while waiting for its slot)
      ticket.release();
      this.ingestion.refillWorkers();
      await this.sql.checkpoint().catch((error: Error) => this.logger.warn(`import ${run.id}: checkpoint: ${error.message}`));
    }
  }

  /** Records a run stopped by the shutdown as Interrupted; returns the error its caller gets. */
  private async interrupted(run: ImportRunRecord, progress: ImportProgress): Promise<InterruptedError> {
    const why = 'the service stopped during this import; what it wrote stays (imports are idempotent): run it again';
    await this.end(run, 'Interrupted', progress.summary, why, progress.bytesRead, stoppedAtOf(progress));
    this.logger.warn(`import ${run.id}: interrupted at ${progress.bytesRead} of ${run.bytesTotal} bytes`);
    const interrupted = new InterruptedError(`import ${run.id} was interrupted: ${why}`);
    interrupted.details = { import_id: run.id, written: progress.summary, stopped_at: stoppedAtOf(progress) };
    return interrupted;
  }

  /**
   * Records a failed run; returns the error its caller gets, which says where the import stopped
   * and what it wrote (per feed), and whether running it again helps.
   */
  private async failed(run: ImportRunRecord, progress: ImportProgress, caught: Error): Promise<Error> {
    let error = caught;
    // Where it stopped: the caller learns what was written (per feed) and the line up to which it was written.
    const unconfirmed = progress.unconfirmedRows > 0 ? { unconfirmed_rows: progress.unconfirmedRows } : {};
    const details = { import_id: run.id, written: progress.summary, stopped_at: stoppedAtOf(progress), ...unconfirmed };
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
    const stoppedWhere = details.stopped_at === null ? null : { ...details.stopped_at, ...unconfirmed };
    await this.end(run, 'Failed', progress.summary, error.message, progress.bytesRead, stoppedWhere);
    if (error instanceof ImportStoppedError) {
      this.logger.warn(`import ${run.id} failed: ${error.message}`);
    } else if (!(error instanceof FeedRefusedError)) {
      const cause = error.cause instanceof Error ? ` (last: ${error.cause.message})` : '';
      this.logger.error(`import ${run.id} failed: ${error.message}${cause}`);
    }
    return error;
  }
}

/** Polls: the line up to which rows are written; another feed: the line reading reached. */
function stoppedAtOf(progress: ImportProgress): { feed: string; line: number } | null {
  return progress.writtenTo ? { ...progress.writtenTo } : progress.reading ? { ...progress.reading } : null;
}

/** Stops the early imports that have not run, and waits for their threads to end. */
async function cancelEarly(early: EarlyImports): Promise<void> {
  await Promise.all(Object.values(early).map((e) => e.cancel()));
}

/** Waits for the ticket's import slot; rejects when the signal aborts first (the service stopping). */
function slotOf(ticket: ImportTicket, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    void ticket.ready.then(resolve);
  });
}
