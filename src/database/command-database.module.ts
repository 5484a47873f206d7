import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { connectForCommand } from './connect-database';
import { connectOptionsFromEnv } from './connect-options';
import { parseDatabaseUrl } from './database-url';
import { LazySqlClient } from './lazy-sql-client';
import { SqlClient } from './sql-client';

/**
 * A CLI command's database: connected at the first query (a command's own refusal of its options
 * needs none), at once or not at all (a command at a terminal fails when the database does not
 * answer; `migrate` waits), migrating what is pending as the service does.
 */
@Global()
@Module({
  providers: [
    {
      provide: SqlClient,
      useFactory: () => {
        const target = parseDatabaseUrl();
        return new LazySqlClient(target.kind, () => connectForCommand(target, { ...connectOptionsFromEnv(), timeoutMs: 0 }));
      },
    },
  ],
  exports: [SqlClient],
})
export class CommandDatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(SqlClient) private readonly sql: SqlClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sql.close();
  }
}
