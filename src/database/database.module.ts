import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { connectDatabase } from './connect-database';
import { parseDatabaseUrl } from './database-url';
import { LazySqlClient } from './lazy-sql-client';
import { sqlClientOf } from './open-sql-client';
import { SqlClient } from './sql-client';

/**
 * Connects to DATABASE_URL and applies pending migrations before anything can query, so the
 * server and every CLI command always run on the current schema; then offers the SqlClient.
 * The service connects at start; the CLI (`lazy`) at its first query.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SqlClient) private readonly sql: SqlClient) {}

  static forRoot(options: { lazy?: boolean } = {}): DynamicModule {
    if (options.lazy) {
      const target = parseDatabaseUrl();
      return {
        module: DatabaseModule,
        providers: [
          {
            provide: SqlClient,
            useFactory: () => new LazySqlClient(target.kind, async () => sqlClientOf(await connectDatabase(target))),
          },
        ],
        exports: [SqlClient],
      };
    }
    return {
      module: DatabaseModule,
      providers: [
        { provide: DataSource, useFactory: () => connectDatabase(parseDatabaseUrl()) },
        { provide: SqlClient, useFactory: sqlClientOf, inject: [DataSource] },
      ],
      exports: [SqlClient, DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
