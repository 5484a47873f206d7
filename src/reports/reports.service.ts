import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { randomBytes } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { formatInstantUs } from '../common/utils/format-instant-us.util';
import { parseAsOfUs } from '../common/utils/parse-as-of-us.util';
import { ReportRecord, ReportRepository } from '../repositories/report.repository';
import { ReportInfoDto } from './dto/trigger-report.dto';
import { ReportRunnerService } from './report-runner.service';

const REPORT_ID = /^[A-Za-z0-9_-]{22}$/;
const RETENTION_MS = 7 * 24 * 3600 * 1000;
const PROGRESS_INTERVAL_MS = 200;

/** Report lifecycle: trigger, background generation, status and result. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    private readonly reports: ReportRepository,
    private readonly runner: ReportRunnerService,
  ) {}

  /** Records a Running report and starts building it in the background. */
  async trigger(asOf?: string): Promise<ReportRecord> {
    const asOfUs = parseAsOfUs(asOf);
    const report: ReportRecord = {
      id: randomBytes(16).toString('base64url'), // 128 random bits: unguessable
      status: 'Running',
      asOfUs: asOfUs ?? null,
      progress: 0,
      rowCount: null,
      error: null,
      createdAtMs: Date.now(),
      completedAtMs: null,
    };
    await this.reports.insert(report);
    void this.generate(report.id, asOfUs); // records its own failure; never rejects
    return report;
  }

  /** The report, with its CSV when asked. InvalidInputError for a malformed id, NotFoundError for an unknown one. */
  async find(id: string, withCsv = false): Promise<ReportRecord> {
    if (!REPORT_ID.test(id)) throw new InvalidInputError('report_id is malformed');
    const report = await this.reports.find(id, withCsv);
    if (report === null) throw new NotFoundError(`no report ${id}`);
    return report;
  }

  info(r: ReportRecord): ReportInfoDto {
    return {
      report_id: r.id,
      status: r.status,
      progress: r.progress,
      as_of: r.asOfUs == null ? null : formatInstantUs(r.asOfUs),
      row_count: r.rowCount,
      error: r.error,
      created_at: new Date(r.createdAtMs).toISOString(),
      completed_at: r.completedAtMs == null ? null : new Date(r.completedAtMs).toISOString(),
    };
  }

  /**
   * A report left Running by a stopped process will never finish: say so. Called by the HTTP
   * server at start (not by CLI commands, which may run beside a live server).
   */
  failInterrupted(): Promise<number> {
    return this.reports.failAllRunning('the service stopped while this report was running; trigger it again', Date.now());
  }

  /** Hourly: completed and failed reports older than a week are dropped (they hold whole CSVs). */
  @Interval('report-retention', 3600 * 1000)
  async dropOldReports(): Promise<void> {
    await this.reports.deleteFinishedBefore(Date.now() - RETENTION_MS);
  }

  private async generate(id: string, asOfUs: number | undefined): Promise<void> {
    const started = Date.now();
    try {
      // Let the trigger's 202 go out before the work starts.
      await new Promise((resolve) => setImmediate(resolve));
      let saved = 0;
      const built = await this.runner.build(asOfUs, async (progress) => {
        // A few progress writes a second are plenty for a poller, and cost the report nothing.
        if (Date.now() - saved < PROGRESS_INTERVAL_MS) return;
        saved = Date.now();
        await this.reports.setProgress(id, progress);
      });
      await this.reports.complete(id, {
        asOfUs: built.asOfUs,
        rowCount: built.rowCount,
        csv: built.csv,
        completedAtMs: Date.now(),
      });
      this.logger.log(`report ${id}: ${built.rowCount} stores in ${Date.now() - started} ms`);
    } catch (error) {
      const why = (error as Error)?.message ?? String(error);
      this.logger.error(`report ${id} failed: ${why}`);
      await this.reports
        .fail(id, why, Date.now())
        .catch((e) => this.logger.error(`report ${id}: could not record the failure: ${e}`));
    }
  }
}
