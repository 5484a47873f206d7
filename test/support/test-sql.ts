import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/database-options';
import { parseDatabaseUrl } from '../../src/database/database-url';
import { ensureDatabaseExists } from '../../src/database/ensure-database';
import { sqlClientOf } from '../../src/database/open-sql-client';
import { SqlClient } from '../../src/database/sql-client';
import { DbKind, TestDatabase } from './test-database';

export const DATA_TABLES = ['poll', 'business_hours', 'store_timezone', 'store', 'report_status', 'import_run', 'job_lease'];

export interface TestSql {
  db: TestDatabase;
  sql: SqlClient;
}

/**
 * Registers the hooks of a repository or service suite: a fresh, migrated database of the kind
 * (the app's own connection code, without Nest), emptied before each test, dropped after.
 */
export function useTestSql(kind: DbKind, name: string): TestSql {
  const ctx = { db: new TestDatabase(kind, name) } as TestSql;
  beforeAll(async () => {
    const target = parseDatabaseUrl(ctx.db.url);
    await ensureDatabaseExists(target);
    const dataSource = await new DataSource(buildDataSourceOptions(target)).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    ctx.sql = sqlClientOf(dataSource);
  });
  afterAll(async () => {
    await ctx.sql?.close();
    await ctx.db.drop();
  });
  beforeEach(async () => {
    for (const table of DATA_TABLES) await ctx.sql.run(`DELETE FROM ${table}`);
  });
  return ctx;
}
