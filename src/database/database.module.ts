import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectedDatabase, connectDatabase, MigrationsOutcome } from './connect-database';
import { connectOptionsFromEnv } from './connect-options';
import { parseDatabaseUrl } from './database-url';
import { SqlClient } from './sql-client';

const CONNECTED = Symbol('ConnectedDatabase');

/**
 * The service's database: connects to DATABASE_URL at start (waiting for it) and applies pending
 * migrations, one instance at a time, before anything can query, so the server runs on the
 * current schema; then offers the SqlClient (the CLI's is CommandDatabaseModule).
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SqlClient) private readonly sql: SqlClient) {}

  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: CONNECTED,
          useFactory: (): Promise<ConnectedDatabase> => connectDatabase(parseDatabaseUrl(), connectOptionsFromEnv()),
        },
        { provide: SqlClient, useFactory: (c: ConnectedDatabase) => c.sql, inject: [CONNECTED] },
        { provide: DataSource, useFactory: (c: ConnectedDatabase) => c.dataSource, inject: [CONNECTED] },
        { provide: MigrationsOutcome, useFactory: (c: ConnectedDatabase) => c.migrations, inject: [CONNECTED] },
      ],
      exports: [SqlClient, DataSource, MigrationsOutcome],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
