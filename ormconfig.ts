import 'reflect-metadata';
import 'dotenv/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/database/database-options';

/** The DataSource of the TypeORM CLI (`npm run typeorm -- migration:run`), same options as the app. */
export default new DataSource(buildDataSourceOptions());
