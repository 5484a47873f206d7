/** One HTTP request to a local server with node:http, timed from send to last byte (the bench's latency figures). */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  /** WHATWG Headers, so callers read them as they would a fetch Response's. */
  headers: Headers;
  body: Buffer;
  /** Milliseconds from the request's start to the answer's last byte. */
  ms: number;
}

/** Keep-alive, so that a series of requests does not measure connection set-up. */
const defaultAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** `base` is `http://host:port`. Rejects when no answer comes within `timeoutMs` (default 30 s). */
export function request(
  base: string,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; timeoutMs?: number; agent?: http.Agent } = {},
): Promise<HttpAnswer> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const { hostname, port } = new URL(base);
  return new Promise((resolveAnswer, reject) => {
    const req = http.request(
      { host: hostname, port, method, path, agent: options.agent ?? defaultAgent, headers: options.headers, timeout: timeoutMs },
      (res) => void readAnswer(res, started).then(resolveAnswer, reject),
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Reads a whole response; `started` is the performance.now() its request left at. */
export function readAnswer(res: http.IncomingMessage, started: number): Promise<HttpAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const ms = performance.now() - started;
      const headers = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      resolveAnswer({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks), ms });
    });
    res.on('error', reject);
  });
}
