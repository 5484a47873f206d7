import { Logger } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import { DataSource } from 'typeorm';
import { applyMigrations, MigrationsOutcome } from './connect-database';
import { MIGRATIONS } from './database-options';
import { SqlClient } from './sql-client';

/**
 * `migrate`: applies pending migrations and says which, for deployments that run migrations as a
 * step of their own (with MIGRATE_ON_START=false on the instances). Safe to run while instances
 * start, and from several places at once: one applies them, the others find nothing pending.
 */
@Command({ name: 'migrate', description: 'Apply pending database migrations; prints a JSON summary on stdout' })
export class MigrateCommand extends CommandRunner {
  private readonly logger = new Logger('migrate');

  constructor(
    private readonly sql: SqlClient,
    private readonly dataSource: DataSource,
    private readonly atStart: MigrationsOutcome,
  ) {
    super();
  }

  async run(): Promise<void> {
    // Every command migrates as it starts, unless MIGRATE_ON_START=false: then it is done here.
    const applied =
      this.atStart.pending.length > 0
        ? await applyMigrations(this.sql, this.dataSource, (m) => this.logger.log(m))
        : this.atStart.applied;
    process.stderr.write(`migrate: ${applied.length} migration(s) applied, the schema is current\n`);
    process.stdout.write(`${JSON.stringify({ applied, current: MIGRATIONS.map((m) => m.name) }, null, 2)}\n`);
  }
}
