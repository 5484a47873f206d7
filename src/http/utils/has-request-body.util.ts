import type { IncomingHttpHeaders } from 'node:http';

/** Whether a request announces a body (as Fastify decides whether to parse one): chunked, or a Content-Length above 0. */
export function hasRequestBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
