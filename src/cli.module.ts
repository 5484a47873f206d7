import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { CliCommandName } from './cli/cli-commands';
import { validateEnv } from './config/env.validation';
import { CommandDatabaseModule } from './database/command-database.module';
import { MigrateCommand } from './database/migrate.command';
import { JobsModule } from './jobs/jobs.module';
import { MetricsModule } from './metrics/metrics.module';
import { RepositoriesModule } from './repositories/repositories.module';

/** Each command's feature module (its command class is one of its providers), loaded only when it runs. */
const FEATURES: Record<Exclude<CliCommandName, 'migrate'>, () => Promise<Type>> = {
  import: async () => (await import('./ingestion/ingestion.module')).IngestionModule,
  store: async () => (await import('./stores/stores.module')).StoresModule,
  status: async () => (await import('./monitor/monitor.module')).MonitorModule,
  events: async () => (await import('./monitor/monitor.module')).MonitorModule,
  report: async () => (await import('./reports/reports.module')).ReportsModule,
  seed: async () => (await import('./seed/seed.module')).SeedModule,
};

/**
 * The CLI: the service's configuration, repositories and lease machine, a database connected at
 * the first query, `migrate`, and the feature modules of the commands; a command loads its own
 * feature only, so that it starts without the rest of the application.
 */
@Module({})
export class CliModule {
  /** The CLI for one command. */
  static async forCommand(name: CliCommandName): Promise<DynamicModule> {
    return CliModule.with(name === 'migrate' ? [] : [await FEATURES[name]()]);
  }

  /** The CLI with every command. */
  static async forAll(): Promise<DynamicModule> {
    const features = await Promise.all([
      FEATURES.import(),
      FEATURES.store(),
      FEATURES.status(),
      FEATURES.report(),
      FEATURES.seed(),
    ]);
    return CliModule.with(features);
  }

  private static with(features: Type[]): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CommandDatabaseModule,
        ConfigModule.forRoot({ isGlobal: true, validate: validateEnv, cache: true }),
        MetricsModule,
        RepositoriesModule,
        JobsModule,
        ...features,
      ],
      providers: [MigrateCommand],
    };
  }
}
