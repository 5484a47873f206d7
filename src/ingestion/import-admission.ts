import { TooBusyError } from '../common/errors/domain-errors';

/** A place taken in the admission: a slot now, or a place in the queue until one frees. */
export interface ImportTicket {
  /** Resolves once the ticket holds a slot (at once when one was free). */
  readonly ready: Promise<void>;
  /** Whether it holds a slot now (not waiting in the queue, not released). */
  readonly holdsSlot: boolean;
  /** Gives the slot (or the place in the queue) back; the next waiter gets it. Idempotent. */
  release(): void;
}

/**
 * How many imports one instance runs at once (`slots`, IMPORT_CONCURRENCY) and how many more wait
 * for a slot (`queue`, IMPORT_QUEUE), first come first served. An upload is admitted before its
 * body is read: one beyond both is refused with TooBusyError (429 with Retry-After), so that a
 * crowd of uploads holds neither memory nor files. Imports the service starts itself (the inbox)
 * wait for a slot without taking a place in the queue.
 */
export class ImportAdmission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Places reserved in the queue by admitted uploads (waiting, or still being received). */
  private queued = 0;

  constructor(
    private readonly slots: number,
    private readonly queue: number,
    private readonly retryAfterS: number,
  ) {}

  /** Admits an upload, or throws TooBusyError when every slot and every place in the queue is taken. */
  admit(): ImportTicket {
    if (this.running < this.slots) return this.grant();
    if (this.queued >= this.queue) {
      throw new TooBusyError(
        `${this.slots} import(s) running and ${this.queued} waiting on this instance: send it again in ${this.retryAfterS} s`,
        this.retryAfterS,
      );
    }
    this.queued++;
    return this.wait(() => this.queued--);
  }

  /** A ticket that waits for a slot without a place in the queue (the service's own imports). */
  enter(): ImportTicket {
    return this.running < this.slots ? this.grant() : this.wait(() => undefined);
  }

  /** Imports running and waiting now (for the log and the tests). */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queued };
  }

  private grant(): ImportTicket {
    this.running++;
    return this.ticket(
      Promise.resolve(),
      () => this.free(),
      () => true,
    );
  }

  private wait(leaveQueue: () => void): ImportTicket {
    let state: 'waiting' | 'running' | 'released' = 'waiting';
    let resolve!: () => void;
    const ready = new Promise<void>((r) => (resolve = r));
    const wake = () => {
      leaveQueue();
      state = 'running';
      resolve();
    };
    this.waiting.push(wake);
    return this.ticket(
      ready,
      () => {
        if (state === 'running') this.free();
        else if (state === 'waiting') {
          this.waiting.splice(this.waiting.indexOf(wake), 1);
          leaveQueue();
        }
        state = 'released';
      },
      () => state === 'running',
    );
  }

  /** `holdsSlot`: whether the ticket, while not released, holds its slot yet. */
  private ticket(ready: Promise<void>, release: () => void, holdsSlot: () => boolean): ImportTicket {
    let released = false;
    return {
      ready,
      get holdsSlot() {
        return !released && holdsSlot();
      },
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    };
  }

  /** A slot freed: the first waiter takes it over (running stays the same), or it is free. */
  private free(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.running--;
    else next();
  }
}
