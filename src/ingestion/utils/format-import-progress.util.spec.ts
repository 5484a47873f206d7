import { formatImportProgress } from './format-import-progress.util';

describe('formatImportProgress', () => {
  it.each([
    [{ bytesRead: 0, rowsRead: 0 }, 106_000_000, 0, '0.0 of 106.0 MB (0 %), 0 rows in 0.0 s, 0 rows/s'],
    [
      { bytesRead: 53_000_000, rowsRead: 920_000 },
      106_000_000,
      10_000,
      '53.0 of 106.0 MB (50 %), 920,000 rows in 10.0 s, 92,000 rows/s',
    ],
    [
      { bytesRead: 106_000_000, rowsRead: 1_842_187 },
      106_000_000,
      21_500,
      '106.0 of 106.0 MB (100 %), 1,842,187 rows in 21.5 s, 85,683 rows/s',
    ],
    [{ bytesRead: 0, rowsRead: 0 }, 0, 5, '0.0 of 0.0 MB (100 %), 0 rows in 0.0 s, 0 rows/s'],
  ])('%j of %i bytes after %i ms → %s', (progress, total, elapsed, line) => {
    expect(formatImportProgress(progress, total, elapsed)).toBe(line);
  });
});
