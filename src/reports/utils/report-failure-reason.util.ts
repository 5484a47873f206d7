import { DatabaseUnavailableError, DomainError } from '../../common/errors/domain-errors';
import { isRetryable } from '../../database/retrying';

/** What a Failed report says when the database could not be reached for longer than its retries. */
export const DATABASE_UNAVAILABLE_REASON = 'the database was unavailable while the report was built: trigger it again';

/**
 * The short reason a Failed report shows (GET /reports/:id is a response body): no SQL, no table,
 * no host. The database being out of reach says so; another database error says only that it
 * was one (the log has it whole); our own errors keep their message, cut at 200 characters.
 */
export function reportFailureReason(error: unknown): string {
  if (error instanceof DatabaseUnavailableError || isRetryable(error)) return DATABASE_UNAVAILABLE_REASON;
  if (error instanceof DomainError) return error.message.slice(0, 200);
  const e = (typeof error === 'object' && error !== null ? error : {}) as { errno?: unknown; sqlState?: unknown; code?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (e.errno !== undefined || e.sqlState !== undefined || code.startsWith('ER_') || code.startsWith('SQLITE_')) {
    return 'a database error stopped the report';
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
