import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EnvironmentVariables } from '../config/env.validation';
import { MetricsService } from '../metrics/metrics.service';
import { chunksOf } from '../common/utils/chunks-of.util';
import { withRetry } from '../database/retrying';
import { SqlClient, SqlSession } from '../database/sql-client';
import { HoursRow, Poll, storeZone, US_PER_HOUR, US_PER_WEEK } from '../engine/utils';
import { AlertEventRecord, AlertEventRepository, eventKey } from '../repositories/alert-event.repository';
import { ImportRunRepository, RunsState } from '../repositories/import-run.repository';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { MonitorState, MonitorStateRepository } from '../repositories/monitor-state.repository';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoreStateRepository, StoreStateRow } from '../repositories/store-state.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { boardRowOf } from './utils/board-row-of.util';
import { evaluateStore, StoreEvaluation } from './utils/evaluate-store.util';
import { RecentPolls } from './recent-polls';

/** One store evaluated at an as_of. */
export interface EvaluatedStore {
  storeId: string;
  zone: string;
  evaluation: StoreEvaluation;
}

/**
 * What an import that has just written a polls file knows of it, so that the evaluation that
 * follows reads none of those polls again (see MonitorService.windowsOf).
 */
export interface ImportedPolls {
  importId: string;
  /** The file's recent polls, within the lookback of its latest. */
  recent: RecentPolls;
  /** Each store's latest poll (`store.last_poll_us`) before the file's polls were written. */
  latestBefore: ReadonlyMap<string, number>;
  /** The other import runs when `latestBefore` was read. */
  othersBefore: RunsState;
}

/**
 * Stores evaluated ahead of their import's commit (MonitorService.prepare), and what that
 * evaluation took as given: used only where it still holds under the evaluation's lock.
 */
export interface PreparedEvaluation {
  asOfUs: number;
  /** The monitor's row when the stores' board rows were read: no evaluation may have run since. */
  monitor: Pick<MonitorState, 'evaluatedAsOfUs' | 'evaluatedAtMs' | 'nextEventId'>;
  stores: Map<string, EvaluatedStore>;
}

export interface EvaluationOutcome {
  /** The live as_of evaluated; null when no poll is held. */
  asOfUs: number | null;
  stores: number;
  /** Stores whose polls were the import's own (ImportedPolls), not read. */
  fromImport: number;
  /** Stores taken as evaluated ahead (PreparedEvaluation). */
  prepared: number;
  /** Events recorded by this evaluation. */
  recorded: number;
  /** The recorded events (their types, for the metrics). */
  events: { type: string }[];
}

/** A batch of stores and what their evaluation reads of them. */
interface Batch {
  storeIds: string[];
  polls: Map<string, Poll[]>;
  hours: Map<string, HoursRow[]>;
  zones: Map<string, string>;
}

/** What an evaluation reads, on one session. */
interface Reads {
  polls: PollRepository;
  hours: BusinessHoursRepository;
  zones: StoreTimezoneRepository;
}

/**
 * The live monitor (SPEC §5): evaluates every store at the live as_of (the latest poll held),
 * keeps each store's board row (`store_state`) and records the incident events due, each once.
 *
 * An evaluation is one write transaction that first locks `monitor_state`, so evaluations run one
 * at a time whatever the number of instances (on Galera a concurrent one fails certification and
 * runs again), every event id is taken in that order, and an evaluation that stops half-way
 * records nothing. Each store's polls are read from the lookback's start (or from its announced
 * incident's start, when that is earlier), never its whole history; after an import, those of
 * the stores whose window is wholly the import's are taken from it instead (windowsOf).
 *
 * The polls, hours and zones are read outside that transaction, on connections of the client's
 * own, two batches ahead: on MySQL the reads then keep both of the server's threads busy beside
 * the transaction's writes. Each store's polls are one statement's (one moment's); an import that
 * commits meanwhile is evaluated again by the evaluation that follows it, under the same lock.
 */
@Injectable()
export class MonitorService {
  private readonly logger = new Logger(MonitorService.name);
  /** ALERT_LOOKBACK_H in µs. */
  readonly lookbackUs: number;

  constructor(
    private readonly sql: SqlClient,
    private readonly monitor: MonitorStateRepository,
    private readonly states: StoreStateRepository,
    private readonly events: AlertEventRepository,
    private readonly stores: StoreRepository,
    private readonly polls: PollRepository,
    private readonly hours: BusinessHoursRepository,
    private readonly zones: StoreTimezoneRepository,
    private readonly runs: ImportRunRepository,
    private readonly metrics: MetricsService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.lookbackUs = config.get('ALERT_LOOKBACK_H', { infer: true }) * US_PER_HOUR;
  }

