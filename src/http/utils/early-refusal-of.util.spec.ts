import { earlyRefusalOf } from './early-refusal-of.util';

const ordinary = { closing: false, httpVersion: '1.1', host: 'h', unmetExpectation: false };

describe('earlyRefusalOf', () => {
  it.each([
    ['an ordinary request', {}, null],
    ['HTTP/1.0 without Host', { httpVersion: '1.0', host: undefined }, null],
    ['an empty Host', { host: '' }, null],
    ['HTTP/1.1 without Host', { host: undefined }, 400],
    ['an Expect it cannot meet', { unmetExpectation: true }, 417],
    ['anything while stopping', { closing: true, host: undefined, unmetExpectation: true }, 503],
    ['no Host and an unmet Expect', { host: undefined, unmetExpectation: true }, 400],
  ])('%s → %s', (_name, change, status) => {
    const refusal = earlyRefusalOf({ ...ordinary, ...change });
    expect(refusal?.statusCode ?? null).toBe(status);
  });

  it('says why, briefly', () => {
    expect(earlyRefusalOf({ ...ordinary, closing: true })).toEqual({
      statusCode: 503,
      message: 'the service is stopping: try again shortly',
      error: 'Service Unavailable',
    });
    expect(earlyRefusalOf({ ...ordinary, host: undefined })).toEqual({
      statusCode: 400,
      message: 'an HTTP/1.1 request needs a Host header',
      error: 'Bad Request',
    });
    expect(earlyRefusalOf({ ...ordinary, unmetExpectation: true })).toEqual({
      statusCode: 417,
      message: 'the only Expect this server meets is 100-continue',
      error: 'Expectation Failed',
    });
  });
});
