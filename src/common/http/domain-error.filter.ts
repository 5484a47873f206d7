import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import {
  DatabaseUnavailableError,
  DomainError,
  InterruptedError,
  InvalidInputError,
  NotFoundError,
  WriteConflictError,
} from '../errors/domain-errors';

/** The HTTP status of each domain error: the one place where the domain meets HTTP. */
export function httpExceptionOf(error: DomainError): HttpException {
  const body = (statusCode: number, name: string) => ({ statusCode, message: error.message, error: name, ...error.details });
  if (error instanceof NotFoundError) return new NotFoundException(body(404, 'Not Found'));
  if (error instanceof InvalidInputError) return new BadRequestException(body(400, 'Bad Request'));
  // Both mean "nothing is wrong with the request: send it again" (what was written stays).
  if (error instanceof WriteConflictError) return new ConflictException(body(409, 'Conflict'));
  if (error instanceof InterruptedError || error instanceof DatabaseUnavailableError) {
    return new ServiceUnavailableException(body(503, 'Service Unavailable'));
  }
  return new InternalServerErrorException(); // no unclassified detail leaves the service
}

/** Answers a DomainError with its status and the usual JSON body `{statusCode, message, error}`. */
@Catch(DomainError)
export class DomainErrorFilter extends BaseExceptionFilter {
  override catch(error: DomainError, host: ArgumentsHost): void {
    super.catch(httpExceptionOf(error), host);
  }
}
