import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { methodLabel } from './utils/method-label.util';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LONG_SECONDS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * The service's Prometheus metrics, in a registry of its own (so that tests can build several
 * apps in one process). Features record what they do; GET /metrics shows it.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'store_monitor_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpSeconds = new Histogram({
    name: 'store_monitor_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly reports = new Counter({
    name: 'store_monitor_reports_total',
    help: 'Reports by outcome: started (claimed for building), completed, failed, handed_back',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly reportSeconds = new Histogram({
    name: 'store_monitor_report_duration_seconds',
    help: 'Time to build a report on this instance, by outcome',
    labelNames: ['outcome'] as const,
    buckets: LONG_SECONDS,
    registers: [this.registry],
  });
  private readonly reportsRunning = new Gauge({
    name: 'store_monitor_reports_running',
    help: 'Reports this instance is building now',
    registers: [this.registry],
  });
  private readonly imports = new Counter({
    name: 'store_monitor_imports_total',
    help: 'Imports by source and outcome: started, complete, failed, interrupted',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly importSeconds = new Histogram({
    name: 'store_monitor_import_duration_seconds',
    help: 'Time of an import, by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    buckets: LONG_SECONDS,
    registers: [this.registry],
  });
  private readonly importRows = new Counter({
    name: 'store_monitor_import_rows_total',
    help: 'Rows imported, by feed and outcome: inserted, unchanged, replaced, rejected',
    labelNames: ['feed', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly deliveries = new Counter({
    name: 'store_monitor_webhook_deliveries_total',
    help: 'Webhook delivery attempts of incident events, by outcome: delivered, retried, failed (for good)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly deliveriesPending = new Gauge({
    name: 'store_monitor_webhook_deliveries_pending',
    help: 'Webhook deliveries not yet made, as the delivering instance last saw them',
    registers: [this.registry],
  });
  private readonly evaluations = new Histogram({
    name: 'store_monitor_monitor_evaluation_duration_seconds',
    help: 'Time of one live-monitor evaluation of every store',
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly incidentEvents = new Counter({
    name: 'store_monitor_incident_events_total',
    help: 'Incident events recorded by this instance, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'store_monitor_' });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpSeconds.observe(labels, seconds);
  }

  /**
   * A request refused before routing (not HTTP, a malformed header or URL, headers too large, a
   * CONNECT): counted under the route 'refused', not timed (Node's parser has no start time).
   */
  httpRefused(method: string | undefined, status: number): void {
    this.httpRequests.inc({ method: methodLabel(method), route: 'refused', status: String(status) });
  }

  deliveryAttempted(outcome: 'delivered' | 'retried' | 'failed'): void {
    this.deliveries.inc({ outcome });
  }

  deliveriesWaiting(count: number): void {
    this.deliveriesPending.set(count);
  }

  monitorEvaluated(seconds: number, recorded: { type: string }[]): void {
    this.evaluations.observe(seconds);
    for (const { type } of recorded) this.incidentEvents.inc({ type });
  }

  reportStarted(): void {
    this.reports.inc({ outcome: 'started' });
  }

  reportEnded(outcome: 'completed' | 'failed' | 'handed_back', seconds: number): void {
    this.reports.inc({ outcome });
    this.reportSeconds.observe({ outcome }, seconds);
  }

  reportsBuilding(count: number): void {
    this.reportsRunning.set(count);
  }

  importStarted(source: string): void {
    this.imports.inc({ source, outcome: 'started' });
  }

  importEnded(source: string, outcome: 'complete' | 'failed' | 'interrupted', seconds: number): void {
    this.imports.inc({ source, outcome });
    this.importSeconds.observe({ source, outcome }, seconds);
  }

  rowsImported(feed: string, counts: { inserted?: number; unchanged?: number; replaced?: number; rejected?: number }): void {
    for (const outcome of ['inserted', 'unchanged', 'replaced', 'rejected'] as const) {
      const n = counts[outcome] ?? 0;
      if (n > 0) this.importRows.inc({ feed, outcome }, n);
    }
  }
}
