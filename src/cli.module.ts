import { Module } from '@nestjs/common';
import { CORE_IMPORTS } from './app.module';
import { MigrateCommand } from './database/migrate.command';
import { SeedModule } from './seed/seed.module';

/** The CLI: the same modules as the service, without the HTTP-only parts (scheduler, health), and `migrate`. */
@Module({ imports: [...CORE_IMPORTS, SeedModule], providers: [MigrateCommand] })
export class CliModule {}
