import { Module } from '@nestjs/common';
import { ReportJobsService } from './report-jobs.service';
import { ReportCommand } from './report.command';
import { ReportRunnerService } from './report-runner.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  controllers: [ReportsController],
  providers: [ReportsService, ReportRunnerService, ReportJobsService, ReportCommand],
  exports: [ReportsService, ReportJobsService],
})
export class ReportsModule {}
