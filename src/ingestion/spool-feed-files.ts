import type { FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidInputError } from '../common/errors/domain-errors';
import { FEED_NAMES, FeedName } from '../common/types/feed-rows.types';
import type { RunFile } from './import-runs.service';
import { SPOOL_PREFIX, staleSpoolPid } from './utils/stale-spool-pid.util';

/** The feed files of a request, on disk until `dispose()`. */
export interface SpooledFeeds {
  files: RunFile[];
  /** Removes the temporary folder (call it once the import that reads the files has ended). */
  dispose(): Promise<void>;
}

/**
 * Streams the feed files of a multipart request to a temporary folder (never held in memory).
 * Throws InvalidInputError for a request that is not multipart, names an unknown field or no
 * feed; the folder is removed then, and on any other failure.
 */
export async function spoolFeedFiles(request: FastifyRequest): Promise<SpooledFeeds> {
  if (!request.isMultipart()) {
    throw new InvalidInputError('expected multipart/form-data with fields polls, business_hours, timezones');
  }
  const dir = await mkdtemp(join(tmpdir(), `${SPOOL_PREFIX}${process.pid}-`));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const files: RunFile[] = [];
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const feed = part.fieldname as FeedName;
      if (!FEED_NAMES.includes(feed)) {
        part.file.resume();
        throw new InvalidInputError(`unknown field "${part.fieldname}": expected ${FEED_NAMES.join(', ')}`);
      }
      if (files.some((f) => f.feed === feed)) {
        part.file.resume();
        throw new InvalidInputError(`field "${feed}" given twice: send each feed at most once`);
      }
      const path = join(dir, feed);
      await pipeline(part.file, createWriteStream(path));
      files.push({ feed, path, name: part.filename || feed });
    }
    if (files.length === 0) throw new InvalidInputError(`no feed file given: send any of ${FEED_NAMES.join(', ')}`);
    return { files, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Removes the spool folders of processes that are gone (a crash or kill -9 mid-upload); returns how many. */
export async function removeStaleSpools(): Promise<number> {
  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
    }
  };
  let removed = 0;
  for (const name of await readdir(tmpdir())) {
    if (staleSpoolPid(name, isAlive) === null) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
