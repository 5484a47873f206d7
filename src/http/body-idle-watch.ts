import type { IncomingMessage } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { InvalidInputError } from '../common/errors/domain-errors';

/**
 * The body of a request as Fastify's parsers read it (a `preParsing` hook returns it in place of
 * the request), failing with a 400 when the client sends nothing for `idleMs`: a JSON body
 * announced longer than what comes, or a chunked one never ended, was waited for without end
 * (Fastify sets no request timeout). Multipart bodies have a watch of their own, beside their
 * parser (ingestion/spool-feed-files.ts). Fastify's parsers read as fast as bytes come, so a
 * silence is the client's, not back-pressure.
 */
export function watchBodyIdle(raw: IncomingMessage, idleMs: number): Readable {
  const seconds = Math.round(idleMs / 100) / 10;
  const watched = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      timer.refresh();
      done(null, chunk);
    },
  });
  const timer = setTimeout(() => {
    // The request stays whole (destroying it would close the socket before the answer).
    raw.unpipe(watched);
    watched.destroy(new InvalidInputError(`the request body stalled: no data for ${seconds} s`));
  }, idleMs);
  // Ended, failed, or the answer sent without it (the connection is then closed): no more watch.
  raw.once('end', () => clearTimeout(timer));
  raw.once('close', () => clearTimeout(timer));
  watched.once('close', () => clearTimeout(timer));
  // A client that goes away mid-body: the reader learns it as it would from the request itself.
  raw.once('error', (error) => watched.destroy(error));
  // No reader (a route answered without reading the body) is no crash.
  watched.on('error', () => undefined);
  raw.pipe(watched);
  return watched;
}