  /**
   * Evaluates every store at the live as_of and records the events due. With `onlyIfBehind`
   * (a catch-up), nothing is done when the evaluation found under the lock is of the live as_of
   * already; null then.
   */
  async evaluate(options?: { imported?: ImportedPolls; prepared?: PreparedEvaluation | null }): Promise<EvaluationOutcome>;
  async evaluate(options: { onlyIfBehind: true }): Promise<EvaluationOutcome | null>;
  async evaluate(
    options: { onlyIfBehind?: boolean; imported?: ImportedPolls; prepared?: PreparedEvaluation | null } = {},
  ): Promise<EvaluationOutcome | null> {
    const started = Date.now();
    const behindOnly = options.onlyIfBehind === true;
    const { imported, prepared } = options;
    const outcome = await withRetry(() => this.sql.transaction((tx) => this.evaluateIn(tx, behindOnly, imported, prepared)), {
      what: 'the live monitor’s evaluation',
      onRetry: (message) => this.logger.warn(message),
    });
    if (outcome === null) return null;
    this.metrics.monitorEvaluated((Date.now() - started) / 1000, outcome.events);
    this.logger.log(
      `evaluated ${outcome.stores} stores (${outcome.fromImport} from the import's own polls, ${outcome.prepared} ahead) at ${outcome.asOfUs === null ? 'no poll' : new Date(outcome.asOfUs / 1000).toISOString()}: ` +
        `${outcome.recorded} event(s) recorded in ${Date.now() - started} ms`,
    );
    return outcome;
  }

  /**
   * Evaluates ahead, outside any transaction, the stores whose polls at the as_of the import
   * leaves are all its own (windowsOf), while its last polls are still being written: their
   * hours, zones and board rows are read now. A store that needs polls of the database (an
   * announced incident older than the window, or one the window cuts) is left to `evaluate`,
   * which takes these stores as they are only if, under its lock, the as_of is this one, no
   * evaluation has run since and the import was the only one (else it evaluates every store).
   * MySQL only: SQLite's reads run on this thread and would hold requests up during the import.
   */
  async prepare(imported: ImportedPolls): Promise<PreparedEvaluation | null> {
    if (!this.sql.concurrentWriters) return null;
    let asOfUs = -Infinity;
    for (const t of imported.latestBefore.values()) if (t > asOfUs) asOfUs = t;
    for (const t of imported.recent.timestampUs) if (t > asOfUs) asOfUs = t;
    if (asOfUs === -Infinity) return null;
    const fromUs = asOfUs - this.lookbackUs;
    if (imported.recent.fromUs > fromUs) return null;
    // Each store's window built as its batch is read, not all at once: they then die young.
    const own = new Map<string, number>();
    const turn = turns(TURN_MS);
    for (const [i, id] of imported.recent.storeIds.entries()) {
      await turn();
      if (this.isOwnWindow(imported, i, asOfUs)) own.set(id, i);
    }
    const windows = {
      has: (id: string) => own.has(id),
      get: (id: string) => (own.has(id) ? this.windowAt(imported.recent, own.get(id)!, asOfUs) : undefined),
    };
    const ids = [...own.keys()];
    // The monitor's row first: an evaluation that commits after it changes it.
    const monitor = await this.monitor.on(this.sql).read();
    const before = await this.states.on(this.sql).all();
    const reads = this.readsOn(this.sql);
    const stores = new Map<string, EvaluatedStore>();
    // One batch read ahead: the import's last batches keep MariaDB's threads busy already.
    for await (const { storeIds, polls, hours, zones } of this.batchesOf(reads, ids, asOfUs, windows, 1)) {
      for (const storeId of storeIds) {
        await turn();
        const open = before.get(storeId)?.openIncidentUs ?? null;
        if (open !== null && open < fromUs) continue;
        const store = { storeId, hours: hours.get(storeId) ?? [], zone: storeZone(zones.get(storeId)) };
        const evaluation = this.evaluateFrom(store, fromUs, asOfUs, polls, before);
        if (!evaluation.cut) stores.set(storeId, { storeId, zone: store.zone, evaluation });
      }
    }
    return { asOfUs, monitor, stores };
  }

  /** Whether the stores' board rows are those of the live as_of (`asOfUs`), and the as_of they are of. */
  async isCurrent(): Promise<{ current: boolean; asOfUs: number | null; evaluatedAsOfUs: number | null }> {
    const [state, latest] = await Promise.all([this.monitor.read(), this.stores.latestPollUs()]);
    const current = state.evaluatedAtMs !== null && state.evaluatedAsOfUs === latest;
    return { current, asOfUs: latest, evaluatedAsOfUs: state.evaluatedAtMs === null ? null : state.evaluatedAsOfUs };
  }

