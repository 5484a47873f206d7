import { Module } from '@nestjs/common';
import { ReportCommand } from './report.command';
import { ReportRunnerService } from './report-runner.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  controllers: [ReportsController],
  providers: [ReportsService, ReportRunnerService, ReportCommand],
  exports: [ReportsService],
})
export class ReportsModule {}
