import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { TEST_DATABASES, TestDatabase } from '../../test/support/test-database';
import { buildDataSourceOptions } from './database-options';
import { parseDatabaseUrl } from './database-url';
import { ensureDatabaseExists } from './ensure-database';
import { typeormConnectionOf } from './typeorm-connection';

describe.each(TEST_DATABASES)('typeormConnectionOf on %s', (kind) => {
  const db = new TestDatabase(kind, 'typeormconn');
  let dataSource: DataSource;
  beforeAll(async () => {
    const target = parseDatabaseUrl(db.url);
    await ensureDatabaseExists(target);
    dataSource = await new DataSource(buildDataSourceOptions(target)).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db.drop();
  });

  it("gives the DataSource's own connection: a pool that answers, or the file it opened", async () => {
    const connection = typeormConnectionOf(dataSource);
    expect(connection.kind).toBe(kind);
    if (connection.kind === 'mysql') {
      const [rows] = await connection.pool.promise().query('SELECT 41 + 1 AS n');
      expect(rows).toEqual([{ n: 42 }]);
    } else {
      expect(connection.path).toBe((parseDatabaseUrl(db.url) as { path: string }).path);
      const handle = new Database(connection.path, { readonly: true, fileMustExist: true });
      expect(handle.prepare('SELECT 41 + 1 AS n').get()).toEqual({ n: 42 });
      handle.close();
    }
  });

  it('says so when the driver has not the field it reaches for', () => {
    const moved = { options: dataSource.options, driver: {} } as unknown as DataSource;
    expect(() => typeormConnectionOf(moved)).toThrow(/TypeORM's (MySQL|SQLite) driver has no/);
  });
});