  /**
   * Every store evaluated at an as_of without recording anything (the board at a past as_of):
   * incidents are the store view's, cut at the week's start.
   */
  async evaluateAt(session: SqlSession, asOfUs: number): Promise<EvaluatedStore[]> {
    const ids = await this.stores.on(session).ids();
    const reads = this.readsOn(session);
    const all: EvaluatedStore[] = [];
    for await (const evaluated of this.evaluatedBatches(reads, ids, asOfUs, new Map(), new Map())) all.push(...evaluated);
    return all;
  }

  private async evaluateIn(
    tx: SqlSession,
    onlyIfBehind: boolean,
    imported?: ImportedPolls,
    prepared?: PreparedEvaluation | null,
  ): Promise<EvaluationOutcome | null> {
    const monitor = await this.monitor.on(tx).read(true);
    const asOfUs = await this.stores.on(tx).latestPollUs();
    if (onlyIfBehind && monitor.evaluatedAtMs !== null && monitor.evaluatedAsOfUs === asOfUs) return null;
    const onlyWriter = imported !== undefined && asOfUs !== null && (await this.isOnlyWriter(tx, imported));
    const taken =
      onlyWriter &&
      prepared?.asOfUs === asOfUs &&
      prepared.monitor.evaluatedAtMs === monitor.evaluatedAtMs &&
      prepared.monitor.evaluatedAsOfUs === monitor.evaluatedAsOfUs &&
      prepared.monitor.nextEventId === monitor.nextEventId
        ? prepared
        : null;
    const known = onlyWriter ? await this.windowsOf(imported, asOfUs) : new Map<string, Poll[]>();
    const ahead = taken?.stores ?? new Map<string, EvaluatedStore>();
    const ids = await this.stores.on(tx).ids();
    const before = await this.states.on(tx).all();
    const reads = this.readsOn(this.sql);
    const events = this.events.on(tx);
    const now = Date.now();
    let nextId = monitor.nextEventId;
    const types: { type: string }[] = [];
    /** Records the events due of stores evaluated, and their changed board rows. */
    const record = async (evaluated: EvaluatedStore[]) => {
      const due = evaluated.filter((s) => s.evaluation.events.length > 0);
      if (due.length > 0 && asOfUs !== null) {
        const from = Math.min(...due.flatMap((s) => s.evaluation.events.map((e) => e.startUs)));
        const held = await events.keysOf(
          due.map((s) => s.storeId),
          from,
        );
        const recorded: AlertEventRecord[] = [];
        for (const { storeId, zone, evaluation } of due) {
          for (const event of evaluation.events) {
            const key = eventKey(storeId, event.type, event.startUs);
            if (held.has(key)) continue;
            held.add(key);
            recorded.push({
              id: nextId++,
              type: event.type,
              storeId,
              incidentStartUs: event.startUs,
              incidentEndUs: event.type === 'store.up' ? event.endUs : null,
              asOfUs,
              zone,
              createdAtMs: now,
            });
          }
        }
        await events.insert(recorded);
        types.push(...recorded);
      }

      const changed: StoreStateRow[] = [];
      for (const { storeId, evaluation } of evaluated) {
        const row = boardRowOf(storeId, evaluation);
        const old = before.get(storeId);
        if (old?.rank !== row.rank || old.sinceUs !== row.sinceUs || old.openIncidentUs !== row.openIncidentUs) changed.push(row);
      }
      await this.states.on(tx).upsert(changed);
    };
    const given = ahead.size > 0 ? ids.filter((id) => ahead.has(id)) : [];
    for (const storeIds of chunksOf(given, this.polls.storesPerRead)) await record(storeIds.map((id) => ahead.get(id)!));
    const rest = given.length > 0 ? ids.filter((id) => !ahead.has(id)) : ids;
    for await (const evaluated of this.evaluatedBatches(reads, rest, asOfUs, before, known)) await record(evaluated);
    await this.monitor.on(tx).evaluated(asOfUs, now, nextId);
    return {
      asOfUs,
      stores: ids.length,
      fromImport: known.size,
      prepared: given.length,
      recorded: nextId - monitor.nextEventId,
      events: types,
    };
  }

  /**
   * Whether the import was the only writer since `latestBefore` was read: none other is Running
   * (a crashed one not yet swept included), and none has started or ended since. Its own polls
   * are then exactly the database's where windowsOf takes them.
   */
  private async isOnlyWriter(tx: SqlSession, imported: ImportedPolls): Promise<boolean> {
    const others = await this.runs.on(tx).othersState(imported.importId);
    return others.running === 0 && others.key === imported.othersBefore.key;
  }

