import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import pino from 'pino';
import { logAccess } from './access-log';
import { clientErrorHandler } from './framework-errors';

/**
 * Node's header timeout is 60 s in the service (checked every 30 s), too long for the built
 * server's tests: here a real Node server with short timeouts and the service's handler.
 */
describe('clientErrorHandler on a real server', () => {
  let server: http.Server;
  let port: number;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const logger = pino({ base: null, timestamp: false }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    server = http.createServer({ headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 50 }, (_req, res) =>
      res.end('ok'),
    );
    server.on(
      'clientError',
      clientErrorHandler((entry) => logAccess(logger, entry)),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** Sends `text` and never ends its side; the server's whole answer once it closes. */
  const exchange = (text: string) =>
    new Promise<{ answer: string; localPort: number }>((resolve, reject) => {
      let localPort = 0;
      const socket = net.connect(port, '127.0.0.1', () => {
        localPort = socket.localPort!;
        socket.write(text);
      });
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (answer += d));
      socket.on('error', reject);
      socket.on('close', () => resolve({ answer, localPort }));
    });

  it('answers headers that never end 408 and logs one warning line: the client, the status, the reason', async () => {
    lines.length = 0;
    const { answer, localPort } = await exchange('GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer).toContain('\r\nX-Content-Type-Options: nosniff\r\n');
    expect(JSON.parse(answer.split('\r\n\r\n')[1])).toEqual({
      statusCode: 408,
      message: 'the request took too long',
      error: 'Request Timeout',
    });
    expect(lines).toEqual([
      {
        level: 40,
        status: 408,
        remote: `127.0.0.1:${localPort}`,
        reason: 'ERR_HTTP_REQUEST_TIMEOUT',
        msg: '- - 408 (ERR_HTTP_REQUEST_TIMEOUT)',
      },
    ]);
  });

  it('names the method and URL of a request whose body Node refused, from the request in flight, and writes no second answer', async () => {
    lines.length = 0;
    // the server answers at once; the malformed chunk comes after the answer has begun
    const { answer, localPort } = await exchange(
      'POST /trigger_report HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nSECRET\r\n0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 (200 OK|400 Bad Request)\r\n/);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        status: 400,
        method: 'POST',
        url: '/trigger_report',
        remote: `127.0.0.1:${localPort}`,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('SECRET');
  });
});
