import { US_PER_HOUR, US_PER_MINUTE } from './engine.types';
import { formatDuration } from './format-duration.util';

describe('formatDuration', () => {
  it.each<[string, number, number, string]>([
    ['zero', 0, US_PER_MINUTE, '0.00'],
    ['0.125 min rounds half up', 7_500_000, US_PER_MINUTE, '0.13'],
    ['just under 0.125 min', 7_499_999.5, US_PER_MINUTE, '0.12'],
    ['0.135 min', 8_100_000, US_PER_MINUTE, '0.14'],
    ['0.285 min (0.285.toFixed(2) says 0.28)', 17_100_000, US_PER_MINUTE, '0.29'],
    ['0.005 min', 300_000, US_PER_MINUTE, '0.01'],
    ['just under 0.005 min', 299_999.5, US_PER_MINUTE, '0.00'],
    ['half a µs', 0.5, US_PER_MINUTE, '0.00'],
    ['60 min', 60 * US_PER_MINUTE, US_PER_MINUTE, '60.00'],
    ['59.995 min', 3_599_700_000, US_PER_MINUTE, '60.00'],
    ['59.99499… min', 3_599_699_999.5, US_PER_MINUTE, '59.99'],
    ['44.5 min', 2_670_000_000, US_PER_MINUTE, '44.50'],
    ['1.005 h (1.005.toFixed(2) says 1.00)', 3_618_000_000, US_PER_HOUR, '1.01'],
    ['0.005 h', 18_000_000, US_PER_HOUR, '0.01'],
    ['just under 0.005 h', 17_999_999.5, US_PER_HOUR, '0.00'],
    ['1 h 44.5 min', 6_270_000_000, US_PER_HOUR, '1.74'],
    ['1 h 15.5 min', 4_530_000_000, US_PER_HOUR, '1.26'],
    ['24 h', 24 * US_PER_HOUR, US_PER_HOUR, '24.00'],
    ['168 h', 168 * US_PER_HOUR, US_PER_HOUR, '168.00'],
    ['167.995 h', 604_782_000_000, US_PER_HOUR, '168.00'],
    ['just under 167.995 h', 604_781_999_999.5, US_PER_HOUR, '167.99'],
    ['10.1 h', 36_360_000_000, US_PER_HOUR, '10.10'],
    ['negative rounds away from zero', -7_500_000, US_PER_MINUTE, '-0.13'],
    ['negative rounding to zero has no sign', -1, US_PER_MINUTE, '0.00'],
  ])('%s', (_name, us, unit, expected) => {
    expect(formatDuration(us, unit)).toBe(expected);
  });

  it('matches exact rational rounding on 20000 random half-µs durations', () => {
    let seed = 99;
    const rand = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    for (let n = 0; n < 20000; n++) {
      const unit = n % 2 === 0 ? US_PER_MINUTE : US_PER_HOUR;
      const halves = Math.floor(rand() * 2 * 168 * US_PER_HOUR);
      // Oracle with BigInt: hundredths = floor((200·halves/2 + unit/2) / unit) = floor((100·halves + unit) / (2·unit)).
      const h = (BigInt(halves) * 100n + BigInt(unit)) / (2n * BigInt(unit));
      const expected = `${h / 100n}.${(h % 100n).toString().padStart(2, '0')}`;
      expect(formatDuration(halves / 2, unit)).toBe(expected);
    }
  });
});
