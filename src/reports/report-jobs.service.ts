import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DatabaseUnavailableError } from '../common/errors/domain-errors';
import { formatInstantUs } from '../common/utils/format-instant-us.util';
import { EnvironmentVariables } from '../config/env.validation';
import { isDatabaseUnavailable } from '../database/is-database-unavailable';
import { isRetryable, withRetry } from '../database/retrying';
import { JobPool, Lease, LeasedJobs } from '../jobs/leased-jobs';
import { MetricsService } from '../metrics/metrics.service';
import { ReportRepository } from '../repositories/report.repository';
import { BuiltReport } from './build-report';
import { ReportBuildError, ReportRunnerService } from './report-runner.service';
import { reportFailureReason } from './utils/report-failure-reason.util';

/** Progress is written at most this often: plenty for a poller, and it costs the report nothing. */
const PROGRESS_EVERY_MS = 200;

/**
 * Builds reports as durable jobs (the HTTP service only; CLI commands build in their own thread).
 *
 * Every Running report is a leased row job (`jobs/leased-jobs.ts`): owned by one instance, which
 * proves it is alive by a heartbeat. This instance claims Running reports that nobody owns, or
 * whose owner's heartbeat is older than the lease, oldest first, while it has a free slot
 * (REPORT_CONCURRENCY). A claim is one conditional UPDATE (ReportRepository.claim), so two
 * instances never build the same report, and every later write is conditional on still owning
 * it. On shutdown it stops claiming, lets running reports finish within SHUTDOWN_GRACE_S and
 * hands back the rest.
 *
 * A database outage: the build starts again on a new snapshot (ReportRunnerService, bounded), and
 * the result or the failure is written with retries while the lease lasts; if it never goes
 * through, the report is left Running without a heartbeat, for whichever instance finds it
 * stale once the database answers again (this one included). It is never Running for ever.
 */
@Injectable()
export class ReportJobsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportJobsService.name);
  private readonly pool: JobPool;

  constructor(
    private readonly reports: ReportRepository,
    private readonly runner: ReportRunnerService,
    private readonly metrics: MetricsService,
    jobs: LeasedJobs,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.pool = jobs.rows(reports, (id, lease) => this.build(id, lease), {
      label: 'report',
      logger: this.logger,
      slots: config.get('REPORT_CONCURRENCY', { infer: true }),
      onCount: (running) => this.metrics.reportsBuilding(running),
    });
  }

  /** Starts claiming and heartbeats (called by the HTTP service once it is up). */
  start(): void {
    this.pool.start();
  }

  /** Looks for work now (after a trigger, or when a slot frees). */
  wake(): void {
    void this.pool.wake();
  }

  /** How many reports this instance is building now. */
  get building(): number {
    return this.pool.size;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.pool.stop();
  }

  private async build(id: string, lease: Lease): Promise<void> {
    this.metrics.reportStarted();
    const { signal } = lease;
    const started = Date.now();
    const saveProgress = this.progressSaver(id, lease);
    const report = await this.retryWithinLease(lease, 'read it', () => this.reports.find(id));
    // Deleted meanwhile; or the database is out of reach: the lease lapses and an instance takes it again.
    if (report === undefined || report === null || report.asOfUs === null) return;
    this.logger.log(`report ${id}: building (as_of ${formatInstantUs(report.asOfUs)})`);
    let built: BuiltReport;
    try {
      built = await this.runner.build(report.asOfUs, {
        signal,
        onProgress: saveProgress,
        onRetry: (message) => this.logger.warn(`report ${id}: ${message}; building it again from a new snapshot`),
      });
    } catch (error) {
      if (signal.aborted) {
        this.metrics.reportEnded('handed_back', (Date.now() - started) / 1000);
        return; // handed back or lost: not a failure of the report
      }
      this.metrics.reportEnded('failed', (Date.now() - started) / 1000);
      const reason = reportFailureReason(error);
      this.logger.error(
        `report ${id} failed: ${(error as ReportBuildError)?.detail ?? (error as Error)?.message ?? String(error)}`,
      );
      await this.retryWithinLease(lease, 'record its failure', async (attempt) => {
        if (await this.reports.fail(id, lease.owner, reason, Date.now())) return true;
        // A retry after a write whose connection broke: it may have committed.
        return attempt > 1 && (await this.reports.find(id))?.status === 'Failed';
      });
      return;
    }
    // Every store known but none with a poll by then: the caller most likely mistyped as_of.
    const warning =
      built.rowCount > 0 && built.storesWithPolls === 0
        ? `as_of ${formatInstantUs(report.asOfUs)} is before every poll in the database: every figure is 0`
        : null;
    const done = { rowCount: built.rowCount, csv: built.csv, completedAtMs: Date.now(), warning };
    const completed = await this.retryWithinLease(lease, 'record its result', async (attempt) => {
      if (await this.reports.complete(id, lease.owner, done)) return true;
      return attempt > 1 && (await this.reports.find(id))?.status === 'Complete';
    });
    if (completed === true) {
      this.metrics.reportEnded('completed', (Date.now() - started) / 1000);
      this.logger.log(`report ${id}: ${built.rowCount} stores in ${Date.now() - started} ms`);
    } else if (completed === false) {
      this.logger.warn(`report ${id}: built, but no longer this instance's (taken over or deleted); result dropped`);
    }
  }

  /**
   * A read or write of a report's state, run again after a lost connection, an unreachable or a
   * busy database, for as long as the lease lasts (the conditional writes are idempotent).
   * Undefined when it never went through: the report stays Running without a heartbeat, so that
   * once the database is back an instance (this one, or another) takes it over and builds it.
   */
  private async retryWithinLease<T>(lease: Lease, what: string, work: (attempt: number) => Promise<T>): Promise<T | undefined> {
    const id = lease.id;
    const until = Date.now() + lease.leaseMs;
    try {
      return await withRetry(work, {
        what: `report ${id}: ${what}`,
        tries: 1000, // bounded by the lease instead
        firstDelayMs: 200,
        maxDelayMs: 3000,
        retryable: (error) =>
          (isRetryable(error) || isDatabaseUnavailable(error) || error instanceof DatabaseUnavailableError) && Date.now() < until,
        onRetry: (message) => this.logger.warn(message),
      });
    } catch (error) {
      this.logger.error(
        `report ${id}: could not ${what} (${(error as Error)?.message ?? String(error)}); ` +
          'it stays Running until its lease lapses, then an instance builds it again',
      );
      return undefined;
    }
  }

  /** At most every PROGRESS_EVERY_MS, and one write at a time: a write that fails (the database away) is only logged. */
  private progressSaver(id: string, lease: Lease): (progress: number) => Promise<void> {
    let savedAt = 0;
    let saving = false;
    return async (progress) => {
      if (saving || lease.signal.aborted || Date.now() - savedAt < PROGRESS_EVERY_MS) return;
      saving = true;
      savedAt = Date.now();
      try {
        if (!(await this.reports.setProgress(id, lease.owner, progress, savedAt))) lease.lost();
      } catch (error) {
        this.logger.warn(`report ${id}: progress not recorded: ${(error as Error)?.message ?? String(error)}`);
      } finally {
        saving = false;
      }
    };
  }
}
