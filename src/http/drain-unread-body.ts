import type { IncomingMessage } from 'node:http';

/**
 * Reads and drops the rest of a request body its answer did not need (a refusal before it, a
 * route that takes none, a reader that gave up), for at most `ms`; resolves true once it has all
 * come, false if it had not by then. A
 * client still sending a small body when its answer came would otherwise meet a closed connection
 * (EPIPE) and never read the answer (Node's fetch then fails the request: "fetch failed").
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
