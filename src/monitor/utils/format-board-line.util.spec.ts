import { formatBoardLine } from './format-board-line.util';

describe('formatBoardLine', () => {
  const since = { utc: '2023-03-13T13:45:30.000000Z', local: '2023-03-13T08:45:30.000000-05:00' };
  it.each([
    [
      { store_id: 's1', state: 'down' as const, since, down_for_s: 4470, last_poll: null },
      `s1${' '.repeat(34)} down    since 2023-03-13 08:45 local (1 h 14 min)`,
    ],
    [{ store_id: 's2', state: 'closed' as const, since: null, down_for_s: null, last_poll: null }, `s2${' '.repeat(34)} closed`],
  ])('%j', (store, line) => {
    expect(formatBoardLine(store)).toBe(line);
  });
});
