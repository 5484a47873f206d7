import { DEFAULT_DATABASE_URL } from '../database/database-url';
import { checkSetting, SettingRule } from './utils/check-setting.util';

export const DEFAULT_PORT = 3000;
export const DEFAULT_UPLOAD_LIMIT_BYTES = 1024 ** 3;
export const DEFAULT_JOB_LEASE_S = 30;

/** A comma-separated list of http(s) URLs, or nothing. */
const URL_LIST = /^\s*(https?:\/\/[^\s,]+)(\s*,\s*https?:\/\/[^\s,]+)*\s*$/;

/** The settings the service reads from its environment, validated (validateEnv). */
export interface EnvironmentVariables {
  /** The store: `sqlite:<path>` (the default, embedded) or `mysql://user:pass@host:port/db` (several hosts: a cluster). */
  DATABASE_URL: string;
  /** How long the service waits for its database at start, retrying with back-off. */
  DB_CONNECT_TIMEOUT_S: number;
  /** SQLite: how long a write waits for another connection's write lock before it fails with 503 "the database is busy". */
  DB_LOCK_WAIT_S: number;
  /** Apply pending migrations at start (false: they are a deployment step of their own, the migrate command). */
  MIGRATE_ON_START: string;
  /** The HTTP port. */
  PORT: number;
  /** The largest file POST /import accepts per field, in bytes. */
  UPLOAD_LIMIT_BYTES: number;
  /** POST /import: an upload that sends nothing for this long (seconds) is answered 400 and dropped. */
  UPLOAD_IDLE_TIMEOUT_S: number;
  /** Reports built at once by this instance; the others wait, Running with progress 0. */
  REPORT_CONCURRENCY: number;
  /** Imports run at once by this instance (HTTP, inbox); further uploads wait in the queue below. */
  IMPORT_CONCURRENCY: number;
  /** Uploads admitted to wait for an import slot; one more is answered 429 with Retry-After before its body is read. */
  IMPORT_QUEUE: number;
  /**
   * A leased job (a report, an import, a singleton worker) whose owner has not proved it is alive
   * for this long is taken over (or, an import, marked Interrupted). Read with jobLeaseMsOf.
   */
  JOB_LEASE_S?: number;
  /** The former name of JOB_LEASE_S, still accepted; JOB_LEASE_S wins when both are set. */
  REPORT_LEASE_S?: number;
  /** On SIGTERM/SIGINT: how long running leased jobs (reports, imports, singleton workers) may take to finish before they are handed back. */
  SHUTDOWN_GRACE_S: number;
  /** Finished reports older than this are removed (hourly). */
  REPORT_RETENTION_DAYS: number;
  /** The least important lines logged: fatal, error, warn, log, debug, verbose. */
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /** json: one JSON object a line (for a log pipeline); text: for people (colours on a terminal only). */
  LOG_FORMAT: 'json' | 'text';
  /** The address to listen on. */
  HOST: string;
  /** API keys, comma-separated (several during a rotation); unset: no key needed. */
  API_KEY?: string;
  /** Origins allowed to call the API from a browser, comma-separated; unset: none. */
  CORS_ORIGINS?: string;
  /** A folder to watch for feed files; unset: no inbox. */
  INBOX_DIR?: string;
  /** When to scan the inbox (cron, seconds allowed as a sixth field first). */
  INBOX_CRON: string;
  /** Incidents that ended longer ago than this (hours) before the live as_of are never announced. */
  ALERT_LOOKBACK_H: number;
  /** Webhook URLs every incident event is POSTed to, comma-separated; unset: events are only recorded. */
  ALERT_WEBHOOK_URLS?: string;
  /** The key of the HMAC-SHA256 signature each delivery carries (X-Store-Monitor-Signature). */
  ALERT_WEBHOOK_SECRET?: string;
  /** A delivery not answered 2xx is retried with exponential back-off for this many hours, then failed. */
  ALERT_RETRY_H: number;
  /** The wait before a delivery's second attempt (seconds); doubled at each attempt, at most an hour. */
  ALERT_BACKOFF_S: number;
  /** A delivery not answered within this many seconds is a failed attempt. */
  ALERT_TIMEOUT_S: number;
}

/**
 * Each setting's rule and default (none: unset unless given). Anything else in the environment
 * is kept as it is; a setting outside its rule is refused at start with a clear message. A table
 * rather than class-validator's decorators: every CLI command validates its settings first, and
 * class-validator with its validator libraries takes a fifth of a command's start to load.
 */
