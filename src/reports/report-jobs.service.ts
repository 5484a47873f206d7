import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DatabaseUnavailableError } from '../common/errors/domain-errors';
import { INSTANCE_ID } from '../common/instance-id';
import { formatInstantUs } from '../common/utils/format-instant-us.util';
import { EnvironmentVariables } from '../config/env.validation';
import { isDatabaseUnavailable } from '../database/is-database-unavailable';
import { isRetryable, withRetry } from '../database/retrying';
import { MetricsService } from '../metrics/metrics.service';
import { ReportRepository } from '../repositories/report.repository';
import { BuiltReport } from './build-report';
import { ReportBuildError, ReportRunnerService } from './report-runner.service';
import { reportFailureReason } from './utils/report-failure-reason.util';

/** How often an idle instance looks for reports to build (a trigger on this instance wakes it at once). */
const CLAIM_EVERY_MS = 1000;
/** Progress is written at most this often: plenty for a poller, and it costs the report nothing. */
const PROGRESS_EVERY_MS = 200;

interface Job {
  abort: AbortController;
  done: Promise<void>;
  progressSavedAt: number;
  savingProgress: boolean;
}

/**
 * Builds reports as durable jobs (the HTTP service only; CLI commands build in their own thread).
 *
 * Every Running report is owned by one instance, which proves it is alive by a heartbeat. This
 * instance claims Running reports that nobody owns, or whose owner's heartbeat is older than
 * the lease, oldest first, while it has a free slot (REPORT_CONCURRENCY). A claim is one
 * conditional UPDATE (ReportRepository.claim), so two instances never build the same report,
 * and every later write is conditional on still owning it. On shutdown it stops claiming, lets
 * running reports finish within SHUTDOWN_GRACE_S and hands back the rest.
 *
 * A database outage: the build starts again on a new snapshot (ReportRunnerService, bounded), and
 * the result or the failure is written with retries while the lease lasts; if it never goes
 * through, the report is left Running without a heartbeat, for whichever instance finds it
 * stale once the database answers again (this one included). It is never Running for ever.
 */
