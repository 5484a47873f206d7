import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './database-options';
import { DatabaseTarget } from './database-url';
import { ensureDatabaseExists } from './ensure-database';

/** Connects to the target and applies pending migrations, so that nothing ever reads an old schema. */
export async function connectDatabase(target: DatabaseTarget): Promise<DataSource> {
  await ensureDatabaseExists(target);
  const dataSource = await new DataSource(buildDataSourceOptions(target)).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
