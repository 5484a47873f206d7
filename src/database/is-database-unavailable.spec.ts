import { isDatabaseUnavailable } from './is-database-unavailable';

const err = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    [err('ECONNREFUSED'), true],
    [err('PROTOCOL_CONNECTION_LOST'), true],
    [err('SQLITE_BUSY'), true],
    [err('SQLITE_BUSY_SNAPSHOT'), true],
    [new Error('Pool is closed.'), true],
    [err('ER_NO_SUCH_TABLE'), false],
    [err('ER_PARSE_ERROR'), false],
    [new Error('boom'), false],
    ['a string', false],
    [null, false],
  ])('%s → %s', (error, unavailable) => {
    expect(isDatabaseUnavailable(error)).toBe(unavailable);
  });
});
