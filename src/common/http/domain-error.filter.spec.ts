import {
  DatabaseUnavailableError,
  DomainError,
  FeedRefusedError,
  InterruptedError,
  InvalidInputError,
  NotFoundError,
  WriteConflictError,
} from '../errors/domain-errors';
import { httpExceptionOf } from './domain-error.filter';

class OtherError extends DomainError {}

describe('httpExceptionOf', () => {
  it.each([
    [new InvalidInputError('as_of: bad'), 400],
    [new FeedRefusedError('polls file header lacks required column(s) "status"'), 400],
    [new NotFoundError('no report x'), 404],
    [new InterruptedError('the service is stopping'), 503],
    [new WriteConflictError('the database refused the write 8 times'), 409],
    [new DatabaseUnavailableError('no database node took the write'), 503],
    [new OtherError('unexpected'), 500],
  ])('%s → %i', (error, status) => {
    const http = httpExceptionOf(error);
    expect(http.getStatus()).toBe(status);
    // a 500 says nothing of its cause; a 4xx tells the caller what to change
    expect(http.getResponse()).toMatchObject({
      statusCode: status,
      message: status === 500 ? 'Internal Server Error' : error.message,
    });
  });

  it('adds the details of an error to its body, beside the message', () => {
    const error = new WriteConflictError('import x: gave up');
    error.details = { import_id: 'x', written: { polls: { inserted: 3 } } };
    expect(httpExceptionOf(error).getResponse()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'import x: gave up',
      import_id: 'x',
      written: { polls: { inserted: 3 } },
    });
  });
});
