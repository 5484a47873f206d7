import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './database-options';
import { parseDatabaseUrl } from './database-url';
import { ensureDatabaseExists } from './ensure-database';
import { sqlClientOf } from './open-sql-client';
import { SqlClient } from './sql-client';

/**
 * Connects to DATABASE_URL and applies pending migrations before any module can query, so the
 * server and every CLI command always run on the current schema; then offers the SqlClient.
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      useFactory: async () => {
        const target = parseDatabaseUrl();
        await ensureDatabaseExists(target);
        const dataSource = await new DataSource(buildDataSourceOptions(target)).initialize();
        await dataSource.runMigrations({ transaction: 'each' });
        return dataSource;
      },
    },
    { provide: SqlClient, useFactory: sqlClientOf, inject: [DataSource] },
  ],
  exports: [SqlClient, DataSource],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SqlClient) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
