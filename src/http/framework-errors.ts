import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { hasRequestBody } from './utils/has-request-body.util';

/**
 * The answers Fastify and Node give before a request reaches a route (a malformed URL, an
 * over-long path parameter, a request that is not HTTP), with the same safe headers as every
 * other answer and without quoting the input back.
 */
export const SAFE_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

/** Fastify's `frameworkErrors`: a URL it cannot decode (400) or a path parameter too long (414). */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const status = tooLong ? 414 : 400;
  // A body not read: close rather than wait for the rest (see the onSend hook in app.factory.ts).
  if (hasRequestBody(request.headers) && !request.raw.complete) void reply.header('connection', 'close');
  void reply
    .code(status)
    .headers(SAFE_HEADERS)
    .send({
      statusCode: status,
      message: tooLong ? 'a path parameter is too long' : 'the URL is malformed (a % must be followed by two hex digits)',
      error: tooLong ? 'URI Too Long' : 'Bad Request',
    });
}

/** Fastify's `clientErrorHandler`: what Node's HTTP parser refuses, answered as Fastify would, plus the safe headers. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'the request took too long']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
        : [400, 'Bad Request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ statusCode: status, message, error: reason });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
