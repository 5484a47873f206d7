import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { validateEnv } from './config/env.validation';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { ReportsModule } from './reports/reports.module';

/** The modules every entry point shares: configuration, database, and the features. */
export const CORE_IMPORTS = [
  ConfigModule.forRoot({ isGlobal: true, validate: validateEnv, cache: true }),
  DatabaseModule,
  IngestionModule,
  ReportsModule,
];

/** The HTTP service. */
@Module({
  imports: [...CORE_IMPORTS, ScheduleModule.forRoot(), HealthModule],
})
export class AppModule {}
