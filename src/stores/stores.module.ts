import { Module } from '@nestjs/common';
import { SqlClient } from '../database/sql-client';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { StoreCommand } from './store.command';
import { StoreViewService } from './store-view.service';
import { StoresService } from './stores.service';

@Module({
  providers: [
    // A plain class (import worker threads build it too, without Nest), as the repositories are.
    {
      provide: StoresService,
      useFactory: (sql: SqlClient, stores: StoreRepository, hours: BusinessHoursRepository, zones: StoreTimezoneRepository) =>
        new StoresService(sql, stores, hours, zones),
      inject: [SqlClient, StoreRepository, BusinessHoursRepository, StoreTimezoneRepository],
    },
    StoreViewService,
    StoreCommand,
  ],
  exports: [StoresService, StoreViewService],
})
export class StoresModule {}
