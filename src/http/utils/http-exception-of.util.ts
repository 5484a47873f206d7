import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  UnprocessableEntityException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  DatabaseUnavailableError,
  DomainError,
  ImportStoppedError,
  InterruptedError,
  InvalidInputError,
  NotFoundError,
  TooBusyError,
  WriteConflictError,
} from '../../common/errors/domain-errors';
import { isDatabaseUnavailable } from '../../database/is-database-unavailable';

export interface Classified {
  exception: HttpException;
  /** How the server should log it: a client's mistake is the access log's warning, nothing more. */
  log: 'none' | 'warn' | 'error';
}

/**
 * The one place where errors meet HTTP: domain errors get their status, Fastify's own client
 * errors (a body too large, a malformed request) keep theirs, an unreachable database is a 503,
 * and anything else a 500 that says nothing of its cause (it is logged with its stack instead).
 */
export function httpExceptionOf(error: unknown): Classified {
  if (error instanceof HttpException) return { exception: error, log: error.getStatus() >= 500 ? 'error' : 'none' };
  if (error instanceof DomainError) {
    // The body is `{statusCode, message, error}`, and the error's details (e.g. what an import wrote).
    const body = (statusCode: number, name: string) => ({ statusCode, message: error.message, error: name, ...error.details });
    if (error instanceof NotFoundError) return { exception: new NotFoundException(body(404, 'Not Found')), log: 'none' };
    if (error instanceof InvalidInputError) return { exception: new BadRequestException(body(400, 'Bad Request')), log: 'none' };
    if (error instanceof ImportStoppedError) {
      return { exception: new UnprocessableEntityException(body(422, 'Unprocessable Entity')), log: 'warn' };
    }
    if (error instanceof TooBusyError) {
      return { exception: new HttpException(body(429, 'Too Many Requests'), 429), log: 'none' };
    }
    // Both retryable: nothing is wrong with the request, send it again (what was written stays).
    if (error instanceof WriteConflictError) return { exception: new ConflictException(body(409, 'Conflict')), log: 'warn' };
    if (error instanceof InterruptedError || error instanceof DatabaseUnavailableError) {
      return { exception: new ServiceUnavailableException(body(503, 'Service Unavailable')), log: 'warn' };
    }
  }
  // Before the database's codes: a request body cut off by its client fails with Node's
  // ECONNRESET, which Fastify marks 400; it is no database's fault.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const message = (error as Error).message.slice(0, 200);
    return { exception: new HttpException({ statusCode: status, message, error: httpStatusName(status) }, status), log: 'none' };
  }
  if (isDatabaseUnavailable(error)) {
    return { exception: new ServiceUnavailableException('the database is unavailable: try again shortly'), log: 'warn' };
  }
  return { exception: new InternalServerErrorException(), log: 'error' };
}

function httpStatusName(status: number): string {
  return (
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      404: 'Not Found',
      406: 'Not Acceptable',
      413: 'Payload Too Large',
      415: 'Unsupported Media Type',
    }[status] ?? 'Client Error'
  );
}
