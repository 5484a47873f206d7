import 'reflect-metadata';
import 'dotenv/config';
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';

/** Every log line goes to stderr: stdout carries only the command's output (JSON or CSV). */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

async function main() {
  await CommandFactory.run(CliModule, {
    logger: new StderrLogger('cli', { logLevels: ['error', 'warn'] }),
    errorHandler: (error) => {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(1);
    },
    serviceErrorHandler: (error) => {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(1);
    },
  });
}

main().catch((error) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
