import { Module } from '@nestjs/common';
import { StoresModule } from '../stores/stores.module';
import { ImportCommand } from './import.command';
import { IngestionController } from './ingestion.controller';
import { IngestionService } from './ingestion.service';

@Module({
  imports: [StoresModule],
  controllers: [IngestionController],
  providers: [IngestionService, ImportCommand],
  exports: [IngestionService],
})
export class IngestionModule {}