  /**
   * The import's own polls of the stores whose window at `asOfUs` they are, the import being the
   * only writer: its recent polls cover the window, and the store's polls before the import all
   * lie before the window and no later than the import's own last poll before it (a repeated time
   * is the import's row). The other stores are read as always.
   */
  private async windowsOf(imported: ImportedPolls, asOfUs: number): Promise<Map<string, Poll[]>> {
    const windows = new Map<string, Poll[]>();
    const { recent } = imported;
    if (recent.fromUs > asOfUs - this.lookbackUs) return windows;
    const turn = turns(TURN_MS);
    for (const [i, storeId] of recent.storeIds.entries()) {
      await turn();
      if (this.isOwnWindow(imported, i, asOfUs)) windows.set(storeId, this.windowAt(recent, i, asOfUs));
    }
    return windows;
  }

  /** Whether store `i` of the import's recent polls has its window at `asOfUs` as windowsOf takes it. */
  private isOwnWindow({ recent, latestBefore }: ImportedPolls, i: number, asOfUs: number): boolean {
    const before = latestBefore.get(recent.storeIds[i]);
    if (before === undefined) return true;
    const fromUs = asOfUs - this.lookbackUs;
    let lastUs = -Infinity;
    for (let k = recent.offsets[i]; k < recent.offsets[i + 1] && recent.timestampUs[k] < fromUs; k++)
      lastUs = recent.timestampUs[k];
    return before < fromUs && lastUs !== -Infinity && lastUs >= before;
  }

  /** Store `i`'s window at `asOfUs` from the import's recent polls: its last poll before, and those in it. */
  private windowAt(recent: RecentPolls, i: number, asOfUs: number): Poll[] {
    const fromUs = asOfUs - this.lookbackUs;
    let last: Poll | undefined;
    const list: Poll[] = [];
    for (let k = recent.offsets[i]; k < recent.offsets[i + 1]; k++) {
      const poll = { tsUs: recent.timestampUs[k], active: recent.active[k] === 1 };
      if (poll.tsUs < fromUs) last = poll;
      else if (poll.tsUs <= asOfUs) list.push(poll);
    }
    return last ? [last, ...list] : list;
  }

  private readsOn(session: SqlSession): Reads {
    return { polls: this.polls.on(session), hours: this.hours.on(session), zones: this.zones.on(session) };
  }

  /**
   * The stores' reads in batches, `readsAhead` batches' reads sent while one is evaluated (so the
   * database works while the engine does), polls from the lookback's start.
   */
  private async *batchesOf(
    reads: Reads,
    ids: readonly string[],
    asOfUs: number,
    known: Pick<ReadonlyMap<string, Poll[]>, 'has' | 'get'>,
    readsAhead = READS_AHEAD,
  ): AsyncGenerator<Batch> {
    const read = async (storeIds: string[]): Promise<Batch> => {
      const unknown = storeIds.filter((id) => !known.has(id));
      const [polls, hours, zones] = await Promise.all([
        unknown.length > 0 ? reads.polls.windowOf(unknown, asOfUs - this.lookbackUs, asOfUs) : new Map<string, Poll[]>(),
        reads.hours.schedulesOf(storeIds),
        reads.zones.zonesOf(storeIds),
      ]);
      for (const id of storeIds) {
        const window = known.get(id);
        if (window !== undefined && window.length > 0) polls.set(id, window);
      }
      return { storeIds, polls, hours, zones };
    };
    const chunks = chunksOf(ids, this.polls.storesPerRead);
    const ahead: Promise<Batch>[] = [];
    const readAhead = (c: number) => {
      if (c >= chunks.length) return;
      const next = read(chunks[c]);
      next.catch(() => undefined); // awaited (and thrown) in its turn
      ahead.push(next);
    };
    for (let c = 0; c < readsAhead; c++) readAhead(c);
    for (let c = 0; c < chunks.length; c++) {
      const batch = await ahead.shift()!;
      readAhead(c + readsAhead);
      yield batch;
    }
  }

