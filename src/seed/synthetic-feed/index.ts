/**
 * A deterministic generator of realistic synthetic feeds (the three CSV files of SPEC §1), for
 * the `seed` command and the benchmark.
 *
 * Everything is a pure function of (seed, store index, absolute time): no Math.random, no clock.
 * Rows are STREAMED as CSV text chunks from generator functions, so that 18 million polls never
 * sit in memory (only the polls of one hour of all stores do, to sort them by time).
 *
 * Because each poll, outage and status flip is hashed from the store and an absolute slot of
 * time (never drawn from a sequence that starts at the window's start), two data sets with the
 * same seed, stores and end hold byte-identical rows wherever their windows overlap: the set of
 * `days: 56, skipLastDays: 7` is exactly the 7 weeks of history that precede the set of
 * `days: 7`. The benchmark relies on this to compare 8 weeks of history with 1 week.
 *
 * Defaults (see DEFAULT_FEED_OPTIONS): 4,500 stores over 11 days with one poll every ~36 min
 * (±30 % jitter) give ≈ 1.85 million polls, the real feed's size; ~35,000 business-hours rows
 * and ~4,200 timezone rows. `intervalMinutes: 60` gives strictly "about hourly" polls instead.
 *
 * The files, in the order they build on each other: resolve-feed-options (what to generate),
 * seed-to-int, hash4 and hash-tags (the deterministic randomness), synthesize-stores (each
 * store's profile), then one file per CSV: poll-csv-chunks, business-hours-csv-chunks and
 * timezone-csv-chunks (the last two share per-store-csv-chunks), and synthesize-feed-text (all
 * three as strings, for tests).
 */
export { DEFAULT_FEED_OPTIONS, resolveFeedOptions } from './resolve-feed-options.util';
export type { SyntheticFeedOptions } from './resolve-feed-options.util';
export { synthesizeStores } from './synthesize-stores.util';
export type { HoursProfile, PollProfile, StoreProfile } from './synthesize-stores.util';
export { pollCsvChunks } from './poll-csv-chunks.util';
export type { PollCsvStats } from './poll-csv-chunks.util';
export { businessHoursCsvChunks } from './business-hours-csv-chunks.util';
export type { HoursCsvStats } from './business-hours-csv-chunks.util';
export { timezoneCsvChunks } from './timezone-csv-chunks.util';
export type { ZonesCsvStats } from './timezone-csv-chunks.util';
export { synthesizeFeedText } from './synthesize-feed-text.util';
export type { SyntheticFeedText } from './synthesize-feed-text.util';
