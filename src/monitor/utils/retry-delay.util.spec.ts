import { retryDelayMs } from './retry-delay.util';

describe('retryDelayMs', () => {
  it.each([
    [1, 30_000, 30_000],
    [2, 30_000, 60_000],
    [5, 30_000, 480_000],
    [8, 30_000, 3_600_000],
    [1000, 30_000, 3_600_000],
    [3, 200, 800],
  ])('after attempt %i with a first wait of %i ms: %i ms', (attempts, first, delay) => {
    expect(retryDelayMs(attempts, first)).toBe(delay);
  });
});
