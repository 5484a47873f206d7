import { signBody } from './sign-body.util';

describe('signBody', () => {
  it.each([
    // RFC 4231 test case 2, and a JSON body.
    ['what do ya want for nothing?', 'Jefe', 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['{"id":"1"}', 'secret', 'sha256=6146142a2ce0159e84c0767881e4ec80bc397da62526e7d19f70795eb79460c0'],
  ])('%s with %s', (body, secret, signature) => {
    expect(signBody(body, secret)).toBe(signature);
  });
});
