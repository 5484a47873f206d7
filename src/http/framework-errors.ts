import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AccessEntry, accessEntryOf, remoteOf } from './access-log';
import { settleUnreadBody } from './settle-unread-body';
import { requestLineOf } from './utils/request-line-of.util';

/**
 * The answers Fastify and Node give before a request reaches a route (a malformed URL, an
 * over-long path parameter, a request that is not HTTP, a CONNECT), with the same safe headers
 * as every other answer, without quoting the input back, and each told to `refused` (its access
 * line and its count; the `onResponse` hook never sees them).
 */
export const SAFE_HEADERS = { 'x-content-type-options': 'nosniff' } as const;

/** Fastify's `frameworkErrors`: a URL it cannot decode (400) or a path parameter too long (414). */
export function frameworkErrorHandler(refused: (entry: AccessEntry) => void) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
    const status = tooLong ? 414 : 400;
    void reply.code(status).headers(SAFE_HEADERS).header('x-request-id', request.id);
    refused({ ...accessEntryOf(request, status), reason: error.code });
    // A body not read: drained for a moment, or the connection closed after (no onSend hook runs here).
    void settleUnreadBody(request, reply).then(() =>
      reply.send({
        statusCode: status,
        message: tooLong ? 'a path parameter is too long' : 'the URL is malformed (a % must be followed by two hex digits)',
        error: tooLong ? 'URI Too Long' : 'Bad Request',
      }),
    );
  };
}

/** A whole HTTP answer written on the socket itself (there is no response object to write it with). */
function writeRaw(socket: Socket, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ statusCode: status, message, error: reason });
  socket.write(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (a malformed request line or
 * header, headers too large, a malformed chunked body) and its header timeout (408), answered as
 * Fastify would, plus the safe headers, and logged: the method and URL when they were parsed
 * (the request in flight, or the request line the refused bytes start with), the status, the
 * client's address and the parser's reason. A client that reset the connection is not logged:
 * nothing was refused.
 */
export function clientErrorHandler(refused: (entry: AccessEntry) => void) {
  return (error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request took too long']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
          : [400, 'Bad Request', 'the request is not valid HTTP'];
    // A request already handed to Fastify (its body is what failed) has its answer object here;
    // Node itself looks at it to know whether an answer was begun (_http_server.js, socketOnError).
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
    const line = inFlight?.req ?? requestLineOf(Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined);
    refused({ status, method: line?.method, url: line?.url, remote: remoteOf(socket), reason: error.code });
    if (socket.writable && !inFlight?.headersSent) writeRaw(socket, status, reason, message);
    socket.destroy(error);
  };
}

/**
 * The server's `connect` listener: a CONNECT (a request to tunnel, for a proxy) is refused with
 * a 400 and told to `refused`; without a listener Node closed the connection without a word.
 */
export function connectRefusal(refused: (entry: AccessEntry) => void) {
  return (request: IncomingMessage, socket: Socket): void => {
    refused({ status: 400, method: request.method, url: request.url, remote: remoteOf(socket), reason: 'CONNECT' });
    socket.on('error', () => undefined); // a client gone meanwhile is no error of ours
    if (socket.writable) writeRaw(socket, 400, 'Bad Request', 'CONNECT is not supported: this server is not a proxy');
    socket.destroy(); // as Node does after its own refusals: the small answer is written at once
  };
}
