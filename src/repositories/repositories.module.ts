import { Global, Module } from '@nestjs/common';
import { SqlClient } from '../database/sql-client';
import { AlertDeliveryRepository } from './alert-delivery.repository';
import { AlertEventRepository } from './alert-event.repository';
import { BusinessHoursRepository } from './business-hours.repository';
import { ImportRunRepository } from './import-run.repository';
import { MonitorStateRepository } from './monitor-state.repository';
import { PollRepository } from './poll/poll.repository';
import { ReportRepository } from './report.repository';
import { StoreStateRepository } from './store-state.repository';
import { StoreTimezoneRepository } from './store-timezone.repository';
import { StoreRepository } from './store.repository';

/** Every table's repository, as plain classes over the one SqlClient (worker threads build them the same way). */
const REPOSITORIES = [
  PollRepository,
  StoreRepository,
  BusinessHoursRepository,
  StoreTimezoneRepository,
  ReportRepository,
  ImportRunRepository,
  MonitorStateRepository,
  StoreStateRepository,
  AlertEventRepository,
  AlertDeliveryRepository,
];

@Global()
@Module({
  providers: REPOSITORIES.map((Repository) => ({
    provide: Repository,
    useFactory: (sql: SqlClient) => new Repository(sql),
    inject: [SqlClient],
  })),
  exports: REPOSITORIES,
})
export class RepositoriesModule {}
