import { BadRequestException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { formatInstantUs, parseTimestampUs } from '../ingestion/utils/parse-timestamp.util';
import { ReportInfoDto } from './dto/trigger-report.dto';
import { ReportStatus } from './entities/report-status.entity';
import { ReportRunnerService } from '../interpolation/report-runner.service';

const REPORT_ID = /^[A-Za-z0-9_-]{22}$/;
const RETENTION_MS = 7 * 24 * 3600 * 1000;
const PROGRESS_INTERVAL_MS = 200;

/** Report lifecycle: trigger, background generation, status and result. */
@Injectable()
export class ReportsService {
  private readonly logger = new Logger(ReportsService.name);

  constructor(
    @InjectRepository(ReportStatus) private readonly reports: Repository<ReportStatus>,
    private readonly runner: ReportRunnerService,
  ) {}

  /** Parses an explicit as_of, or refuses it with a 400. */
  parseAsOf(asOf: string | undefined): number | undefined {
    if (asOf === undefined) return undefined;
    const us = parseTimestampUs(asOf.trim());
    if (typeof us === 'string') throw new BadRequestException(`as_of: ${us.replace('timestamp_utc', 'as_of')}`);
    return us;
  }

  /** Records a Running report and starts building it in the background. */
  async trigger(asOf?: string): Promise<ReportStatus> {
    const asOfUs = this.parseAsOf(asOf);
    const report = this.reports.create({
      id: randomBytes(16).toString('base64url'), // 128 random bits: unguessable
      status: 'Running',
      asOfUs: asOfUs ?? null,
      progress: 0,
      createdAtMs: Date.now(),
    });
    await this.reports.insert(report);
    void this.generate(report.id, asOfUs); // records its own failure; never rejects
    return report;
  }

  /** The report's row with its CSV when complete. 400 for a malformed id, 404 for an unknown one. */
  async find(id: string, withCsv = false): Promise<ReportStatus> {
    if (!REPORT_ID.test(id)) throw new BadRequestException('report_id is malformed');
    const columns: Array<keyof ReportStatus> = ['id', 'status', 'asOfUs', 'progress', 'rowCount', 'error', 'createdAtMs', 'completedAtMs'];
    const report = await this.reports.findOne({ where: { id }, select: withCsv ? [...columns, 'csv'] : columns });
    if (report === null) throw new NotFoundException(`no report ${id}`);
    return report;
  }

  info(r: ReportStatus): ReportInfoDto {
    return {
      report_id: r.id,
      status: r.status,
      progress: Number(r.progress),
      as_of: r.asOfUs == null ? null : formatInstantUs(Number(r.asOfUs)),
      row_count: r.rowCount,
      error: r.error,
      created_at: new Date(Number(r.createdAtMs)).toISOString(),
      completed_at: r.completedAtMs == null ? null : new Date(Number(r.completedAtMs)).toISOString(),
    };
  }

  /**
   * A report left Running by a stopped process will never finish: say so. Called by the HTTP
   * server at start (not by CLI commands, which may run beside a live server).
   */
  async failInterrupted(): Promise<number> {
    const result = await this.reports.update(
      { status: 'Running' },
      { status: 'Failed', error: 'the service stopped while this report was running; trigger it again', completedAtMs: Date.now() },
    );
    return result.affected ?? 0;
  }

  /** Hourly: completed and failed reports older than a week are dropped (they hold whole CSVs). */
  @Interval('report-retention', 3600 * 1000)
  async dropOldReports(): Promise<void> {
    await this.reports.delete({ createdAtMs: LessThan(Date.now() - RETENTION_MS), status: 'Complete' });
    await this.reports.delete({ createdAtMs: LessThan(Date.now() - RETENTION_MS), status: 'Failed' });
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
        await this.reports.update({ id }, { progress });
      });
      await this.reports.update(
        { id },
        { status: 'Complete', progress: 1, asOfUs: built.asOfUs, rowCount: built.rowCount, csv: built.csv, completedAtMs: Date.now() },
      );
      this.logger.log(`report ${id}: ${built.rowCount} stores in ${Date.now() - started} ms`);
    } catch (error) {
      const why = (error as Error)?.message ?? String(error);
      this.logger.error(`report ${id} failed: ${why}`);
      await this.reports
        .update({ id }, { status: 'Failed', error: why, completedAtMs: Date.now() })
        .catch((e) => this.logger.error(`report ${id}: could not record the failure: ${e}`));
    }
  }
}
