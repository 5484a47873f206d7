import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InterruptedError } from '../common/errors/domain-errors';
import { FeedName } from '../common/types/feed-rows.types';
import { EnvironmentVariables } from '../config/env.validation';
import { readHeaderRow } from '../ingestion/csv-feed.reader';
import { ImportRunsService } from '../ingestion/import-runs.service';
import { feedHeadersText } from '../ingestion/utils/feed-headers-text.util';
import { FEED_SPECS } from '../ingestion/utils/feed-specs.util';
import { recognizeFeed } from '../ingestion/utils/recognize-feed.util';
import { ImportRunRecord, ImportRunRepository } from '../repositories/import-run.repository';
import { filedName } from './utils/filed-name.util';
import { inboxKey } from './utils/inbox-key.util';
import { isInboxCandidate } from './utils/is-inbox-candidate.util';

const DONE = { processed: 'processed', failed: 'failed' } as const;

/**
 * The watched inbox (INBOX_DIR, scanned on INBOX_CRON): each `*.csv` file is recognised by its
 * header, taken once its size and modification time are the same across two scans, claimed in
 * the database (so that of any number of instances watching the folder exactly one imports it),
 * imported, and moved to processed/ or failed/ with `<name>.summary.json` beside it. A file
 * whose import was interrupted stays where it is, and a later scan takes it again.
 */
@Injectable()
export class InboxService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InboxService.name);
  private readonly dir?: string;
  private readonly cron: string;
  private readonly leaseMs: number;
  /** Size and time of each file at the last scan: a file is taken when they did not change. */
  private readonly seen = new Map<string, { size: number; mtimeMs: number }>();
  private scanning: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly imports: ImportRunsService,
    private readonly runs: ImportRunRepository,
    private readonly scheduler: SchedulerRegistry,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.dir = config.get('INBOX_DIR', { infer: true }) || undefined;
    this.cron = config.get('INBOX_CRON', { infer: true });
    this.leaseMs = config.get('REPORT_LEASE_S', { infer: true }) * 1000;
  }

  /** Starts the schedule when INBOX_DIR is set (the HTTP service only). */
  async start(): Promise<void> {
    if (this.dir === undefined) return;
    for (const folder of Object.values(DONE)) await mkdir(join(this.dir, folder), { recursive: true });
    let job: CronJob;
    try {
      job = CronJob.from({ cronTime: this.cron, onTick: () => void this.scan(), start: false });
    } catch (error) {
      throw new Error(`INBOX_CRON "${this.cron}" is not a cron expression: ${(error as Error).message}`);
    }
    this.scheduler.addCronJob('inbox', job);
    job.start();
    this.logger.log(`watching ${this.dir} (${this.cron})`);
  }

  /** One scan; a scan still running when the next is due lets that one pass. */
  scan(): Promise<void> {
    if (this.stopping || this.scanning !== null) return this.scanning ?? Promise.resolve();
    this.scanning = this.scanOnce()
      .catch((error: Error) => this.logger.warn(`inbox scan failed: ${error.message}`))
      .finally(() => (this.scanning = null));
    return this.scanning;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.dir !== undefined && this.scheduler.doesExist('cron', 'inbox')) this.scheduler.deleteCronJob('inbox');
    await this.scanning; // its import, if any, ends with ImportRunsService's grace
  }

  private async scanOnce(): Promise<void> {
    const dir = this.dir!;
    const present = new Set<string>();
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (this.stopping) return;
      if (!entry.isFile() || !isInboxCandidate(entry.name)) continue;
      const path = join(dir, entry.name);
      const now = await stat(path).catch(() => null);
      if (now === null) continue; // gone meanwhile
      present.add(entry.name);
      const before = this.seen.get(entry.name);
      this.seen.set(entry.name, { size: now.size, mtimeMs: now.mtimeMs });
      if (before === undefined || before.size !== now.size || before.mtimeMs !== now.mtimeMs) continue; // still being written?
      await this.take(entry.name, path, now.size, now.mtimeMs);
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
  }

  private async take(name: string, path: string, size: number, mtimeMs: number): Promise<void> {
    const key = inboxKey(name, size, mtimeMs);
    const header = await readHeaderRow(path).catch(() => null);
    const feed: FeedName | null = header === null ? null : recognizeFeed(header);
    const candidate = await this.imports.newRun('inbox', [{ feed, path, name }], key);
    const run = await this.runs.claimInboxFile(candidate, Date.now() - this.leaseMs);
    if (run === null) return this.fileFinished(key, name, path);
    this.seen.delete(name);

    if (feed === null) {
      const error = `${name}: not a feed file: its header matches none of ${feedHeadersText(Object.values(FEED_SPECS))}`;
      await this.imports.end(run, 'Failed', null, error, 0);
      return this.file(path, name, DONE.failed, { import_id: run.id, status: 'Failed', error });
    }
    this.logger.log(`import ${run.id}: ${name} (${feed}) from the inbox`);
    try {
      const started = await this.imports.begin(run, [{ feed, path, name }]);
      const summary = await started.done;
      await this.file(path, name, DONE.processed, { import_id: run.id, status: 'Complete', feed, summary });
    } catch (error) {
      if (error instanceof InterruptedError) return; // stays in the inbox: a later scan takes it again
      const reason = (error as Error).message;
      await this.file(path, name, DONE.failed, { import_id: run.id, status: 'Failed', feed, error: reason });
    }
  }

  /**
   * Another instance has the file, or had it: if its run ended well over a lease ago and the
   * file is still here, that instance stopped between the end and the move: file it now.
   */
  private async fileFinished(key: string, name: string, path: string): Promise<void> {
    const run: ImportRunRecord | null = await this.runs.findByInboxKey(key);
    if (run === null || run.completedAtMs === null || Date.now() - run.completedAtMs < this.leaseMs) return;
    if (run.status === 'Complete' || run.status === 'Failed') {
      const folder = run.status === 'Complete' ? DONE.processed : DONE.failed;
      await this.file(path, name, folder, { import_id: run.id, status: run.status, summary: run.summary, error: run.error });
    }
  }

  /** Moves the file to processed/ or failed/ and writes its summary beside it. */
  private async file(path: string, name: string, folder: string, summary: object): Promise<void> {
    const target = join(
      this.dir!,
      folder,
      filedName(name, (candidate) => existsSync(join(this.dir!, folder, candidate)), new Date()),
    );
    try {
      await rename(path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // moved by another instance meanwhile
      throw error;
    }
    await writeFile(`${target}.summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
    this.logger.log(`${name} → ${folder}/`);
  }
}
