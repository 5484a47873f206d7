import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { hasRequestBody } from './utils/has-request-body.util';

/** How long the rest of a body not needed for the answer is awaited (and dropped) before it. */
const UNREAD_BODY_LINGER_MS = 500;

/**
 * Reads and drops the rest of a request body its answer did not need (a refusal before it, a
 * route that takes none, a reader that gave up), for at most `ms`; resolves true once it has all
 * come, false if it had not by then. A client still sending a small body when its answer came
 * would otherwise meet a closed connection (EPIPE) and never read the answer (Node's fetch then
 * fails the request: "fetch failed").
 */
export function drainUnreadBody(raw: IncomingMessage, ms: number): Promise<boolean> {
  if (raw.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = () => {
      clearTimeout(timer);
      raw.off('end', settle);
      raw.off('close', settle);
      resolve(raw.complete);
    };
    const timer = setTimeout(settle, ms);
    raw.on('end', settle);
    raw.on('close', settle);
    raw.on('error', () => undefined); // a client gone meanwhile: 'close' follows
    raw.resume();
  });
}

/**
 * Before an answer to a request whose body has not all come (a refusal, a stalled body, a route
 * that does not read one): the rest is drained for a moment (drainUnreadBody), so that a client
 * still sending a small body reads its answer and keeps its connection; a body that has not ended
 * by then closes the connection after the answer rather than keep it to drain a body that may
 * never end. (A request without a body is not complete either while a hook answers it
 * synchronously: it keeps its connection.) Every answer goes through here: the onSend hook's
 * and Fastify's frameworkErrors' (which no hook sees).
 */
export async function settleUnreadBody(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!hasRequestBody(request.headers) || request.raw.complete) return;
  if (!(await drainUnreadBody(request.raw, UNREAD_BODY_LINGER_MS))) void reply.header('connection', 'close');
}
