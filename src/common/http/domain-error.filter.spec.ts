import { DomainError, FeedRefusedError, InterruptedError, InvalidInputError, NotFoundError } from '../errors/domain-errors';
import { httpExceptionOf } from './domain-error.filter';

class OtherError extends DomainError {}

describe('httpExceptionOf', () => {
  it.each([
    [new InvalidInputError('as_of: bad'), 400],
    [new FeedRefusedError('polls file header lacks required column(s) "status"'), 400],
    [new NotFoundError('no report x'), 404],
    [new InterruptedError('the service is stopping'), 503],
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
});
