import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { EnvironmentVariables, jobLeaseMsOf } from '../config/env.validation';
import { SqlClient } from '../database/sql-client';
import { JobPool, Lease, LeasedJobs } from '../jobs/leased-jobs';
import { MetricsService } from '../metrics/metrics.service';
import { AlertDeliveryRepository, DeliveryRecord } from '../repositories/alert-delivery.repository';
import { AlertEventRepository } from '../repositories/alert-event.repository';
import { ImportRunRepository } from '../repositories/import-run.repository';
import { MonitorStateRepository } from '../repositories/monitor-state.repository';
import { MonitorService } from './monitor.service';
import { eventBody } from './utils/event-body.util';
import { retryDelayMs } from './utils/retry-delay.util';
import { signBody } from './utils/sign-body.util';

/** How often the owner looks for deliveries due (and for an as_of left unevaluated). */
const TICK_MS = 500;
/** Events handed to delivery per read. */
const FAN_OUT_BATCH = 500;
/** Deliveries in flight at once (each store's in order, one at a time). */
const IN_FLIGHT = 8;
/** An attempt is claimed for its timeout and this much more. */
const CLAIM_MARGIN_MS = 5000;

/**
 * Delivers the incident events to ALERT_WEBHOOK_URLS (SPEC §5). One instance at a time owns the
 * delivery (a singleton lease): it makes each new event's deliveries (one per URL), then POSTs
 * those due, each store's in the order its events were recorded, signed with
 * ALERT_WEBHOOK_SECRET; a non-2xx answer or a timeout is tried again with exponential back-off
 * until ALERT_RETRY_H after the event, then it has failed for good. A delivery is marked
 * delivered as soon as its 2xx arrives, so a kill loses none and repeats at most the ones in
 * flight. The owner also evaluates the live monitor when the live as_of moved without an
 * evaluation (an instance that died between an import and its evaluation).
 */
