import { isInboxCandidate } from './is-inbox-candidate.util';

describe('isInboxCandidate', () => {
  it.each([
    ['store_status.csv', true],
    ['MENU_HOURS.CSV', true],
    ['2026-11-24 polls.csv', true],
    ['store_status.csv.part', false],
    ['store_status.csv.tmp', false],
    ['store_status.tmp', false],
    ['.store_status.csv', false],
    ['store_status.csv.summary.json', false],
    ['readme.txt', false],
    ['csv', false],
  ])('%s → %s', (name, taken) => {
    expect(isInboxCandidate(name)).toBe(taken);
  });
});
