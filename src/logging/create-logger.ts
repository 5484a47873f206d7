import pino, { Logger, LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'text';
/** Nest's level names, as LOG_LEVEL takes them. */
export type NestLogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

/** Nest's level names to pino's. */
export const PINO_LEVEL: Record<NestLogLevel, LevelWithSilent> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * The service's one logger, shared by Fastify (the access log) and Nest: JSON lines, or text for
 * people, with colours only when writing to a terminal. Writes synchronously to stdout, so that
 * nothing is lost when the process exits.
 */
export function createLogger(options: { level: NestLogLevel; format: LogFormat; colors?: boolean }): Logger {
  const base = { level: PINO_LEVEL[options.level], base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.format === 'json') return pino(base, pino.destination({ dest: 1, sync: true }));
  const colorize = options.colors ?? Boolean(process.stdout.isTTY);
  return pino(base, pretty({ colorize, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