const SETTINGS: { [K in keyof EnvironmentVariables]-?: { rule: SettingRule; default?: EnvironmentVariables[K] } } = {
  DATABASE_URL: {
    rule: {
      kind: 'text',
      match: /^(sqlite:.+|mysql:\/\/.+)$/,
      message: 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db',
    },
    default: DEFAULT_DATABASE_URL,
  },
  DB_CONNECT_TIMEOUT_S: { rule: { kind: 'int', min: 0 }, default: 60 },
  DB_LOCK_WAIT_S: { rule: { kind: 'positive' }, default: 30 },
  MIGRATE_ON_START: {
    rule: { kind: 'text', match: /^(true|false)$/i, message: 'MIGRATE_ON_START must be true or false' },
    default: 'true',
  },
  PORT: { rule: { kind: 'int', min: 0, max: 65535 }, default: DEFAULT_PORT },
  UPLOAD_LIMIT_BYTES: { rule: { kind: 'int', min: 1 }, default: DEFAULT_UPLOAD_LIMIT_BYTES },
  UPLOAD_IDLE_TIMEOUT_S: { rule: { kind: 'positive' }, default: 30 },
  REPORT_CONCURRENCY: { rule: { kind: 'int', min: 1, max: 64 }, default: 2 },
  IMPORT_CONCURRENCY: { rule: { kind: 'int', min: 1, max: 64 }, default: 2 },
  IMPORT_QUEUE: { rule: { kind: 'int', min: 0, max: 1000 }, default: 8 },
  JOB_LEASE_S: { rule: { kind: 'int', min: 2 } },
  REPORT_LEASE_S: { rule: { kind: 'int', min: 2 } },
  SHUTDOWN_GRACE_S: { rule: { kind: 'int', min: 0 }, default: 20 },
  REPORT_RETENTION_DAYS: { rule: { kind: 'positive' }, default: 7 },
  LOG_LEVEL: { rule: { kind: 'oneOf', values: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] }, default: 'log' },
  LOG_FORMAT: { rule: { kind: 'oneOf', values: ['json', 'text'] }, default: 'text' },
  HOST: { rule: { kind: 'text' }, default: '0.0.0.0' },
  API_KEY: { rule: { kind: 'text' } },
  CORS_ORIGINS: { rule: { kind: 'text' } },
  INBOX_DIR: { rule: { kind: 'text' } },
  INBOX_CRON: {
    rule: { kind: 'text', match: /^\S+( \S+){4,5}$/, message: 'INBOX_CRON must be a cron expression of 5 or 6 fields' },
    default: '0 * * * * *',
  },
  ALERT_LOOKBACK_H: { rule: { kind: 'positive' }, default: 24 },
  ALERT_WEBHOOK_URLS: {
    rule: { kind: 'text', match: URL_LIST, message: 'ALERT_WEBHOOK_URLS must be http(s) URLs, comma-separated' },
  },
  ALERT_WEBHOOK_SECRET: { rule: { kind: 'text' } },
  ALERT_RETRY_H: { rule: { kind: 'positive' }, default: 24 },
  ALERT_BACKOFF_S: { rule: { kind: 'positive' }, default: 30 },
  ALERT_TIMEOUT_S: { rule: { kind: 'positive' }, default: 10 },
};

/** Every setting's name, in the table's order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as (keyof EnvironmentVariables)[];

/** The settings of `config` (an environment) read and checked, with their defaults; every other key as given. */
export function validateEnv(config: Record<string, unknown>): EnvironmentVariables {
  const settings: Record<string, unknown> = { ...config };
  const errors: string[] = [];
  for (const [name, { rule, default: fallback }] of Object.entries(SETTINGS)) {
    const given = config[name];
    if (given === undefined || given === null) {
      if (fallback !== undefined) settings[name] = fallback;
      continue;
    }
    if (typeof given !== 'string' && typeof given !== 'number') {
      errors.push(`${name} must be text`);
      continue;
    }
    const checked = checkSetting(name, given, rule);
    if ('error' in checked) errors.push(checked.error);
    else settings[name] = checked.value;
  }
  if (errors.length > 0) throw new Error(`Invalid environment: ${errors.join('; ')}`);
  return settings as unknown as EnvironmentVariables;
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
