import { Module } from '@nestjs/common';
import { CORE_IMPORTS } from './app.module';
import { DatabaseModule } from './database/database.module';
import { MigrateCommand } from './database/migrate.command';
import { SeedModule } from './seed/seed.module';

/**
 * The CLI: the same modules as the service, without the HTTP-only parts, and `migrate`; the
 * database is connected at the first query.
 */
@Module({ imports: [DatabaseModule.forRoot({ lazy: true }), ...CORE_IMPORTS, SeedModule], providers: [MigrateCommand] })
export class CliModule {}
