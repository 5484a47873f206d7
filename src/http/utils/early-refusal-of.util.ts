export interface EarlyRefusal {
  statusCode: number;
  message: string;
  error: string;
}

/**
 * What is refused before the API key or a route are looked at: anything while the service stops
 * (Fastify's own answer, 503, which left no access line), an HTTP/1.1 request without a Host
 * header and an Expect header other than 100-continue (which Node answered itself, bare, without
 * the safe headers or a line). Null: go on.
 */
export function earlyRefusalOf(request: {
  closing: boolean;
  httpVersion: string;
  host: string | undefined;
  /** Node found an Expect header it cannot meet (its `checkExpectation` event). */
  unmetExpectation: boolean;
}): EarlyRefusal | null {
  if (request.closing) {
    return { statusCode: 503, message: 'the service is stopping: try again shortly', error: 'Service Unavailable' };
  }
  if (request.httpVersion === '1.1' && request.host === undefined) {
    // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host.
    return { statusCode: 400, message: 'an HTTP/1.1 request needs a Host header', error: 'Bad Request' };
  }
  if (request.unmetExpectation) {
    return { statusCode: 417, message: 'the only Expect this server meets is 100-continue', error: 'Expectation Failed' };
  }
  return null;
}
