import { BadRequestException } from '@nestjs/common';
import {
  DatabaseUnavailableError,
  DomainError,
  FeedRefusedError,
  InterruptedError,
  InvalidInputError,
  NotFoundError,
  TooBusyError,
  WriteConflictError,
} from '../../common/errors/domain-errors';
import { httpExceptionOf } from './http-exception-of.util';

class OtherError extends DomainError {}
const withCode = (code: string, message: string) => Object.assign(new Error(message), { code });
const fastifyError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode, code: 'FST_X' });

describe('httpExceptionOf', () => {
  it.each([
    ['a bad input', new InvalidInputError('as_of: bad'), 400, 'as_of: bad', 'none'],
    ['a refused feed', new FeedRefusedError('polls file header lacks "status"'), 400, 'polls file header lacks "status"', 'none'],
    ['an unknown id', new NotFoundError('no report x'), 404, 'no report x', 'none'],
    ['an interrupted import', new InterruptedError('the service is stopping'), 503, 'the service is stopping', 'warn'],
    ['too many imports at once', new TooBusyError('2 import(s) running', 10), 429, '2 import(s) running', 'none'],
    ['writes refused for conflicts', new WriteConflictError('refused 8 times'), 409, 'refused 8 times', 'warn'],
    ['no node took the writes', new DatabaseUnavailableError('no node'), 503, 'no node', 'warn'],
    ['an HTTP exception', new BadRequestException('x'), 400, 'x', 'none'],
    ['a file over the limit', fastifyError(413, 'request file too large'), 413, 'request file too large', 'none'],
    // Node's error for a body whose client went away, as Fastify's body reader passes it on
    [
      'a body cut off by its client',
      Object.assign(withCode('ECONNRESET', 'aborted'), { statusCode: 400 }),
      400,
      'aborted',
      'none',
    ],
    [
      'an unreachable MySQL',
      withCode('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:3306'),
      503,
      'the database is unavailable: try again shortly',
      'warn',
    ],
    [
      'a busy SQLite',
      withCode('SQLITE_BUSY_SNAPSHOT', 'database is locked'),
      503,
      'the database is unavailable: try again shortly',
      'warn',
    ],
    ['a broken query', withCode('ER_NO_SUCH_TABLE', "Table 'x.poll' doesn't exist"), 500, 'Internal Server Error', 'error'],
    ['an unclassified domain error', new OtherError('internal'), 500, 'Internal Server Error', 'error'],
    ['anything else', new TypeError('x is undefined'), 500, 'Internal Server Error', 'error'],
  ])('%s → %i', (_name, error, status, message, log) => {
    const classified = httpExceptionOf(error);
    expect(classified.exception.getStatus()).toBe(status);
    expect(classified.exception.getResponse()).toMatchObject({ statusCode: status, message });
    expect(classified.log).toBe(log);
  });

  it('adds the details of a domain error to its body, beside the message', () => {
    const error = new WriteConflictError('import x: gave up');
    error.details = { import_id: 'x', written: { polls: { inserted: 3 } } };
    expect(httpExceptionOf(error).exception.getResponse()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'import x: gave up',
      import_id: 'x',
      written: { polls: { inserted: 3 } },
    });
  });
});
