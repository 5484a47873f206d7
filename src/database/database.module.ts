import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectedDatabase, connectDatabase, MigrationsOutcome } from './connect-database';
import { parseDatabaseUrl } from './database-url';
import { SqlClient } from './sql-client';

const CONNECTED = Symbol('ConnectedDatabase');

/** DB_CONNECT_TIMEOUT_S (validated with the rest of the environment in config/). */
const connectTimeoutMs = () => Number(process.env.DB_CONNECT_TIMEOUT_S || 60) * 1000;
/** MIGRATE_ON_START=false: migrations are a deployment step of their own (the migrate command). */
const migrateOnStart = () => (process.env.MIGRATE_ON_START ?? 'true').toLowerCase() !== 'false';

/**
 * Connects to DATABASE_URL (waiting for it up to DB_CONNECT_TIMEOUT_S) and applies pending
 * migrations, one instance at a time, before any module can query, so the server and every CLI
 * command run on the current schema; then offers the SqlClient.
 */
@Global()
@Module({
  providers: [
    {
      provide: CONNECTED,
      useFactory: (): Promise<ConnectedDatabase> => {
        const logger = new Logger('Database');
        return connectDatabase(parseDatabaseUrl(), {
          timeoutMs: connectTimeoutMs(),
          migrate: migrateOnStart(),
          log: (message) => logger.warn(message),
        });
      },
    },
    { provide: SqlClient, useFactory: (c: ConnectedDatabase) => c.sql, inject: [CONNECTED] },
    { provide: DataSource, useFactory: (c: ConnectedDatabase) => c.dataSource, inject: [CONNECTED] },
    { provide: MigrationsOutcome, useFactory: (c: ConnectedDatabase) => c.migrations, inject: [CONNECTED] },
  ],
  exports: [SqlClient, DataSource, MigrationsOutcome],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SqlClient) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
