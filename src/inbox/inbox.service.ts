import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Dirent, existsSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImportStoppedError, InterruptedError } from '../common/errors/domain-errors';
import { FeedName } from '../common/types/feed-rows.types';
import { EnvironmentVariables, jobLeaseMsOf } from '../config/env.validation';
import { readHeaderRow } from '../ingestion/csv-feed.reader';
import { ImportRunsService } from '../ingestion/import-runs.service';
import { feedHeadersText } from '../ingestion/utils/feed-headers-text.util';
import { FEED_SPECS } from '../ingestion/utils/feed-specs.util';
import { recognizeFeed } from '../ingestion/utils/recognize-feed.util';
import { ImportRunRecord, ImportRunRepository } from '../repositories/import-run.repository';
import { filedName } from './utils/filed-name.util';
import { fileErrorReason } from './utils/file-error-reason.util';
import { InboxFileVersion, inboxKey } from './utils/inbox-key.util';
import { isInboxCandidate } from './utils/is-inbox-candidate.util';

const DONE = { processed: 'processed', failed: 'failed' } as const;

/** An inbox file whose size, time or identity changed during its import: the run fails, the file stays for a later scan. */
class InboxFileChangedError extends ImportStoppedError {}

const versionOf = (s: { dev: number; ino: number; size: number; mtimeMs: number }): InboxFileVersion => ({
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeMs: s.mtimeMs,
});
const sameFile = (a: InboxFileVersion, b: InboxFileVersion) => a.dev === b.dev && a.ino === b.ino;

/**
 * The watched inbox (INBOX_DIR, scanned on INBOX_CRON): each `*.csv` file is recognised by its
 * header, taken once its size and modification time are the same across two scans, claimed in
 * the database (so that of any number of instances watching the folder exactly one imports it),
 * imported, and moved to processed/ or failed/ with `<name>.summary.json` beside it. A file
 * whose import was interrupted, or that changed during its import, stays where it is, and a later
 * scan takes it again. A file renamed in the inbox is the same file (its key is the file's
 * identity, not its name): imported once, and filed under its new name. An entry named `*.csv`
 * that is not a regular file (a symbolic link, never followed; a directory) goes to failed/ with
 * its reason. A file that cannot be filed stays, and the reason is logged once.
 */
