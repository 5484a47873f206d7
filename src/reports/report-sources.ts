import { SqlClient } from '../database/sql-client';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import type { ReportSources } from './build-report';

/** The repositories a report reads, over a client (the worker thread's own connection). */
export function reportSourcesOf(sql: SqlClient): ReportSources {
  return {
    stores: new StoreRepository(sql),
    polls: new PollRepository(sql),
    hours: new BusinessHoursRepository(sql),
    zones: new StoreTimezoneRepository(sql),
  };
}
