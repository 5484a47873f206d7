import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { TooBusyError } from '../common/errors/domain-errors';
import { httpExceptionOf } from './utils/http-exception-of.util';

/**
 * Answers every error with a short JSON body `{statusCode, message, error}` and no internal
 * detail; logs server-side failures (with their stack) and an unreachable database, never a
 * client's mistake (the access log has it, as a warning). A refusal for load says when to come
 * back (Retry-After).
 */
@Catch()
export class AppExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HTTP');

  override catch(error: unknown, host: ArgumentsHost): void {
    const { exception, log } = httpExceptionOf(error);
    if (log === 'error') this.logger.error(error instanceof Error ? error : String(error));
    else if (log === 'warn') this.logger.warn(`${exception.message}: ${(error as Error)?.message ?? String(error)}`);
    if (error instanceof TooBusyError) {
      void host.switchToHttp().getResponse<FastifyReply>().header('retry-after', String(error.retryAfterS));
    }
    super.catch(exception, host);
  }
}
