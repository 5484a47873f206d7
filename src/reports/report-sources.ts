import { RetryOptions, withRetry } from '../database/retrying';
import { SqlClient, SqlSession } from '../database/sql-client';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { buildReport, BuiltReport, ReportSources } from './build-report';

/** The repositories a report reads, over one session (the report's snapshot). */
export function reportSourcesOf(session: SqlSession): ReportSources {
  return {
    stores: new StoreRepository(session),
    polls: new PollRepository(session),
    hours: new BusinessHoursRepository(session),
    zones: new StoreTimezoneRepository(session),
  };
}

/**
 * A report's attempts: a lost connection (a database restart, a Galera node lost) loses the
 * snapshot, so the report starts again on a new one, with back-off, for about half a minute to
 * a minute in all (16 tries, waits doubling from 0.2 s up to 5 s); then the last error goes up.
 */
export const REPORT_RETRY: Omit<RetryOptions, 'onRetry'> = { what: 'the report', tries: 16, firstDelayMs: 200, maxDelayMs: 5000 };

/**
 * Builds the report from one consistent snapshot of the database (one read transaction for all
 * its reads), so that an import committing meanwhile is in it wholly or not at all. `once`: no
 * second attempt (the CLI tries once, as its connection does).
 */
export function buildReportInSnapshot(
  sql: SqlClient,
  asOfUs: number | undefined,
  onProgress: (fraction: number) => void | Promise<void>,
  options: { onRetry?: (message: string) => void; once?: boolean } = {},
): Promise<BuiltReport> {
  const attempt = () => sql.snapshot((session) => buildReport(reportSourcesOf(session), asOfUs, onProgress));
  return options.once ? attempt() : withRetry(attempt, { ...REPORT_RETRY, onRetry: options.onRetry });
}
