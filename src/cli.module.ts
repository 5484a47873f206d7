import { Module } from '@nestjs/common';
import { CORE_IMPORTS } from './app.module';
import { DatabaseModule } from './database/database.module';
import { SeedModule } from './seed/seed.module';

/** The CLI: the same modules as the service, without the HTTP-only parts; the database is connected at the first query. */
@Module({ imports: [DatabaseModule.forRoot({ lazy: true }), ...CORE_IMPORTS, SeedModule] })
export class CliModule {}