@Injectable()
export class ReportJobsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportJobsService.name);
  private readonly jobs = new Map<string, Job>();
  private readonly slots: number;
  private readonly leaseMs: number;
  private readonly graceMs: number;
  private started = false;
  private stopping = false;
  private claimTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  /** One claim pass at a time; a wake during a pass runs another after it. */
  private claiming: Promise<void> | null = null;
  private wakeAgain = false;
  private beating = false;

  constructor(
    private readonly reports: ReportRepository,
    private readonly runner: ReportRunnerService,
    private readonly metrics: MetricsService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.slots = config.get('REPORT_CONCURRENCY', { infer: true });
    this.leaseMs = config.get('REPORT_LEASE_S', { infer: true }) * 1000;
    this.graceMs = config.get('SHUTDOWN_GRACE_S', { infer: true }) * 1000;
  }

  /** Starts claiming and heartbeats (called by the HTTP service once it is up). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.claimTimer = setInterval(() => this.wake(), CLAIM_EVERY_MS);
    // Three beats per lease: one lost or late beat never costs a report its owner.
    this.heartbeatTimer = setInterval(() => void this.beat(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.wake();
  }

  /** Looks for work now (after a trigger, or when a slot frees). */
  wake(): void {
    if (!this.started || this.stopping) return;
    if (this.claiming !== null) {
      this.wakeAgain = true;
      return;
    }
    this.claiming = this.claimFree()
      .catch((error: Error) => this.logger.warn(`could not look for reports to build: ${error.message}`))
      .finally(() => {
        this.claiming = null;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /** How many reports this instance is building now. */
  get building(): number {
    return this.jobs.size;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    clearInterval(this.claimTimer);
    await this.claiming;
    if (this.jobs.size > 0) {
      this.logger.log(`waiting up to ${this.graceMs / 1000} s for ${this.jobs.size} running report(s)`);
      const all = Promise.all([...this.jobs.values()].map((j) => j.done));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, this.graceMs)))]);
      clearTimeout(timer);
    }
    clearInterval(this.heartbeatTimer);
    for (const job of this.jobs.values()) job.abort.abort(new Error('the instance is stopping'));
    await Promise.all([...this.jobs.values()].map((j) => j.done));
    const handedBack = await this.reports.release(INSTANCE_ID);
    if (handedBack > 0) this.logger.log(`handed back ${handedBack} unfinished report(s) to the other instances`);
  }

  private async claimFree(): Promise<void> {
    while (!this.stopping && this.jobs.size < this.slots) {
      const now = Date.now();
      const staleBefore = now - this.leaseMs;
      const candidates = await this.reports.claimable(staleBefore, this.slots - this.jobs.size + 2);
      let claimed = false;
      for (const id of candidates) {
        if (this.stopping || this.jobs.size >= this.slots) return;
        if (this.jobs.has(id)) continue;
        if (await this.reports.claim(id, INSTANCE_ID, now, staleBefore)) {
          this.run(id);
          claimed = true;
        }
      }
      if (!claimed) return; // nothing left to take (or others took it first)
    }
  }

  private run(id: string): void {
    const abort = new AbortController();
    const done = this.build(id, abort.signal).finally(() => {
      this.jobs.delete(id);
      this.metrics.reportsBuilding(this.jobs.size);
      this.wake();
    });
    this.jobs.set(id, { abort, done, progressSavedAt: 0, savingProgress: false });
    this.metrics.reportStarted();
    this.metrics.reportsBuilding(this.jobs.size);
  }

  private async build(id: string, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const report = await this.record(id, 'read it', () => this.reports.find(id));
    // Deleted meanwhile; or the database is out of reach: the lease lapses and an instance takes it again.
    if (report === undefined || report === null || report.asOfUs === null) return;
    this.logger.log(`report ${id}: building (as_of ${formatInstantUs(report.asOfUs)})`);
    let built: BuiltReport;
    try {
      built = await this.runner.build(report.asOfUs, {
        signal,
        onProgress: (progress) => this.saveProgress(id, progress),
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
      await this.record(id, 'record its failure', async (attempt) => {
        if (await this.reports.fail(id, INSTANCE_ID, reason, Date.now())) return true;
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
    const completed = await this.record(id, 'record its result', async (attempt) => {
      if (await this.reports.complete(id, INSTANCE_ID, done)) return true;
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
  private async record<T>(id: string, what: string, work: (attempt: number) => Promise<T>): Promise<T | undefined> {
    const until = Date.now() + this.leaseMs;
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
  private async saveProgress(id: string, progress: number): Promise<void> {
    const job = this.jobs.get(id);
    if (job === undefined || job.savingProgress || Date.now() - job.progressSavedAt < PROGRESS_EVERY_MS) return;
    job.savingProgress = true;
    job.progressSavedAt = Date.now();
    try {
      if (!(await this.reports.setProgress(id, INSTANCE_ID, progress, job.progressSavedAt))) this.lost(id);
    } catch (error) {
      this.logger.warn(`report ${id}: progress not recorded: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      job.savingProgress = false;
    }
  }

  /** Heartbeats for every report this instance builds; a report no longer ours is stopped. One round at a time. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      for (const id of [...this.jobs.keys()]) {
        try {
          if (!(await this.reports.heartbeat(id, INSTANCE_ID, Date.now()))) this.lost(id);
        } catch (error) {
          this.logger.warn(`report ${id}: heartbeat not recorded: ${(error as Error).message}`);
        }
      }
    } finally {
      this.beating = false;
    }
  }

  private lost(id: string): void {
    this.logger.warn(`report ${id}: no longer this instance's (taken over after a stall, or deleted); stopping its build`);
    this.jobs.get(id)?.abort.abort(new Error('the report is no longer this instance’s'));
  }
}
