import { ConsoleLogger, LogLevel } from '@nestjs/common';

/** The CLI's logger: every log line goes to stderr, so that stdout carries only the command's output (JSON or CSV). */
export class StderrLogger extends ConsoleLogger {
  protected override printMessages(messages: unknown[], context?: string, logLevel?: LogLevel): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}
