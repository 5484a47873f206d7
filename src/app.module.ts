import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AppExceptionFilter } from './http/app-exception.filter';
import { validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InboxModule } from './inbox/inbox.module';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { MonitorModule } from './monitor/monitor.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { ReportsModule } from './reports/reports.module';
import { RepositoriesModule } from './repositories/repositories.module';
import { StoresModule } from './stores/stores.module';

/** Configuration, repositories and the features (the CLI takes them one command at a time: CliModule). */
const CORE_IMPORTS = [
  ConfigModule.forRoot({ isGlobal: true, validate: validateEnv, cache: true }),
  MetricsModule,
  RepositoriesModule,
  JobsModule,
  IngestionModule,
  ReportsModule,
  StoresModule,
  MonitorModule,
];

/** The HTTP service. */
@Module({
  imports: [DatabaseModule.forRoot(), ...CORE_IMPORTS, ScheduleModule.forRoot(), HealthModule, InboxModule],
  providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
})
export class AppModule {}
