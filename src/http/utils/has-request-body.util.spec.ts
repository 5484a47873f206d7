import { hasRequestBody } from './has-request-body.util';

describe('hasRequestBody', () => {
  it.each([
    [{}, false],
    [{ 'content-length': '0' }, false],
    [{ 'content-length': '12' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
    [{ 'transfer-encoding': 'chunked', 'content-length': '0' }, true],
    [{ 'content-type': 'application/json' }, false],
  ])('%j → %s', (headers, expected) => {
    expect(hasRequestBody(headers)).toBe(expected);
  });
});
