import { Logger } from '@nestjs/common';
import { ConnectOptions } from './connect-database';

/**
 * How the service (and the migrate command) connect: waiting for the database up to DB_CONNECT_TIMEOUT_S
 * (validated with the rest of the environment in config/), and applying pending migrations
 * unless MIGRATE_ON_START=false (migrations are then a deployment step: the migrate command).
 */
export function connectOptionsFromEnv(
  migrate = (process.env.MIGRATE_ON_START ?? 'true').toLowerCase() !== 'false',
): ConnectOptions {
  const logger = new Logger('Database');
  return {
    timeoutMs: Number(process.env.DB_CONNECT_TIMEOUT_S || 60) * 1000,
    migrate,
    log: (message) => logger.log(message),
    warn: (message) => logger.warn(message),
  };
}
