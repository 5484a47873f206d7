import { boardRowOf } from './board-row-of.util';

describe('boardRowOf', () => {
  it.each([
    [
      { state: 'down' as const, sinceUs: 10.5, openIncidentUs: 10.5 },
      { rank: 0, sinceUs: 10.5, openIncidentUs: 10.5 },
    ],
    [
      { state: 'up' as const, sinceUs: null, openIncidentUs: null },
      { rank: 1, sinceUs: 0, openIncidentUs: null },
    ],
    [
      { state: 'closed' as const, sinceUs: null, openIncidentUs: null },
      { rank: 2, sinceUs: 0, openIncidentUs: null },
    ],
    [
      { state: 'no_data' as const, sinceUs: null, openIncidentUs: null },
      { rank: 3, sinceUs: 0, openIncidentUs: null },
    ],
  ])('%j', (evaluation, row) => {
    expect(boardRowOf('s1', { cut: false, events: [], ...evaluation })).toEqual({ storeId: 's1', ...row });
  });
});
