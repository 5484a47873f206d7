/**
 * The lease machine: work that one instance at a time owns, proves alive by heartbeats, that
 * another instance takes over once the owner is stale (its heartbeat older than JOB_LEASE_S),
 * and that is handed back on SIGTERM after SHUTDOWN_GRACE_S.
 *
 * `LeasedJobs` (global: JobsModule) makes three kinds of job sets; each hands its work a `Lease`
 * (`signal` aborts when the job is no longer this instance's, or when the instance stops after
 * its grace) and is stopped by its owner's `beforeApplicationShutdown` with `stop()`:
 *
 * - `leases.singleton(name, run)`: a named lease in `job_lease`: one instance of all runs
 *   `run(lease)`, the others wait and take over when it goes silent. `run` works until
 *   `lease.signal` aborts (at once when the instance stops: no grace); if it returns (or throws)
 *   the lease is handed back and claimed again at the next pass.
 * - `leases.rows(source, work, { slots })`: many jobs claimed from a table's rows (reports),
 *   at most `slots` at once; `source` is the table's repository (`LeasedRows`: claimable, claim,
 *   heartbeat, release), `work(id, lease)` does one job. `wake()` looks for work at once.
 * - `leases.tracked(options)`: jobs this instance made its own already (imports: the row is
 *   inserted owned), run with `run(id, work, beat)`: `beat` is the job's heartbeat, and
 *   `sweepStale` ends what stopped instances left behind instead of taking it over.
 *
 * A singleton worker, whole:
 * ```ts
 * @Injectable()
 * export class WebhookDeliverer implements BeforeApplicationShutdown {
 *   private readonly worker: JobPool;
 *   constructor(leases: LeasedJobs) {
 *     this.worker = leases.singleton('webhook-delivery', (lease) => this.deliver(lease));
 *   }
 *   start(): void { this.worker.start(); }            // from app.factory.ts, HTTP service only
 *   beforeApplicationShutdown() { return this.worker.stop(); }
 *   private async deliver(lease: Lease): Promise<void> {
 *     while (!lease.signal.aborted) {
 *       await this.deliverDue(lease.signal);         // a heartbeat runs meanwhile, every lease/3
 *       await lease.sleep(1000);                     // ends early when the lease is lost or stops
 *     }
 *   }
 * }
 * ```
 */
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { INSTANCE_ID } from '../common/instance-id';
import { EnvironmentVariables, jobLeaseMsOf } from '../config/env.validation';
import { JobLeaseRepository } from '../repositories/job-lease.repository';

/** How often an idle pool looks for jobs to claim (a wake looks at once). */
const CLAIM_EVERY_MS = 1000;

/** What a running job holds while it is this instance's. */
export interface Lease {
  /** The job: a row's id, or a singleton's name. */
  readonly id: string;
  /** This instance, as recorded as the owner. */
  readonly owner: string;
  /** JOB_LEASE_S in ms: how long the owner may stay silent before another instance takes over. */
  readonly leaseMs: number;
  /** Aborted when the job is no longer this instance's (lost, taken over) or the instance stops after its grace. */
  readonly signal: AbortSignal;
  /** Tells the machine that a write conditional on owning the job found it no longer ours: logs it and aborts `signal`. */
  lost(): void;
  /** Waits `ms`, or less when `signal` aborts. */
  sleep(ms: number): Promise<void>;
}

/** A table whose rows are jobs with an owner and a heartbeat (ReportRepository is one). Every write is conditional. */
export interface LeasedRows {
  /** Ids nobody owns, or whose owner's heartbeat is older than `staleBeforeMs`, in the order to take them. */
  claimable(staleBeforeMs: number, limit: number): Promise<string[]>;
  /** Takes one for `owner` if it is still claimable; false when another instance was first. */
  claim(id: string, owner: string, nowMs: number, staleBeforeMs: number): Promise<boolean>;
  /** Proves `owner` alive; false when it no longer owns the job. */
  heartbeat(id: string, owner: string, nowMs: number): Promise<boolean>;
  /** Hands back every job `owner` still holds; returns how many. */
  release(owner: string): Promise<number>;
}

