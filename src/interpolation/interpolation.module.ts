import { Module } from '@nestjs/common';
import { ReportRunnerService } from './report-runner.service';

/** The engine (pure functions in ./utils) and what runs it over the database. */
@Module({
  providers: [ReportRunnerService],
  exports: [ReportRunnerService],
})
export class InterpolationModule {}
