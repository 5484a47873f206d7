import { Module } from '@nestjs/common';
import { MonitorModule } from '../monitor/monitor.module';
import { StoresModule } from '../stores/stores.module';
import { ImportRunsService } from './import-runs.service';
import { ImportCommand } from './import.command';
import { IngestionService } from './ingestion.service';

@Module({
  imports: [StoresModule, MonitorModule],
  providers: [IngestionService, ImportRunsService, ImportCommand],
  exports: [IngestionService, ImportRunsService],
})
export class IngestionModule {}
