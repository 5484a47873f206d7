import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { buildDataSourceOptions, MIGRATIONS } from './database-options';
import { DatabaseTarget } from './database-url';
import { ensureDatabaseExists } from './ensure-database';
import { MigrationLock } from './migration-lock';
import { openMainThreadSqlite, openSqlClient, sqlClientOf } from './open-sql-client';
import { SqlClient } from './sql-client';

/** What the start did to the schema. */
export class MigrationsOutcome {
  constructor(
    /** Migrations this process applied (empty when the schema was current, or another instance applied them). */
    readonly applied: string[],
    /** Migrations still not applied (only when told not to migrate). */
    readonly pending: string[],
  ) {}
}

export interface ConnectOptions {
  /** How long to keep trying to reach the database (DB_CONNECT_TIMEOUT_S). */
  timeoutMs: number;
  /** Apply pending migrations (under the migration lock); otherwise only look at what is pending. */
  migrate: boolean;
  /** What happened (migrations applied, a wait for another instance's). */
  log: (message: string) => void;
  /** What went wrong and is tried again (the database not reachable yet). */
  warn: (message: string) => void;
}

export interface ConnectedDatabase {
  sql: SqlClient;
  /** TypeORM's connection: it ran the migrations (on MySQL, on the node that answered first). */
  dataSource: DataSource;
  migrations: MigrationsOutcome;
}

/** Errors that waiting does not cure: wrong credentials, no such database and no right to create it. */
const HOPELESS_ERRNOS = new Set([1044, 1045, 1049]);

/**
 * Connects to DATABASE_URL, waiting for it with back-off (a database that starts after the
 * service, or a cluster that is forming), then applies pending migrations under a lock that
 * works across instances and cluster nodes. On MySQL the client has a pool per node of
 * DATABASE_URL and starts on the first that answered.
 */
export async function connectDatabase(target: DatabaseTarget, options: ConnectOptions): Promise<ConnectedDatabase> {
  return connectOn(target, await waitForDatabase(target, options), options);
}

/** The MySQL client of the service and its commands: a pool per node, starting on `node` (the one that answered). */
const mysqlClientOn = (target: DatabaseTarget, node: number, alsoClose?: () => Promise<void>): SqlClient =>
  openSqlClient(target, { connectionLimit: 10, startAt: node, alsoClose });

/** connectDatabase once `node` has answered. */
async function connectOn(target: DatabaseTarget, node: number, options: ConnectOptions): Promise<ConnectedDatabase> {
  let dataSource: DataSource | undefined;
  let sql: SqlClient | undefined;
  try {
    const { DataSource } = await import('typeorm');
    const ds = await new DataSource(buildDataSourceOptions(target, node)).initialize();
    dataSource = ds;
    // On MySQL the client has pools of its own, one per node; TypeORM's connection closes with it.
    sql = target.kind === 'mysql' ? mysqlClientOn(target, node, () => ds.destroy()) : sqlClientOf(ds);
    const migrations = await migrateOrCheck(sql, ds, options);
    return { sql, dataSource: ds, migrations };
  } catch (error) {
    await sql?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

/**
 * A command's connection: when the schema is current (the usual case), a client of its own
 * without TypeORM, whose loading is a good part of a command's start; otherwise connectDatabase's
 * (which migrates, or says what is pending, as the options say).
 */
export async function connectForCommand(target: DatabaseTarget, options: ConnectOptions): Promise<SqlClient> {
  const node = await waitForDatabase(target, options);
  if (target.kind === 'sqlite' && !existsSync(target.path)) return (await connectOn(target, node, options)).sql;
  const sql = target.kind === 'mysql' ? mysqlClientOn(target, node) : openMainThreadSqlite(target.path);
  try {
    if ((await pendingMigrations(sql)).length === 0) return sql;
  } catch (error) {
    await sql.close().catch(() => undefined);
    throw error;
  }
  await sql.close();
  return (await connectOn(target, node, options)).sql;
}

/** Applies what is pending (one instance at a time), or, told not to, says what is pending. */
async function migrateOrCheck(sql: SqlClient, dataSource: DataSource, options: ConnectOptions): Promise<MigrationsOutcome> {
  if (!options.migrate) {
    const pending = await pendingMigrations(sql);
    if (pending.length > 0)
      options.warn(`${pending.length} migration(s) pending; run the migrate command: ${pending.join(', ')}`);
    return new MigrationsOutcome([], pending);
  }
  return new MigrationsOutcome(await applyMigrations(sql, dataSource, options.log), []);
}

/**
 * Applies pending migrations holding the migration lock, so that of instances starting together
 * (on one server or on several cluster nodes) one migrates and the others then find nothing
 * pending. Returns the names of the migrations this call applied.
 */
export async function applyMigrations(sql: SqlClient, dataSource: DataSource, log: (message: string) => void): Promise<string[]> {
  const lock = new MigrationLock(sql);
  const applied = await lock.around(() => dataSource.runMigrations({ transaction: 'each' }), {
    waitMs: 30 * 60_000,
    onWait: (holder) => log(`waiting for instance ${holder} to finish migrating the database`),
  });
  if (applied.length > 0) log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  return applied.map((m) => m.name);
}

/** Migrations of this code not recorded in the database (all of them when it has no schema yet). */
export async function pendingMigrations(sql: SqlClient): Promise<string[]> {
  let done: Set<string>;
  try {
    done = new Set((await sql.rows<[string]>('SELECT name FROM migrations')).map((r) => r[0]));
  } catch (error) {
    const e = error as { errno?: number; message?: string };
    if (e.errno === 1146 || /no such table/.test(e.message ?? '')) return MIGRATIONS.map((m) => m.name);
    throw error;
  }
  return MIGRATIONS.map((m) => m.name).filter((name) => !done.has(name));
}

/** The index of the first node that answers, trying again with back-off until the time is up. */
async function waitForDatabase(target: DatabaseTarget, options: ConnectOptions): Promise<number> {
  const until = Date.now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureDatabaseExists(target);
    } catch (error) {
      const e = error as { errno?: number; code?: string; message?: string };
      const why = [e.code, e.message].filter(Boolean).join(' ') || String(error);
      const delay = Math.min(5000, 250 * 2 ** (attempt - 1));
      if (options.timeoutMs <= 0) throw error; // one try (the CLI): the driver's own error
      if (HOPELESS_ERRNOS.has(e.errno ?? 0) || Date.now() + delay > until) {
        throw new Error(`the database is unreachable (${why})`, { cause: error });
      }
      options.warn(`the database is not reachable yet (${why}); trying again in ${delay / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
