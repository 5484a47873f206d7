import { Module } from '@nestjs/common';
import { ReportJobsService } from './report-jobs.service';
import { ReportCommand } from './report.command';
import { ReportRunnerService } from './report-runner.service';
import { ReportsService } from './reports.service';

@Module({
  providers: [ReportsService, ReportRunnerService, ReportJobsService, ReportCommand],
  exports: [ReportsService, ReportJobsService],
})
export class ReportsModule {}