export interface JobSetOptions {
  /** What a job is, for the log: `report` gives "report <id>: …" and "2 running report(s)". */
  label: string;
  /** The log lines' context (the feature's own logger). */
  logger?: Logger;
  /** How often a running job's heartbeat is written; by default three per lease, so that one lost or late beat costs nothing. */
  beatEveryMs?: number;
  /** The error a job's signal aborts with when the instance stops. */
  stopReason?: () => Error;
  /** Ends the jobs of stopped instances (older heartbeat than the lease), from start() and every lease after. */
  sweepStale?: (staleBeforeMs: number, nowMs: number) => Promise<void>;
  /** Told how many jobs run on this instance, after each change. */
  onCount?: (running: number) => void;
  /**
   * Whether a stop lets running jobs finish within SHUTDOWN_GRACE_S before it aborts them (true);
   * false for work that runs until aborted (a singleton's loop), which the stop aborts at once.
   */
  graceful?: boolean;
}

export interface JobPoolOptions extends JobSetOptions {
  /** Jobs run at once by this instance. */
  slots: number;
}

/** A job's heartbeat: false when the job is no longer this instance's. */
type Beat = (nowMs: number) => Promise<boolean | void>;

interface Running {
  abort: AbortController;
  /** Settles (never rejects) when the job has ended. */
  ended: Promise<void>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The jobs running on this instance: their heartbeats, their grace and hand-back on stop. */
export class JobSet {
  protected readonly logger: Logger;
  protected readonly jobs = new Map<string, Running>();
  protected started = false;
  protected stopping = false;
  private sweepTimer?: NodeJS.Timeout;
  private stopped?: Promise<void>;

  constructor(
    readonly owner: string,
    readonly leaseMs: number,
    protected readonly graceMs: number,
    protected readonly options: JobSetOptions,
    /** After the jobs ended on stop: hands back what is still this instance's; returns how many. */
    private readonly release?: () => Promise<number>,
  ) {
    this.logger = options.logger ?? new Logger(LeasedJobs.name);
  }

  /** How many jobs run on this instance now. */
  get size(): number {
    return this.jobs.size;
  }

  has(id: string): boolean {
    return this.jobs.has(id);
  }

  /** Starts the background work of the set (the sweep); called once the service is up, not by CLI commands. */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    const sweep = this.options.sweepStale;
    if (sweep === undefined) return;
    const once = () =>
      void sweep(Date.now() - this.leaseMs, Date.now()).catch((error) =>
        this.logger.warn(`could not look for ${this.options.label}s of stopped instances: ${messageOf(error)}`),
      );
    once();
    this.sweepTimer = setInterval(once, this.leaseMs);
  }

  /**
   * Runs a job this instance owns: `beat` (its heartbeat, every `beatEveryMs` while it runs; one
   * at a time) returning false aborts its lease. The returned promise is the work's own.
   */
  run<T>(id: string, work: (lease: Lease) => Promise<T>, beat?: Beat): Promise<T> {
    const abort = new AbortController();
    const lease = this.leaseFor(id, abort);
    const stopBeating = beat === undefined ? () => Promise.resolve() : this.beatWhileRunning(lease, beat);
    // Settles once the last heartbeat has too: a caller that closes the database next (the CLI)
    // never has a heartbeat write still running on it.
    const done = work(lease).finally(stopBeating);
    const ended = done.then(
      () => undefined,
      () => undefined,
    );
    this.jobs.set(id, { abort, ended });
    this.options.onCount?.(this.jobs.size);
    void ended.finally(() => {
      this.jobs.delete(id);
      this.options.onCount?.(this.jobs.size);
      this.ended(id);
    });
    return done;
  }

  /**
   * Stops taking work, lets running jobs finish within SHUTDOWN_GRACE_S, aborts the rest and
   * hands back what is still this instance's. Once; a second call waits for the first.
   */
  stop(): Promise<void> {
    this.stopped ??= this.stopOnce();
    return this.stopped;
  }

  /** A job ended (a pool looks for the next). */
  protected ended(_id: string): void {}

  /** Before the grace: a pool stops claiming. */
  protected async stopTaking(): Promise<void> {}

