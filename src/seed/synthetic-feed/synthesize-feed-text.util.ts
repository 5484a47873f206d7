import { businessHoursCsvChunks, HoursCsvStats } from './business-hours-csv-chunks.util';
import { pollCsvChunks, PollCsvStats } from './poll-csv-chunks.util';
import { resolveFeedOptions, SyntheticFeedOptions } from './resolve-feed-options.util';
import { synthesizeStores } from './synthesize-stores.util';
import { timezoneCsvChunks, ZonesCsvStats } from './timezone-csv-chunks.util';

export interface SyntheticFeedText {
  polls: string;
  businessHours: string;
  timezones: string;
}

/** A generator's chunks joined, with its return value. */
function drain<R>(chunks: Generator<string, R, void>): { text: string; stats: R } {
  let text = '';
  for (;;) {
    const next = chunks.next();
    if (next.done) return { text, stats: next.value };
    text += next.value;
  }
}

/** The three files as strings: for small data sets only (tests); large ones are streamed to disk. */
export function synthesizeFeedText(partial: Partial<SyntheticFeedOptions> = {}): SyntheticFeedText & {
  stats: { polls: PollCsvStats; businessHours: HoursCsvStats; timezones: ZonesCsvStats };
} {
  const options = resolveFeedOptions(partial);
  const stores = synthesizeStores(options);
  const polls = drain(pollCsvChunks(options, stores));
  const hours = drain(businessHoursCsvChunks(options, stores));
  const zones = drain(timezoneCsvChunks(options, stores));
  return {
    polls: polls.text,
    businessHours: hours.text,
    timezones: zones.text,
    stats: { polls: polls.stats, businessHours: hours.stats, timezones: zones.stats },
  };
}
