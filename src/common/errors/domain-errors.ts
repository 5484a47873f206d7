/**
 * Errors of the domain, free of HTTP: services and commands throw these, the HTTP boundary maps
 * them to status codes (DomainErrorFilter) and the CLI prints their message on one line.
 */
export abstract class DomainError extends Error {
  /** More for the caller, added to the HTTP body beside the message (e.g. what an import wrote before it stopped). */
  details?: Record<string, unknown>;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller's input is not acceptable (a bad as_of, a malformed id, a request without a feed). */
export class InvalidInputError extends DomainError {}

/** A feed file refused as a whole (SPEC §1): nothing of it, nor of its request, is written. */
export class FeedRefusedError extends InvalidInputError {}

/**
 * An import that could not read a file to its end (after its header was accepted): what it wrote
 * stays, and its details say what (per feed) and where reading stopped. Fix the file and run it
 * again: rows already written count as unchanged.
 */
export class ImportStoppedError extends DomainError {}

/** The thing asked for does not exist (an unknown report id). */
export class NotFoundError extends DomainError {}

/** Work stopped before its end (the service is stopping); what was done stays, and it can be run again. */
export class InterruptedError extends DomainError {}

/**
 * The database kept refusing a write for a conflict with concurrent writers (deadlock, or a
 * Galera certification failure) after every retry. What was written stays; run it again.
 */
export class WriteConflictError extends DomainError {}

/**
 * No database node took the work after every retry (connection lost, node not ready). What was
 * written stays; run it again.
 */
export class DatabaseUnavailableError extends DomainError {}

/** This instance has as much of this work as it takes now (running and waiting): send it again in `retryAfterS`. */
export class TooBusyError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super(message);
  }
}
