import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AppExceptionFilter } from './http/app-exception.filter';
import { validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { InboxModule } from './inbox/inbox.module';
import { IngestionController } from './ingestion/ingestion.controller';
import { JobsModule } from './jobs/jobs.module';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsModule } from './metrics/metrics.module';
import { MonitorController } from './monitor/monitor.controller';
import { MonitorModule } from './monitor/monitor.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { ReportsController } from './reports/reports.controller';
import { ReportsModule } from './reports/reports.module';
import { RepositoriesModule } from './repositories/repositories.module';
import { StoresController } from './stores/stores.controller';
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

/**
 * The HTTP API. The feature modules hold services and commands only, so that the CLI, which
 * imports them, loads no controller and none of their Swagger and HTTP libraries.
 */
const CONTROLLERS = [
  HealthController,
  IngestionController,
  MetricsController,
  MonitorController,
  ReportsController,
  StoresController,
];

/** The HTTP service. */
@Module({
  imports: [DatabaseModule.forRoot(), ...CORE_IMPORTS, ScheduleModule.forRoot(), InboxModule],
  controllers: CONTROLLERS,
  providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
})
export class AppModule {}
