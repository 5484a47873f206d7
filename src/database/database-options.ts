import { DataSourceOptions } from 'typeorm';
import { DatabaseTarget, parseDatabaseUrl } from './database-url';
import { MYSQL_FLAGS } from './mysql-client';
import { InitialSchema1763900000000 } from './migrations/1763900000000-initial-schema';
import { DurableJobs1764000000000 } from './migrations/1764000000000-durable-jobs';
import { ReportWarning1764100000000 } from './migrations/1764100000000-report-warning';
import { StoreLastPollIndex1764200000000 } from './migrations/1764200000000-store-last-poll-index';
import { StoredInputRules1764300000000 } from './migrations/1764300000000-stored-input-rules';
import { JobLease1764400000000 } from './migrations/1764400000000-job-lease';
import { LiveMonitor1764500000000 } from './migrations/1764500000000-live-monitor';
import { ImportStoppedAt1764600000000 } from './migrations/1764600000000-import-stopped-at';
import { SQLITE_PRAGMAS } from './sqlite-client';

export const MIGRATIONS = [
  InitialSchema1763900000000,
  DurableJobs1764000000000,
  ReportWarning1764100000000,
  StoreLastPollIndex1764200000000,
  StoredInputRules1764300000000,
  JobLease1764400000000,
  LiveMonitor1764500000000,
  ImportStoppedAt1764600000000,
];

/**
 * The one TypeORM options object, shared by the app and ormconfig.ts (TypeORM CLI). TypeORM
 * connects and runs the migrations; every query goes through the SqlClient and the repositories,
 * so there are no entities. On MySQL it connects to one node of DATABASE_URL (the first, unless
 * told another).
 */
export function buildDataSourceOptions(target: DatabaseTarget = parseDatabaseUrl(), node = 0): DataSourceOptions {
  const common = {
    entities: [],
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false, // run explicitly (database.module.ts), before anything reads
    logging: ['error'] as 'error'[],
  };
  if (target.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.path,
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: target.nodes[node].url,
    charset: 'utf8mb4',
    timezone: 'Z',
    // BIGINT (microsecond instants) as numbers: they are far below 2^53.
    supportBigNumbers: true,
    bigNumberStrings: false,
    flags: MYSQL_FLAGS,
    extra: { connectionLimit: 10 },
  };
}
