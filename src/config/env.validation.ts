import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsPositive, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { DEFAULT_DATABASE_URL } from '../database/database-url';

export const DEFAULT_PORT = 3000;
export const DEFAULT_UPLOAD_LIMIT_BYTES = 1024 ** 3;
export const DEFAULT_JOB_LEASE_S = 30;

/** A comma-separated list of http(s) URLs, or nothing. */
const URL_LIST = /^\s*(https?:\/\/[^\s,]+)(\s*,\s*https?:\/\/[^\s,]+)*\s*$/;

/** The environment the service accepts; anything else is refused at boot with a clear message. */
export class EnvironmentVariables {
  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db',
  })
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  /** How long the service waits for its database at start, retrying with back-off. */
  @IsOptional()
  @IsInt()
  @Min(0)
  DB_CONNECT_TIMEOUT_S: number = 60;

  /** SQLite: how long a write waits for another connection's write lock before it fails with 503 "the database is busy". */
  @IsOptional()
  @IsPositive()
  DB_LOCK_WAIT_S: number = 30;

  /** Apply pending migrations at start (false: they are a deployment step of their own, the migrate command). */
  @IsOptional()
  @Matches(/^(true|false)$/i, { message: 'MIGRATE_ON_START must be true or false' })
  MIGRATE_ON_START: string = 'true';

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = DEFAULT_PORT;

  @IsOptional()
  @IsInt()
  @Min(1)
  UPLOAD_LIMIT_BYTES: number = DEFAULT_UPLOAD_LIMIT_BYTES;

  /** POST /import: an upload that sends nothing for this long (seconds) is answered 400 and dropped. */
  @IsOptional()
  @IsPositive()
  UPLOAD_IDLE_TIMEOUT_S: number = 30;

  /** Reports built at once by this instance; the others wait, Running with progress 0. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  REPORT_CONCURRENCY: number = 2;

  /** Imports run at once by this instance (HTTP, inbox); further uploads wait in the queue below. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  IMPORT_CONCURRENCY: number = 2;

  /** Uploads admitted to wait for an import slot; one more is answered 429 with Retry-After before its body is read. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  IMPORT_QUEUE: number = 8;

  /**
   * A leased job (a report, an import, a singleton worker) whose owner has not proved it is alive
   * for this long is taken over (or, an import, marked Interrupted). Read with jobLeaseMsOf.
   */
  @IsOptional()
  @IsInt()
  @Min(2)
  JOB_LEASE_S?: number;

  /** The former name of JOB_LEASE_S, still accepted; JOB_LEASE_S wins when both are set. */
  @IsOptional()
  @IsInt()
  @Min(2)
  REPORT_LEASE_S?: number;

  /** On SIGTERM/SIGINT: how long running leased jobs (reports, imports, singleton workers) may take to finish before they are handed back. */
  @IsOptional()
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_S: number = 20;

  /** Finished reports older than this are removed (hourly). */
  @IsOptional()
  @IsPositive()
  REPORT_RETENTION_DAYS: number = 7;

  /** The least important lines logged: fatal, error, warn, log, debug, verbose. */
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** json: one JSON object a line (for a log pipeline); text: for people (colours on a terminal only). */
  @IsOptional()
  @IsIn(['json', 'text'])
  LOG_FORMAT: 'json' | 'text' = 'text';

  /** The address to listen on. */
  @IsOptional()
  @IsString()
  HOST: string = '0.0.0.0';

  /** API keys, comma-separated (several during a rotation); unset: no key needed. */
  @IsOptional()
  @IsString()
  API_KEY?: string;

  /** Origins allowed to call the API from a browser, comma-separated; unset: none. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** A folder to watch for feed files; unset: no inbox. */
  @IsOptional()
  @IsString()
  INBOX_DIR?: string;

  /** When to scan the inbox (cron, seconds allowed as a sixth field first). */
  @IsOptional()
  @Matches(/^\S+( \S+){4,5}$/, { message: 'INBOX_CRON must be a cron expression of 5 or 6 fields' })
  INBOX_CRON: string = '0 * * * * *';

  /** Incidents that ended longer ago than this (hours) before the live as_of are never announced. */
  @IsOptional()
  @IsPositive()
  ALERT_LOOKBACK_H: number = 24;

  /** Webhook URLs every incident event is POSTed to, comma-separated; unset: events are only recorded. */
  @IsOptional()
  @Matches(URL_LIST, { message: 'ALERT_WEBHOOK_URLS must be http(s) URLs, comma-separated' })
  ALERT_WEBHOOK_URLS?: string;

  /** The key of the HMAC-SHA256 signature each delivery carries (X-Store-Monitor-Signature). */
  @IsOptional()
  @IsString()
  ALERT_WEBHOOK_SECRET?: string;

  /** A delivery not answered 2xx is retried with exponential back-off for this many hours, then failed. */
  @IsOptional()
  @IsPositive()
  ALERT_RETRY_H: number = 24;

  /** The wait before a delivery's second attempt (seconds); doubled at each attempt, at most an hour. */
  @IsOptional()
  @IsPositive()
  ALERT_BACKOFF_S: number = 30;

  /** A delivery not answered within this many seconds is a failed attempt. */
  @IsOptional()
  @IsPositive()
  ALERT_TIMEOUT_S: number = 10;
}

export function validateEnv(config: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, config, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const why = errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ');
    throw new Error(`Invalid environment: ${why}`);
  }
  return env;
}

/**
 * JOB_LEASE_S in ms: REPORT_LEASE_S (its former name) when it is unset, else 30 s. Resolved here
 * rather than as a default of the field, because Nest copies the validated settings into
 * process.env: a default there would reach every child process and overrule the REPORT_LEASE_S
 * it is given.
 */
export function jobLeaseMsOf(config: { get(key: 'JOB_LEASE_S' | 'REPORT_LEASE_S'): unknown }): number {
  const seconds = config.get('JOB_LEASE_S') ?? config.get('REPORT_LEASE_S') ?? DEFAULT_JOB_LEASE_S;
  return Number(seconds) * 1000;
}
