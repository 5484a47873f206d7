/**
 * Errors of the domain, free of HTTP: services and commands throw these, the HTTP boundary maps
 * them to status codes (DomainErrorFilter) and the CLI prints their message on one line.
 */
export abstract class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller's input is not acceptable (a bad as_of, a malformed id, a request without a feed). */
export class InvalidInputError extends DomainError {}

/** A feed file refused as a whole (SPEC §1): nothing of it, nor of its request, is written. */
export class FeedRefusedError extends InvalidInputError {}

/** The thing asked for does not exist (an unknown report id). */
export class NotFoundError extends DomainError {}

/** Work stopped before its end (the service is stopping); what was done stays, and it can be run again. */
export class InterruptedError extends DomainError {}
