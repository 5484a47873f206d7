import { requestLineOf } from './request-line-of.util';

describe('requestLineOf', () => {
  it.each([
    [
      'a request whose headers were refused',
      'GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      { method: 'GET', url: '/health' },
    ],
    ['a query string', 'POST /trigger_report?x=1 HTTP/1.1\r\n', { method: 'POST', url: '/trigger_report?x=1' }],
    ['HTTP/1.0 and a bare LF', 'DELETE /reports/x HTTP/1.0\nHost: x\n\n', { method: 'DELETE', url: '/reports/x' }],
    ['the HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', { method: 'PRI', url: '*' }],
    ['a method Node does not know', 'GARBAGE\r\n\r\n', null],
    ['a lower-case method', 'get / HTTP/1.1\r\n', null],
    ['the middle of a request (a body)', '{"as_of":"2023"} HTTP/1.1\r\n', null],
    ['a target with a space or a control character', 'GET /a b HTTP/1.1\r\n', null],
    ['a request line not ended yet', 'GET /health HTTP/1.1', null],
    ['nothing', '', null],
  ])('%s', (_name, packet, expected) => {
    expect(requestLineOf(Buffer.from(packet, 'latin1'))).toEqual(expected);
  });

  it('reads no request line that is longer than 4096 characters of target, nor anything without a packet', () => {
    expect(requestLineOf(Buffer.from(`GET /${'a'.repeat(5000)} HTTP/1.1\r\n`))).toBeNull();
    expect(requestLineOf(undefined)).toBeNull();
  });
});
