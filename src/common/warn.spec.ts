import { Logger, LoggerService } from '@nestjs/common';
import { warn } from './warn';

describe('warn', () => {
  afterEach(() => Logger.overrideLogger(true));

  it.each([
    ['Database', 'database node a:3306 lost (ECONNRESET); now using b:3306'],
    ['MysqlPollWriter', 'poll batch of 200000 rows: try 2 of 4'],
  ])('logs a %s warning through the service’s logger', async (context, message) => {
    const lines: Array<[string, unknown]> = [];
    const logger: LoggerService = {
      log: () => undefined,
      error: () => undefined,
      warn: (line: unknown, from?: string) => void lines.push([String(from), line]),
    };
    Logger.overrideLogger(logger);
    warn(context, message);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([[context, message]]);
  });
});
