import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectedDatabase, connectDatabase, ConnectOptions, MigrationsOutcome } from './connect-database';
import { parseDatabaseUrl } from './database-url';
import { LazySqlClient } from './lazy-sql-client';
import { SqlClient } from './sql-client';

const CONNECTED = Symbol('ConnectedDatabase');

/**
 * How the service (and the migrate command) connect: waiting for the database up to DB_CONNECT_TIMEOUT_S
 * (validated with the rest of the environment in config/), and applying pending migrations
 * unless MIGRATE_ON_START=false (migrations are then a deployment step: the migrate command).
 */
export function connectOptionsFromEnv(
  migrate = (process.env.MIGRATE_ON_START ?? 'true').toLowerCase() !== 'false',
): ConnectOptions {
  const logger = new Logger('Database');
  return {
    timeoutMs: Number(process.env.DB_CONNECT_TIMEOUT_S || 60) * 1000,
    migrate,
    log: (message) => logger.log(message),
    warn: (message) => logger.warn(message),
  };
}

/**
 * Connects to DATABASE_URL (waiting for it) and applies pending migrations, one instance at a
 * time, before anything can query, so the server and every CLI command run on the current
 * schema; then offers the SqlClient. The service connects at start; the CLI (`lazy`) at its
 * first query.
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
            // A command at a terminal fails at once when the database does not answer (migrate waits).
            useFactory: () =>
              new LazySqlClient(
                target.kind,
                async () => (await connectDatabase(target, { ...connectOptionsFromEnv(), timeoutMs: 0 })).sql,
              ),
          },
        ],
        exports: [SqlClient],
      };
    }
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
