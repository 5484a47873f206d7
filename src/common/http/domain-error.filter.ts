import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DomainError, InterruptedError, InvalidInputError, NotFoundError } from '../errors/domain-errors';

/** The HTTP status of each domain error: the one place where the domain meets HTTP. */
export function httpExceptionOf(error: DomainError): HttpException {
  if (error instanceof NotFoundError) return new NotFoundException(error.message);
  if (error instanceof InvalidInputError) return new BadRequestException(error.message);
  if (error instanceof InterruptedError) return new ServiceUnavailableException(error.message);
  return new InternalServerErrorException(); // no unclassified detail leaves the service
}

/** Answers a DomainError with its status and the usual JSON body `{statusCode, message, error}`. */
@Catch(DomainError)
export class DomainErrorFilter extends BaseExceptionFilter {
  override catch(error: DomainError, host: ArgumentsHost): void {
    super.catch(httpExceptionOf(error), host);
  }
}
