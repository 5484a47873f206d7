import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { buildReport, BuiltReport, ReportSources } from './build-report';
import type { ReportWorkerMessage } from './report-build.worker';

/** The compiled worker; absent when running from TypeScript sources (jest), then reports build in-thread. */
const WORKER_FILE = join(__dirname, 'report-build.worker.js');

export interface BuildOptions {
  onProgress?: (fraction: number) => void | Promise<void>;
  /** Build in this thread (a CLI command has nothing else to serve). */
  inThread?: boolean;
  signal?: AbortSignal;
}

/** Runs the engine over the database: the whole report of SPEC §2 for an as_of. */
@Injectable()
export class ReportRunnerService {
  private readonly sources: ReportSources;

  constructor(stores: StoreRepository, polls: PollRepository, hours: BusinessHoursRepository, zones: StoreTimezoneRepository) {
    this.sources = { stores, polls, hours, zones };
  }

  /**
   * In a worker thread with its own connection (the service stays responsive), or in this one.
   * An aborted `signal` stops the build (the worker is terminated) and rejects with its reason.
   */
  build(asOfUs: number | undefined, options: BuildOptions = {}): Promise<BuiltReport> {
    const { onProgress = () => undefined, signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (options.inThread || !existsSync(WORKER_FILE)) {
      return buildReport(this.sources, asOfUs, (fraction) => {
        signal?.throwIfAborted();
        return onProgress(fraction);
      });
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
        else if (m.type === 'done')
          settle(() => resolve({ asOfUs: m.asOfUs, csv: m.csv, rowCount: m.rowCount, storesWithPolls: m.storesWithPolls }));
        else settle(() => reject(new Error(m.message)));
      });
      worker.on('error', (e) => settle(() => reject(e)));
      worker.on('exit', (code) => settle(() => reject(new Error(`report worker stopped unexpectedly (exit ${code})`))));
    });
  }
}
