import { DatabaseUnavailableError, WriteConflictError } from '../common/errors/domain-errors';

/**
 * MySQL/MariaDB errors after which the same work, run again, can succeed: the statement or
 * transaction was rolled back whole.
 * - 1213 ER_LOCK_DEADLOCK: a deadlock, or on Galera a certification failure (another node
 *   committed a conflicting write first);
 * - 1205 ER_LOCK_WAIT_TIMEOUT;
 * - 1180 ER_ERROR_DURING_COMMIT: Galera could not commit (certification, or the node left);
 * - 1047 ER_UNKNOWN_COM_ERROR: "WSREP has not yet prepared node for application use" (a node
 *   joining, or cut off from the cluster's primary component).
 */
const CONFLICT_ERRNOS = new Set([1213, 1205, 1180]);
const NODE_NOT_READY_ERRNO = 1047;

/** Client-side codes of a connection that could not be made, or broke. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_PACKETS_OUT_OF_ORDER',
]);
/** Server errors that end the connection: 1053 shutdown, 1927 connection killed, 4031 idle too long, 1156 packets out of order. */
const CONNECTION_ERRNOS = new Set([1053, 1927, 4031, 1156]);

interface DriverError {
  errno?: number;
  code?: string;
  fatal?: boolean;
  /** Set on errors rebuilt from another thread's (a report worker's) message. */
  retryable?: boolean;
}

const driverError = (error: unknown): DriverError => (typeof error === 'object' && error !== null ? error : {});

/** The connection could not be made or broke: the work is to be redone on a new one (maybe another node). */
export function isConnectionError(error: unknown): boolean {
  const e = driverError(error);
  return e.fatal === true || CONNECTION_CODES.has(e.code ?? '') || CONNECTION_ERRNOS.has(e.errno ?? 0);
}

/** The node refused the work because it is not part of a working cluster now (Galera). */
export function isNodeNotReady(error: unknown): boolean {
  return driverError(error).errno === NODE_NOT_READY_ERRNO;
}

/** A deadlock or a certification conflict: the work was rolled back, and may succeed when run again. */
export function isConflict(error: unknown): boolean {
  return CONFLICT_ERRNOS.has(driverError(error).errno ?? 0);
}

/** Whether idempotent work that failed with this error is worth running again. */
export function isRetryable(error: unknown): boolean {
  return driverError(error).retryable === true || isConflict(error) || isNodeNotReady(error) || isConnectionError(error);
}

export interface RetryOptions {
  /** What is retried, for the log and the final error (e.g. "poll batch"). */
  what: string;
  /** Tries in all (default 8). */
  tries?: number;
  /** Wait before the second try; doubled each time, with jitter, up to maxDelayMs (defaults 100 and 3000). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Which errors are worth another try (default isRetryable). */
  retryable?: (error: unknown) => boolean;
  /** Runs before each new try, e.g. to get a new connection after a lost one. */
  beforeRetry?: (error: unknown, nextTry: number) => Promise<void> | void;
  /** Told of each failure that is retried. */
  onRetry?: (message: string) => void;
}

/**
 * Runs idempotent database work, again after a deadlock, a certification conflict, a node that is
 * not ready or a lost connection, with exponential back-off and a bounded number of tries. Other
 * errors go through at once. When the tries run out it throws a domain error the HTTP layer maps
 * to a retryable status: WriteConflictError (409) after conflicts, DatabaseUnavailableError (503)
 * when no node took the work; the last driver error is its `cause`.
 */
export async function withRetry<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const tries = options.tries ?? 8;
  const first = options.firstDelayMs ?? 100;
  const max = options.maxDelayMs ?? 3000;
  const retryable = options.retryable ?? isRetryable;
  let failed: unknown = undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      // Inside the try: a reconnection that fails is one more failed try.
      if (attempt > 1) await options.beforeRetry?.(failed, attempt);
      return await work(attempt);
    } catch (error) {
      if (!retryable(error)) throw error;
      failed = error;
      if (attempt >= tries) {
        const why = isConflict(error) ? 'conflicting writes' : 'no database node available';
        const message = `${options.what}: the database refused it ${tries} times (${why})`;
        throw isConflict(error)
          ? new WriteConflictError(message, { cause: error })
          : new DatabaseUnavailableError(message, { cause: error });
      }
      const delay = Math.min(max, first * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      options.onRetry?.(
        `${options.what}: try ${attempt} of ${tries} failed (${describe(error)}); again in ${Math.round(delay)} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

function describe(error: unknown): string {
  const e = driverError(error);
  const message = error instanceof Error ? error.message : String(error);
  return [e.code, e.errno, message].filter((x) => x !== undefined && x !== '').join(' ');
}
