import { methodLabel } from './method-label.util';

describe('methodLabel', () => {
  it.each([
    ['GET', 'GET'],
    ['POST', 'POST'],
    ['CONNECT', 'CONNECT'],
    ['PRI', 'other'], // the HTTP/2 preface's
    [undefined, '-'],
    ['GARBAGE', 'other'],
    ['get', 'other'],
    ['', 'other'],
  ])('%s → %s', (method, label) => {
    expect(methodLabel(method)).toBe(label);
  });
});
