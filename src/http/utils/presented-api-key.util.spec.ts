import { presentedApiKey } from './presented-api-key.util';

describe('presentedApiKey', () => {
  it.each([
    [{ 'x-api-key': 'k1' }, 'k1'],
    [{ authorization: 'Bearer k2' }, 'k2'],
    [{ authorization: 'bearer   k3 ' }, 'k3'],
    [{ 'x-api-key': 'k1', authorization: 'Bearer k2' }, 'k1'],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, undefined],
    [{ authorization: 'Bearer' }, undefined],
    [{}, undefined],
    [{ 'x-api-key': ['a', 'b'] }, undefined],
  ])('%j → %s', (headers, key) => {
    expect(presentedApiKey(headers)).toBe(key);
  });
});