  /**
   * Every store evaluated at `asOfUs`, a batch at a time (no_data for all when no poll is held);
   * the stores whose incident the lookback's window cuts come last, evaluated from the week, in
   * the batches' order.
   */
  private async *evaluatedBatches(
    reads: Reads,
    ids: readonly string[],
    asOfUs: number | null,
    before: ReadonlyMap<string, StoreStateRow>,
    known: ReadonlyMap<string, Poll[]>,
  ): AsyncGenerator<EvaluatedStore[]> {
    if (asOfUs === null) {
      for (const storeIds of chunksOf(ids, this.polls.storesPerRead))
        yield storeIds.map((storeId) => ({ storeId, zone: '', evaluation: NO_DATA }));
      return;
    }
    // A batch's cut stores are read and evaluated while the batches after it are: their week's
    // read then waits on the database beside the engine's work, not after it.
    const cuts: Promise<EvaluatedStore[]>[] = [];
    for await (const batch of this.batchesOf(reads, ids, asOfUs, known)) {
      const cut: StoreContext[] = [];
      yield await this.evaluateStores(reads, batch, asOfUs, before, cut);
      if (cut.length === 0) continue;
      const evaluated = this.evaluateFromWeek(reads, cut, asOfUs, before);
      evaluated.catch(() => undefined); // awaited (and thrown) in its turn
      cuts.push(evaluated);
    }
    // (recorded a batch's worth at a time, as the others are)
    for (const stores of chunksOf((await Promise.all(cuts)).flat(), this.polls.storesPerRead)) yield stores;
  }

  /**
   * A batch of stores at `asOfUs`: polls from the lookback's start; a store whose announced
   * incident began earlier, from there. A store whose incident the window cuts goes to `cut`
   * instead (evaluateFromWeek, read while the next batches are evaluated).
   */
  private async evaluateStores(
    reads: Reads,
    { storeIds, polls, hours, zones }: Batch,
    asOfUs: number,
    before: ReadonlyMap<string, StoreStateRow>,
    cut: StoreContext[],
  ): Promise<EvaluatedStore[]> {
    const fromUs = asOfUs - this.lookbackUs;
    const results: EvaluatedStore[] = [];
    for (const [i, storeId] of storeIds.entries()) {
      // The engine runs on the service's main thread: let requests through between short runs of it.
      if (i % STORES_PER_TURN === STORES_PER_TURN - 1) await new Promise((resolve) => setImmediate(resolve));
      const store = { storeId, hours: hours.get(storeId) ?? [], zone: storeZone(zones.get(storeId)) };
      const open = before.get(storeId)?.openIncidentUs ?? null;
      const evaluation =
        open !== null && open < fromUs
          ? this.evaluateFrom(store, open, asOfUs, await reads.polls.windowOf([storeId], open, asOfUs), before)
          : this.evaluateFrom(store, fromUs, asOfUs, polls, before);
      if (evaluation.cut) cut.push(store);
      else results.push({ storeId, zone: store.zone, evaluation });
    }
    return results;
  }

  /** Stores whose incident the lookback's window cut, evaluated from the week's start (where the store view cuts it too). */
  private async evaluateFromWeek(
    reads: Reads,
    stores: StoreContext[],
    asOfUs: number,
    before: ReadonlyMap<string, StoreStateRow>,
  ): Promise<EvaluatedStore[]> {
    const weekStart = asOfUs - US_PER_WEEK;
    const week = await reads.polls.windowOf(
      stores.map((s) => s.storeId),
      weekStart,
      asOfUs,
    );
    return stores.map((store) => ({
      storeId: store.storeId,
      zone: store.zone,
      evaluation: this.evaluateFrom(store, weekStart, asOfUs, week, before),
    }));
  }

  private evaluateFrom(
    { storeId, hours, zone }: StoreContext,
    fromUs: number,
    asOfUs: number,
    polls: ReadonlyMap<string, Poll[]>,
    before: ReadonlyMap<string, StoreStateRow>,
  ): StoreEvaluation {
    return evaluateStore({
      asOfUs,
      fromUs,
      lookbackUs: this.lookbackUs,
      hours,
      zone,
      polls: polls.get(storeId) ?? [],
      openIncidentUs: before.get(storeId)?.openIncidentUs ?? null,
    });
  }
}

/** What a store's evaluation needs besides its polls. */
interface StoreContext {
  storeId: string;
  hours: HoursRow[];
  zone: string;
}

/** Batches read ahead of the one evaluated: two keep MariaDB's threads busy while the engine runs. */
const READS_AHEAD = 2;

/** Stores evaluated between two turns of the event loop. */
const STORES_PER_TURN = 25;

/** The longest the evaluation ahead works between two turns of the event loop, in ms. */
const TURN_MS = 4;

/** A function that lets the event loop turn once `ms` have passed since it last did. */
function turns(ms: number): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < ms) return;
    await new Promise((resolve) => setImmediate(resolve));
    last = performance.now();
  };
}

const NO_DATA: StoreEvaluation = { cut: false, state: 'no_data', sinceUs: null, openIncidentUs: null, events: [] };