@Injectable()
export class WebhookDeliverer implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly worker: JobPool;
  private readonly urls: string[];
  private readonly secret: string | undefined;
  private readonly retryMs: number;
  private readonly firstDelayMs: number;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;

  constructor(
    leases: LeasedJobs,
    private readonly sql: SqlClient,
    private readonly monitor: MonitorService,
    private readonly state: MonitorStateRepository,
    private readonly events: AlertEventRepository,
    private readonly deliveries: AlertDeliveryRepository,
    private readonly imports: ImportRunRepository,
    private readonly metrics: MetricsService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.urls = (config.get('ALERT_WEBHOOK_URLS', { infer: true }) ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter((url) => url !== '');
    this.secret = config.get('ALERT_WEBHOOK_SECRET', { infer: true });
    this.retryMs = config.get('ALERT_RETRY_H', { infer: true }) * 3_600_000;
    this.firstDelayMs = config.get('ALERT_BACKOFF_S', { infer: true }) * 1000;
    this.timeoutMs = config.get('ALERT_TIMEOUT_S', { infer: true }) * 1000;
    this.leaseMs = jobLeaseMsOf(config);
    this.worker = leases.singleton('webhook-delivery', (lease) => this.run(lease), { logger: this.logger });
  }

  /** Starts taking part (the HTTP service only). */
  start(): void {
    this.worker.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }

  private async run(lease: Lease): Promise<void> {
    while (!lease.signal.aborted) {
      try {
        await this.evaluateIfBehind();
        await this.fanOut();
        await this.deliverDue(lease.signal);
      } catch (error) {
        this.logger.warn(`webhook delivery: ${(error as Error).message}; trying again shortly`);
      }
      await lease.sleep(TICK_MS);
    }
  }

  /**
   * Every import ends with an evaluation; one that did not (its instance died first) leaves the
   * live as_of unevaluated. Caught up once no import is running (one running evaluates at its end,
   * and an evaluation beside it would only slow it).
   */
  private async evaluateIfBehind(): Promise<void> {
    const { current, asOfUs } = await this.monitor.isCurrent();
    if (current || asOfUs === null) return;
    if (await this.imports.anyRunning(Date.now() - this.leaseMs)) return;
    await this.monitor.evaluate({ onlyIfBehind: true });
  }

  /** Makes the deliveries of the events recorded since the last fan-out, one per URL (none when no URL is set). */
  private async fanOut(): Promise<void> {
    for (;;) {
      const { fannedOutId } = await this.state.read();
      const events = await this.events.after(fannedOutId, FAN_OUT_BATCH);
      if (events.length === 0) return;
      const now = Date.now();
      const rows: DeliveryRecord[] = events.flatMap((event) =>
        this.urls.map((url) => {
          // An event older than the retry window (recorded while no instance delivered) is not sent late.
          const late = now - event.createdAtMs >= this.retryMs;
          return {
            eventId: event.id,
            target: createHash('sha256').update(url).digest('hex').slice(0, 16),
            url,
            storeId: event.storeId,
            state: late ? ('failed' as const) : ('pending' as const),
            attempts: 0,
            nextAttemptAtMs: now,
            lastError: late ? 'not sent: recorded longer than ALERT_RETRY_H ago' : null,
            deliveredAtMs: null,
          };
        }),
      );
      await this.sql.transaction(async (tx) => {
        await this.deliveries.on(tx).insert(rows);
        await this.state.on(tx).fannedOut(events[events.length - 1].id);
      });
      if (events.length < FAN_OUT_BATCH) return;
    }
  }

  /** Sends what is due: for each store and URL, only its oldest pending delivery. */
  private async deliverDue(signal: AbortSignal): Promise<void> {
    const pending = await this.deliveries.pending(5000);
    this.metrics.deliveriesWaiting(pending.length);
    const heads = new Map<string, DeliveryRecord>();
    for (const d of pending) if (!heads.has(`${d.storeId} ${d.target}`)) heads.set(`${d.storeId} ${d.target}`, d);
    const now = Date.now();
    const due = [...heads.values()].filter((d) => d.nextAttemptAtMs <= now);
    if (due.length === 0) return;
    const events = await this.events.find([...new Set(due.map((d) => d.eventId))]);
    let next = 0;
    const lane = async () => {
      while (next < due.length && !signal.aborted) {
        const delivery = due[next++];
        const event = events.get(delivery.eventId);
        if (event !== undefined) await this.attempt(delivery, JSON.stringify(eventBody(event)), event.createdAtMs);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, due.length) }, lane));
  }

  private async attempt(delivery: DeliveryRecord, body: string, createdAtMs: number): Promise<void> {
    // Claimed until well after the attempt's timeout: an instance that took over the lease meanwhile
    // does not send it too, and one that dies mid-attempt leaves it due again after that.
    const claimedUntil = Date.now() + this.timeoutMs + CLAIM_MARGIN_MS;
    if (!(await this.deliveries.claimAttempt(delivery.eventId, delivery.target, delivery.nextAttemptAtMs, claimedUntil))) return;
    const error = await this.post(delivery.url, body, delivery.eventId);
    const attempts = delivery.attempts + 1;
    const now = Date.now();
    if (error === null) {
      await this.deliveries.attempted(delivery.eventId, delivery.target, {
        state: 'delivered',
        attempts,
        nextAttemptAtMs: now,
        lastError: null,
        deliveredAtMs: now,
      });
      this.metrics.deliveryAttempted('delivered');
      return;
    }
    const nextAt = now + retryDelayMs(attempts, this.firstDelayMs);
    const givingUp = nextAt > createdAtMs + this.retryMs;
    await this.deliveries.attempted(delivery.eventId, delivery.target, {
      state: givingUp ? 'failed' : 'pending',
      attempts,
      nextAttemptAtMs: givingUp ? now : nextAt,
      lastError: error,
      deliveredAtMs: null,
    });
    this.metrics.deliveryAttempted(givingUp ? 'failed' : 'retried');
    if (givingUp) {
      this.logger.error(
        `event ${delivery.eventId} (store ${delivery.storeId}) to ${delivery.url}: not delivered after ${attempts} attempt(s): ${error}`,
      );
    }
  }

  /** POSTs one event; null when answered 2xx, else why not (short, for the record). */
  private async post(url: string, body: string, eventId: number): Promise<string | null> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-store-monitor-event-id': String(eventId),
    };
    if (this.secret !== undefined && this.secret !== '') headers['x-store-monitor-signature'] = signBody(body, this.secret);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel();
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      if (e.name === 'TimeoutError') return `no answer within ${this.timeoutMs / 1000} s`;
      return `could not connect: ${e.cause?.code ?? e.message}`.slice(0, 200);
    }
  }
}
