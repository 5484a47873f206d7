import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/database-options';
import { parseDatabaseUrl } from '../../src/database/database-url';
import { ensureDatabaseExists } from '../../src/database/ensure-database';
import { sqlClientOf } from '../../src/database/open-sql-client';
import { SqlClient } from '../../src/database/sql-client';
import { DbKind, TestDatabase } from './test-database';

export const DATA_TABLES = [
  'poll',
  'business_hours',
  'store_timezone',
  'store',
  'report_status',
  'import_run',
  'alert_delivery',
  'alert_event',
  'store_state',
];

/** Empties the data tables and puts the live monitor's one row back as the migration made it. */
export const CLEAR_DATA = [
  ...DATA_TABLES.map((table) => `DELETE FROM ${table}`),
  'UPDATE monitor_state SET evaluated_as_of_us = NULL, evaluated_at_ms = NULL, next_event_id = 1, fanned_out_id = 0',
];

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
    for (const statement of CLEAR_DATA) await ctx.sql.run(statement);
  });
  return ctx;
}
