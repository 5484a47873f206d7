export interface SyntheticFeedOptions {
  /** Any string or number; the same seed gives the same bytes. */
  seed: string | number;
  /** Number of distinct store ids. */
  stores: number;
  /** Length of the polls window in days, ending at `end`. */
  days: number;
  /** The end of the polls window (exclusive), as an ISO instant. */
  end: string;
  /** Leave out the last `skipLastDays` days of the window (to build older history). */
  skipLastDays: number;
  /** Mean time between two polls of a store, in minutes (each gap jittered by ±30 %). */
  intervalMinutes: number;
}

/** 4,500 stores × 11 days × one poll per ~36 min ≈ 1.85 M polls: the real feed's size. */
export const DEFAULT_FEED_OPTIONS: SyntheticFeedOptions = {
  seed: 1,
  stores: 4500,
  days: 11,
  // A Tuesday, two days after the US spring-forward (2023-03-12): the last week holds a DST change.
  end: '2023-03-14T18:00:00Z',
  skipLastDays: 0,
  intervalMinutes: 36,
};

/**
 * The defaults overlaid with the options given (undefined ones left out, as the CLI passes its
 * absent flags), checked: an impossible value throws a message that names the CLI's flag.
 */
export function resolveFeedOptions(partial: Partial<SyntheticFeedOptions> = {}): SyntheticFeedOptions {
  const options = { ...DEFAULT_FEED_OPTIONS };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  const check = (ok: boolean, why: string) => {
    if (!ok) throw new Error(`seed: ${why}`);
  };
  check(
    Number.isInteger(options.stores) && options.stores >= 0 && options.stores <= 10_000_000,
    '--stores must be an integer from 0 to 10,000,000',
  );
  check(
    Number.isFinite(options.days) && options.days > 0 && options.days <= 3660,
    '--days must be a number above 0 (at most 3660)',
  );
  check(
    Number.isFinite(options.skipLastDays) && options.skipLastDays >= 0 && options.skipLastDays < options.days,
    'skipLastDays must be from 0 to below days',
  );
  check(
    Number.isFinite(options.intervalMinutes) && options.intervalMinutes >= 1 && options.intervalMinutes <= 24 * 60,
    'intervalMinutes must be from 1 to 1440',
  );
  check(!Number.isNaN(Date.parse(options.end)), `--end must be an ISO instant (got "${options.end}")`);
  return options;
}