@Injectable()
export class InboxService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InboxService.name);
  private readonly dir?: string;
  private readonly cron: string;
  private readonly leaseMs: number;
  /** Size and time of each file at the last scan: a file is taken when they did not change. */
  private readonly seen = new Map<string, InboxFileVersion>();
  /** What could not be filed (by key, or name), logged once. */
  private readonly unfiled = new Set<string>();
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
    this.leaseMs = jobLeaseMsOf(config);
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
      if (!isInboxCandidate(entry.name)) continue;
      const path = join(dir, entry.name);
      if (!entry.isFile()) {
        await this.refuse(entry, path);
        continue;
      }
      const stats = await lstat(path).catch(() => null); // never follows a link put in its place
      if (stats === null || !stats.isFile()) continue; // gone or replaced meanwhile: the next scan sees it
      const now = versionOf(stats);
      present.add(entry.name);
      const before = this.seen.get(entry.name);
      this.seen.set(entry.name, now);
      if (before === undefined || inboxKey(before) !== inboxKey(now)) continue; // still being written?
      await this.take(entry.name, path, now);
    }
    for (const name of this.seen.keys()) if (!present.has(name)) this.seen.delete(name);
  }

  /** An entry named like a feed file that is no regular file: to failed/ with its reason (a link is moved, never followed). */
  private async refuse(entry: Dirent, path: string): Promise<void> {
    const what = entry.isSymbolicLink()
      ? 'a symbolic link (never followed)'
      : entry.isDirectory()
        ? 'a directory'
        : 'not a regular file';
    const error = `${entry.name} is ${what}: the inbox imports regular files only`;
    const key = `refused:${entry.name}`;
    if (!this.unfiled.has(key)) this.logger.warn(error); // once, also when it cannot be moved
    await this.file(path, entry.name, DONE.failed, { status: 'Refused', error }, key);
  }

  private async take(name: string, path: string, version: InboxFileVersion): Promise<void> {
    const key = inboxKey(version);
    const header = await readHeaderRow(path).catch(() => null);
    const feed: FeedName | null = header === null ? null : recognizeFeed(header);
    const candidate = await this.imports.newRun('inbox', [{ feed, path, name }], key);
    const run = await this.runs.claimInboxFile(candidate, Date.now() - this.leaseMs);
    if (run === null) return this.fileFinished(key, name, path);
    const { size, mtimeMs } = version;
    this.seen.delete(name);

    if (feed === null) {
      const error = `${name}: not a feed file: its header matches none of ${feedHeadersText(Object.values(FEED_SPECS))}`;
      await this.imports.end(run, 'Failed', null, error, 0);
      return this.file(path, name, DONE.failed, { import_id: run.id, status: 'Failed', error }, key);
    }
    this.logger.log(`import ${run.id}: ${name} (${feed}) from the inbox`);
    // Before the run is Complete: the file read must be the file there now, whole and unchanged.
    const unchanged = async () => {
      const now = await this.locate(name, version);
      if (now !== null && now.version.size === size && now.version.mtimeMs === mtimeMs) return;
      throw new InboxFileChangedError(
        `${name} changed during its import (its size or time is not what it was when it was taken): ` +
          'it stays in the inbox, and is imported again once it no longer changes',
      );
    };
    let outcome: { folder: string; summary: object };
    try {
      const started = await this.imports.begin(run, [{ feed, path, name }], undefined, unchanged);
      const summary = await started.done;
      outcome = { folder: DONE.processed, summary: { import_id: run.id, status: 'Complete', feed, summary } };
    } catch (error) {
      if (error instanceof InterruptedError) return; // stays in the inbox: a later scan takes it again
      if (error instanceof InboxFileChangedError) return this.logger.warn(`import ${run.id}: ${error.message}`);
      const reason = (error as Error).message;
      outcome = { folder: DONE.failed, summary: { import_id: run.id, status: 'Failed', feed, error: reason } };
    }
    // Filed where it is now: it may have been renamed during its import.
    const now = await this.locate(name, version);
    if (now === null) {
      this.logger.warn(`import ${run.id}: ${name} left the inbox during its import; its outcome is in GET /imports/${run.id}`);
      return;
    }
    await this.file(now.path, now.name, outcome.folder, outcome.summary, key);
  }

  /** Where the file taken as `name` is now in the inbox (by its identity: it may have been renamed), or null. */
  private async locate(
    name: string,
    version: InboxFileVersion,
  ): Promise<{ name: string; path: string; version: InboxFileVersion } | null> {
    const dir = this.dir!;
    const at = async (candidate: string) => {
      const stats = await lstat(join(dir, candidate)).catch(() => null);
      return stats !== null && stats.isFile() && sameFile(versionOf(stats), version)
        ? { name: candidate, path: join(dir, candidate), version: versionOf(stats) }
        : null;
    };
    const here = await at(name);
    if (here !== null) return here;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name === name) continue;
      const found = await at(entry.name);
      if (found !== null) return found;
    }
    return null;
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
      await this.file(path, name, folder, { import_id: run.id, status: run.status, summary: run.summary, error: run.error }, key);
    }
  }

  /**
   * Moves the file to processed/ or failed/ and writes its summary beside it. When it cannot be
   * moved, it stays in the inbox (the run's record keeps the outcome), and why is logged once per
   * `key`; a later scan files it once it can.
   */
  private async file(path: string, name: string, folder: string, summary: object, key: string): Promise<void> {
    const target = join(
      this.dir!,
      folder,
      filedName(name, (candidate) => existsSync(join(this.dir!, folder, candidate)), new Date()),
    );
    const status = (summary as { status?: string }).status;
    try {
      await rename(path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // moved by another instance meanwhile
      if (!this.unfiled.has(key)) {
        this.unfiled.add(key);
        this.logger.error(
          `${name} (${status}) could not be moved to ${folder}/: ${fileErrorReason(error)}; it stays in the inbox`,
        );
      }
      return;
    }
    this.unfiled.delete(key);
    try {
      // Written aside and renamed, so that a reader never sees it half-written.
      await writeFile(`${target}.summary.json.partial`, `${JSON.stringify(summary, null, 2)}\n`);
      await rename(`${target}.summary.json.partial`, `${target}.summary.json`);
    } catch (error) {
      this.logger.error(`${folder}/${name} (${status}): its summary could not be written: ${fileErrorReason(error)}`);
    }
    this.logger.log(`${name} → ${folder}/`);
  }
}