  private async stopOnce(): Promise<void> {
    this.stopping = true;
    // Never started and nothing running (a CLI command): nothing to wait for or hand back.
    if (!this.started && this.jobs.size === 0) return;
    clearInterval(this.sweepTimer);
    await this.stopTaking();
    const { label } = this.options;
    if (this.jobs.size > 0 && this.options.graceful !== false) {
      this.logger.log(`waiting up to ${this.graceMs / 1000} s for ${this.jobs.size} running ${label}(s)`);
      let timer: NodeJS.Timeout | undefined;
      const all = Promise.all([...this.jobs.values()].map((j) => j.ended));
      await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, this.graceMs)))]);
      clearTimeout(timer);
    }
    const reason = this.options.stopReason?.() ?? new Error('the instance is stopping');
    for (const job of this.jobs.values()) job.abort.abort(reason);
    await Promise.all([...this.jobs.values()].map((j) => j.ended));
    if (this.release === undefined) return;
    const handedBack = await this.release();
    if (handedBack > 0) this.logger.log(`handed back ${handedBack} unfinished ${label}(s) to the other instances`);
  }

  private leaseFor(id: string, abort: AbortController): Lease {
    const { label } = this.options;
    const logger = this.logger;
    return {
      id,
      owner: this.owner,
      leaseMs: this.leaseMs,
      signal: abort.signal,
      lost() {
        if (abort.signal.aborted) return;
        logger.warn(`${label} ${id}: no longer this instance's (taken over after a stall, or deleted); stopping it`);
        abort.abort(new Error(`the ${label} is no longer this instance’s`));
      },
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          if (abort.signal.aborted) return resolve();
          const done = () => {
            clearTimeout(timer);
            abort.signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          abort.signal.addEventListener('abort', done);
        }),
    };
  }

  /** Heartbeats for one job until it ends; returns the function that stops them. */
  /** Beats one at a time until stopped; the stop resolves once the beat under way, if any, has ended. */
  private beatWhileRunning(lease: Lease, beat: Beat): () => Promise<void> {
    const every = this.options.beatEveryMs ?? Math.max(100, Math.floor(this.leaseMs / 3));
    let beating: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (beating !== null || lease.signal.aborted) return;
      beating = beat(Date.now())
        .then(
          (owned) => void (owned === false && lease.lost()),
          (error) => this.logger.warn(`${this.options.label} ${lease.id}: heartbeat not recorded: ${messageOf(error)}`),
        )
        .finally(() => (beating = null));
    }, every);
    return async () => {
      clearInterval(timer);
      await beating;
    };
  }
}

/** Jobs claimed from a table's rows, at most `slots` at once, oldest first as the source offers them. */
export class JobPool extends JobSet {
  private claimTimer?: NodeJS.Timeout;
  /** One claim pass at a time; a wake during a pass runs another after it. */
  private claiming: Promise<void> | null = null;
  private wakeAgain = false;

  constructor(
    owner: string,
    leaseMs: number,
    graceMs: number,
    private readonly source: LeasedRows,
    private readonly work: (id: string, lease: Lease) => Promise<void>,
    private readonly poolOptions: JobPoolOptions,
  ) {
    super(owner, leaseMs, graceMs, poolOptions, () => source.release(owner));
  }

  /** Starts claiming (every second, and at once). */
  override start(): void {
    if (this.started || this.stopping) return;
    super.start();
    this.claimTimer = setInterval(() => void this.wake(), CLAIM_EVERY_MS);
    void this.wake();
  }

