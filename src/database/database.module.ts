import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './database-options';
import { parseDatabaseUrl } from './database-url';
import { ensureDatabaseExists } from './ensure-database';

/**
 * Connects to DATABASE_URL and applies pending migrations before any module can query, so the
 * server and every CLI command always run on the current schema.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: async () => {
        const target = parseDatabaseUrl();
        await ensureDatabaseExists(target);
        return buildDataSourceOptions(target);
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await dataSource.runMigrations({ transaction: 'each' });
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
