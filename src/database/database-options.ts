import { DataSourceOptions } from 'typeorm';
import { Poll } from '../ingestion/entities/poll.entity';
import { ReportStatus } from '../reports/entities/report-status.entity';
import { BusinessHours } from '../stores/entities/business-hours.entity';
import { Store } from '../stores/entities/store.entity';
import { StoreTimezone } from '../stores/entities/store-timezone.entity';
import { DatabaseTarget, parseDatabaseUrl } from './database-url';
import { InitialSchema1763900000000 } from './migrations/1763900000000-initial-schema';

export const ENTITIES = [Poll, Store, BusinessHours, StoreTimezone, ReportStatus];
export const MIGRATIONS = [InitialSchema1763900000000];

/** The one TypeORM options object, shared by the app (TypeOrmModule) and ormconfig.ts (TypeORM CLI). */
export function buildDataSourceOptions(target: DatabaseTarget = parseDatabaseUrl()): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false, // run explicitly by runMigrations(), before anything reads
    logging: ['error'] as ('error')[],
  };
  if (target.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.path,
      // WAL lets report reads and API reads run while an import writes.
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 10000');
        db.pragma('synchronous = NORMAL');
        // Bulk imports walk a B-tree of millions of rows: a 256 MiB page cache and memory-mapped
        // reads keep it off the disk; fewer, larger WAL checkpoints write each page once.
        db.pragma('cache_size = -262144');
        db.pragma('mmap_size = 1073741824');
        db.pragma('wal_autocheckpoint = 20000');
        db.pragma('temp_store = MEMORY');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: target.url,
    charset: 'utf8mb4',
    timezone: 'Z',
    // BIGINT (microsecond instants) as numbers: they are far below 2^53.
    supportBigNumbers: true,
    bigNumberStrings: false,
    // LOAD DATA LOCAL INFILE of the bulk import; the stream is passed per query.
    flags: ['+LOCAL_FILES'],
    extra: { connectionLimit: 10 },
  };
}
