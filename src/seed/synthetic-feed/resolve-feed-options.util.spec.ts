import { DEFAULT_FEED_OPTIONS, resolveFeedOptions, SyntheticFeedOptions } from './resolve-feed-options.util';

describe('resolveFeedOptions', () => {
  it.each<[string, Partial<SyntheticFeedOptions>, SyntheticFeedOptions]>([
    ['nothing given: the defaults', {}, DEFAULT_FEED_OPTIONS],
    ['undefined values (absent CLI flags) keep the defaults', { stores: undefined, seed: undefined }, DEFAULT_FEED_OPTIONS],
    [
      'given values replace the defaults',
      { stores: 300, days: 9, seed: 'x', intervalMinutes: 60 },
      { ...DEFAULT_FEED_OPTIONS, stores: 300, days: 9, seed: 'x', intervalMinutes: 60 },
    ],
    ['no stores is allowed', { stores: 0 }, { ...DEFAULT_FEED_OPTIONS, stores: 0 }],
    ['fractional days', { days: 3.5, skipLastDays: 1.25 }, { ...DEFAULT_FEED_OPTIONS, days: 3.5, skipLastDays: 1.25 }],
  ])('%s', (_name, partial, expected) => {
    expect(resolveFeedOptions(partial)).toEqual(expected);
  });

  it('does not change the defaults it starts from', () => {
    resolveFeedOptions({ stores: 1 });
    expect(DEFAULT_FEED_OPTIONS.stores).toBe(4500);
  });

  it.each<[Partial<SyntheticFeedOptions>, RegExp]>([
    [{ days: 0 }, /--days/],
    [{ days: 3661 }, /--days/],
    [{ days: Number.NaN }, /--days/],
    [{ stores: -1 }, /--stores/],
    [{ stores: 1.5 }, /--stores/],
    [{ stores: 10_000_001 }, /--stores/],
    [{ end: 'yesterday' }, /--end must be an ISO instant \(got "yesterday"\)/],
    [{ intervalMinutes: 0.5 }, /intervalMinutes/],
    [{ intervalMinutes: 1441 }, /intervalMinutes/],
    [{ days: 7, skipLastDays: 7 }, /skipLastDays/],
    [{ skipLastDays: -1 }, /skipLastDays/],
  ])('refuses %j with a message naming it', (partial, message) => {
    expect(() => resolveFeedOptions(partial)).toThrow(message);
  });
});
