import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqlClient } from '../database/sql-client';
import { BuiltReport } from './build-report';
import type { ReportWorkerMessage } from './report-build.worker';
import { buildReportInSnapshot } from './report-sources';

/** The compiled worker; absent when running from TypeScript sources (jest), then reports build in-thread. */
const WORKER_FILE = join(__dirname, 'report-build.worker.js');

export interface BuildOptions {
  onProgress?: (fraction: number) => void | Promise<void>;
  /** Told when an attempt failed for a lost connection and the report starts again on a new snapshot. */
  onRetry?: (message: string) => void;
  /** Build in this thread (a CLI command has nothing else to serve). */
  inThread?: boolean;
  /** In this thread, one attempt: no new snapshot after a lost connection (the CLI tries once). */
  once?: boolean;
  signal?: AbortSignal;
}

/** A failed build from the worker: `message` is the short reason, `detail` the error for the log. */
export class ReportBuildError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

/** Runs the engine over one snapshot of the database: the whole report of SPEC §2 for an as_of. */
@Injectable()
export class ReportRunnerService {
  constructor(private readonly sql: SqlClient) {}

  /**
   * In a worker thread with its own connection (the service stays responsive), or in this one.
   * An aborted `signal` stops the build (the worker is terminated) and rejects with its reason.
   */
  build(asOfUs: number | undefined, options: BuildOptions = {}): Promise<BuiltReport> {
    const { onProgress = () => undefined, onRetry = () => undefined, signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (options.inThread || !existsSync(WORKER_FILE)) {
      const progress = (fraction: number) => {
        signal?.throwIfAborted();
        return onProgress(fraction);
      };
      return buildReportInSnapshot(this.sql, asOfUs, progress, { onRetry, once: options.once });
    }
    return new Promise((resolve, reject) => {
      // The worker reads DATABASE_URL from the same environment.
      const worker = new Worker(WORKER_FILE, { workerData: { asOfUs } });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        fn();
        void worker.terminate();
      };
      const onAbort = () => settle(() => reject(signal!.reason as Error));
      signal?.addEventListener('abort', onAbort);
      worker.on('message', (m: ReportWorkerMessage) => {
        if (m.type === 'progress') void Promise.resolve(onProgress(m.fraction)).catch(() => undefined);
        else if (m.type === 'retry') onRetry(m.message);
        else if (m.type === 'done')
          settle(() => resolve({ asOfUs: m.asOfUs, csv: m.csv, rowCount: m.rowCount, storesWithPolls: m.storesWithPolls }));
        else settle(() => reject(new ReportBuildError(m.message, m.detail)));
      });
      worker.on('error', (e) => settle(() => reject(e)));
      worker.on('exit', (code) => settle(() => reject(new Error(`report worker stopped unexpectedly (exit ${code})`))));
    });
  }
}
