import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { InboxService } from './inbox.service';

/** The watched inbox folder (HTTP service only). */
@Module({
  imports: [IngestionModule],
  providers: [InboxService],
  exports: [InboxService],
})
export class InboxModule {}
