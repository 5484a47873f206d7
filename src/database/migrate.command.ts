import { Logger } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import { MIGRATE_COMMAND } from './migrate.command-meta';
import { connectDatabase } from './connect-database';
import { connectOptionsFromEnv } from './connect-options';
import { MIGRATIONS } from './database-options';
import { parseDatabaseUrl } from './database-url';

/**
 * `migrate`: applies pending migrations and says which, for deployments that run migrations as a
 * step of their own (with MIGRATE_ON_START=false on the instances). Safe to run while instances
 * start, and from several places at once: one applies them, the others find nothing pending.
 */
@Command(MIGRATE_COMMAND.command)
export class MigrateCommand extends CommandRunner {
  private readonly logger = new Logger('migrate');

  async run(): Promise<void> {
    // A connection of its own, told to migrate whatever MIGRATE_ON_START says.
    // It waits for the database as the service does (a deployment step may start first).
    const { sql, migrations } = await connectDatabase(parseDatabaseUrl(), {
      ...connectOptionsFromEnv(true),
      log: (m) => this.logger.log(m),
      warn: (m) => this.logger.warn(m),
    });
    try {
      process.stderr.write(`migrate: ${migrations.applied.length} migration(s) applied, the schema is current\n`);
      process.stdout.write(
        `${JSON.stringify({ applied: migrations.applied, current: MIGRATIONS.map((m) => m.name) }, null, 2)}\n`,
      );
    } finally {
      await sql.close();
    }
  }
}
