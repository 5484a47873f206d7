import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { SeedCommand } from './seed.command';
import { SeedService } from './seed.service';

@Module({
  imports: [IngestionModule],
  providers: [SeedService, SeedCommand],
  exports: [SeedService],
})
export class SeedModule {}