  /** Looks for work now (after a trigger, or when a slot frees); settles when the pass in flight has ended. */
  wake(): Promise<void> {
    if (!this.started || this.stopping) return Promise.resolve();
    if (this.claiming !== null) {
      this.wakeAgain = true;
      return this.claiming;
    }
    const pass = this.claimFree()
      .catch((error) => this.logger.warn(`could not look for ${this.options.label}s to run: ${messageOf(error)}`))
      .finally(() => {
        this.claiming = null;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          void this.wake();
        }
      });
    this.claiming = pass;
    return pass;
  }

  protected override ended(): void {
    void this.wake();
  }

  protected override async stopTaking(): Promise<void> {
    clearInterval(this.claimTimer);
    await this.claiming;
  }

  private async claimFree(): Promise<void> {
    const { slots, label } = this.poolOptions;
    while (!this.stopping && this.jobs.size < slots) {
      const now = Date.now();
      const staleBefore = now - this.leaseMs;
      const candidates = await this.source.claimable(staleBefore, slots - this.jobs.size + 2);
      let claimed = false;
      for (const id of candidates) {
        if (this.stopping || this.jobs.size >= slots) return;
        if (this.jobs.has(id)) continue;
        if (await this.source.claim(id, this.owner, now, staleBefore)) {
          const job = this.run(
            id,
            (lease) => this.work(id, lease),
            (nowMs) => this.source.heartbeat(id, this.owner, nowMs),
          );
          job.catch((error) => this.logger.error(`${label} ${id} failed: ${messageOf(error)}`));
          claimed = true;
        }
      }
      if (!claimed) return; // nothing left to take (or others took it first)
    }
  }
}

/** Who owns the jobs of this process, and for how long it may stay silent or take to stop. */
export interface LeaseSettings {
  /** This instance, as recorded as the owner (INSTANCE_ID). */
  owner: string;
  /** JOB_LEASE_S in ms. */
  leaseMs: number;
  /** SHUTDOWN_GRACE_S in ms. */
  graceMs: number;
}

/** The settings of the process: INSTANCE_ID, JOB_LEASE_S (or REPORT_LEASE_S) and SHUTDOWN_GRACE_S. */
export function leaseSettingsOf(config: ConfigService<EnvironmentVariables, true>): LeaseSettings {
  return {
    owner: INSTANCE_ID,
    leaseMs: jobLeaseMsOf(config),
    graceMs: config.get('SHUTDOWN_GRACE_S', { infer: true }) * 1000,
  };
}

/** Makes the job sets of this instance (provided by JobsModule). */
export class LeasedJobs {
  readonly owner: string;
  readonly leaseMs: number;
  readonly graceMs: number;

  constructor(
    private readonly leases: JobLeaseRepository,
    settings: LeaseSettings,
  ) {
    this.owner = settings.owner;
    this.leaseMs = settings.leaseMs;
    this.graceMs = settings.graceMs;
  }

  /** Jobs this instance owns from their start (see the top of this file). */
  tracked(options: JobSetOptions): JobSet {
    return new JobSet(this.owner, this.leaseMs, this.graceMs, options);
  }

  /** Jobs claimed from a table's rows, `slots` at once. */
  rows(source: LeasedRows, work: (id: string, lease: Lease) => Promise<void>, options: JobPoolOptions): JobPool {
    return new JobPool(this.owner, this.leaseMs, this.graceMs, source, work, options);
  }

  /** One named lease (`job_lease`): of all instances one runs `run` at a time. */
  singleton(name: string, run: (lease: Lease) => Promise<void>, options: Omit<JobSetOptions, 'label'> = {}): JobPool {
    const leases = this.leases;
    const source: LeasedRows = {
      claimable: async (staleBeforeMs) => ((await leases.isClaimable(name, staleBeforeMs)) ? [name] : []),
      claim: (_id, owner, nowMs, staleBeforeMs) => leases.claim(name, owner, nowMs, staleBeforeMs),
      heartbeat: (_id, owner, nowMs) => leases.heartbeat(name, owner, nowMs),
      release: async (owner) => ((await leases.release(name, owner)) ? 1 : 0),
    };
    const logger = options.logger ?? new Logger(LeasedJobs.name);
    const work = async (_id: string, lease: Lease) => {
      try {
        await run(lease);
      } finally {
        // Returned or failed: the next claim pass takes it again (here or elsewhere).
        await leases
          .release(name, lease.owner)
          .catch((error) => logger.warn(`lease ${name}: not handed back: ${messageOf(error)}`));
      }
    };
    // A singleton's run loops until its signal aborts: a stop aborts it at once (no grace to wait out).
    return new JobPool(this.owner, this.leaseMs, this.graceMs, source, work, {
      ...options,
      logger,
      label: 'lease',
      slots: 1,
      graceful: false,
    });
  }
}
