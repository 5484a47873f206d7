import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Interval } from '@nestjs/schedule';
import { randomBytes } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { formatInstantUs } from '../common/utils/format-instant-us.util';
import { parseAsOfUs } from '../common/utils/parse-as-of-us.util';
import { EnvironmentVariables } from '../config/env.validation';
import { ReportPage, ReportRecord, ReportRepository, ReportState } from '../repositories/report.repository';
import { StoreRepository } from '../repositories/store.repository';
import { ReportInfoDto } from './dto/trigger-report.dto';
import { ReportJobsService } from './report-jobs.service';
import { decodeCursor } from '../common/utils/decode-cursor.util';
import { encodeCursor } from '../common/utils/encode-cursor.util';

const REPORT_ID = /^[A-Za-z0-9_-]{22}$/;
const STATES: readonly ReportState[] = ['Running', 'Complete', 'Failed'];

/** Report lifecycle: trigger, status and result, listing and removal. Building is ReportJobsService's. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);
  private readonly retentionMs: number;

  constructor(
    private readonly reports: ReportRepository,
    private readonly stores: StoreRepository,
    private readonly jobs: ReportJobsService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.retentionMs = config.get('REPORT_RETENTION_DAYS', { infer: true }) * 24 * 3600 * 1000;
  }

  /**
   * Records a Running report for any instance to build. Its as_of is fixed now (the caller's, or
   * the latest poll at this moment), so the report means the same whoever builds it, and when.
   */
  async trigger(asOf?: string): Promise<ReportRecord> {
    const explicit = parseAsOfUs(asOf);
    // With no poll at all every figure is 0; the current time is as good an as_of as any.
    const asOfUs = explicit ?? (await this.stores.latestPollUs()) ?? Date.now() * 1000;
    const report: ReportRecord = {
      id: randomBytes(16).toString('base64url'), // 128 random bits: unguessable
      status: 'Running',
      asOfUs,
      progress: 0,
      rowCount: null,
      error: null,
      createdAtMs: Date.now(),
      completedAtMs: null,
      owner: null,
      heartbeatAtMs: null,
      startedAtMs: null,
      warning: null,
    };
    await this.reports.insert(report);
    this.jobs.wake();
    return report;
  }

  /** The report, with its CSV when asked. InvalidInputError for a malformed id, NotFoundError for an unknown one. */
  async find(id: string, withCsv = false): Promise<ReportRecord> {
    if (id === '')
      throw new InvalidInputError('report_id is required: GET /get_report?report_id=<the id from POST /trigger_report>');
    if (!REPORT_ID.test(id))
      throw new InvalidInputError('report_id is malformed: it is the 22-character id from POST /trigger_report');
    const report = await this.reports.find(id, withCsv);
    if (report === null) throw new NotFoundError(`no report ${id}`);
    return report;
  }

  /** Newest first; `cursor` is the `next_cursor` of the page before. */
  async list(options: {
    limit: number;
    cursor?: string;
    status?: string;
  }): Promise<{ reports: ReportInfoDto[]; next_cursor: string | null }> {
    if (options.status !== undefined && !STATES.includes(options.status as ReportState)) {
      throw new InvalidInputError(`status must be one of ${STATES.join(', ')}`);
    }
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    if (after === null) throw new InvalidInputError('cursor is malformed: pass the next_cursor of the page before');
    const page: ReportPage = await this.reports.page({
      limit: options.limit,
      status: options.status as ReportState | undefined,
      after,
    });
    return { reports: page.reports.map((r) => this.info(r)), next_cursor: page.next === null ? null : encodeCursor(page.next) };
  }

  /** Removes a report (a Running one stops being built: its owner loses it at its next write). */
  async delete(id: string): Promise<void> {
    if (!REPORT_ID.test(id)) throw new InvalidInputError('report_id is malformed');
    if (!(await this.reports.delete(id))) throw new NotFoundError(`no report ${id}`);
  }

  info(r: ReportRecord): ReportInfoDto {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      report_id: r.id,
      status: r.status,
      progress: r.progress,
      as_of: r.asOfUs === null ? null : formatInstantUs(r.asOfUs),
      row_count: r.rowCount,
      error: r.error,
      warning: r.warning,
      created_at: new Date(r.createdAtMs).toISOString(),
      completed_at: iso(r.completedAtMs),
      instance: r.owner,
      started_at: iso(r.startedAtMs),
    };
  }

  /** Hourly: finished reports older than REPORT_RETENTION_DAYS are dropped (they hold whole CSVs). */
  @Interval('report-retention', 3600 * 1000)
  async dropOldReports(): Promise<void> {
    const dropped = await this.reports.deleteFinishedBefore(Date.now() - this.retentionMs);
    if (dropped > 0) this.logger.log(`dropped ${dropped} report(s) older than the retention`);
  }
}
