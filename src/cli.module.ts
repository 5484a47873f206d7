import { Module } from '@nestjs/common';
import { CORE_IMPORTS } from './app.module';
import { SeedModule } from './seed/seed.module';

/** The CLI: the same modules as the service, without the HTTP-only parts (scheduler, health). */
@Module({ imports: [...CORE_IMPORTS, SeedModule] })
export class CliModule {}
