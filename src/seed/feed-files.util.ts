import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  businessHoursCsvChunks,
  HoursCsvStats,
  PollCsvStats,
  pollCsvChunks,
  SyntheticFeedOptions,
  synthesizeStores,
  timezoneCsvChunks,
  ZonesCsvStats,
} from './synthetic-feed';

/** The file names of a written data set, the same as the real feed's. */
export const FEED_FILE_NAMES = {
  polls: 'store_status.csv',
  business_hours: 'menu_hours.csv',
  timezones: 'timezones.csv',
} as const;

export interface WrittenFeeds {
  dir: string;
  files: { polls: string; business_hours: string; timezones: string };
  stats: { polls: PollCsvStats; business_hours: HoursCsvStats; timezones: ZonesCsvStats };
  bytes: { polls: number; business_hours: number; timezones: number };
}

/**
 * Writes a generator's chunks to a file, streamed: when the stream's buffer is full the generator
 * waits for 'drain', so memory stays flat whatever the file's size. Returns the generator's stats.
 */
export async function writeChunks<R>(path: string, chunks: Generator<string, R, void>): Promise<{ stats: R; bytes: number }> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let bytes = 0;
  try {
    for (;;) {
      const next = chunks.next();
      if (next.done) {
        out.end();
        await Promise.race([once(out, 'finish'), failed]);
        return { stats: next.value, bytes };
      }
      bytes += Buffer.byteLength(next.value, 'latin1');
      if (!out.write(next.value, 'latin1')) await Promise.race([once(out, 'drain'), failed]);
    }
  } catch (error) {
    out.destroy();
    throw error;
  }
}

/** Writes the three CSV files of a synthetic data set into `dir` (created if missing). */
export async function writeSyntheticFeeds(dir: string, options: SyntheticFeedOptions): Promise<WrittenFeeds> {
  await mkdir(dir, { recursive: true });
  const stores = synthesizeStores(options);
  const files = {
    polls: join(dir, FEED_FILE_NAMES.polls),
    business_hours: join(dir, FEED_FILE_NAMES.business_hours),
    timezones: join(dir, FEED_FILE_NAMES.timezones),
  };
  const zones = await writeChunks(files.timezones, timezoneCsvChunks(options, stores));
  const hours = await writeChunks(files.business_hours, businessHoursCsvChunks(options, stores));
  const polls = await writeChunks(files.polls, pollCsvChunks(options, stores));
  return {
    dir,
    files,
    stats: { polls: polls.stats, business_hours: hours.stats, timezones: zones.stats },
    bytes: { polls: polls.bytes, business_hours: hours.bytes, timezones: zones.bytes },
  };
}
