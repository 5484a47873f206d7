import { encodeBoardCursor } from './encode-board-cursor.util';
import { parseBoardQuery } from './parse-board-query.util';

describe('parseBoardQuery', () => {
  const cursor = encodeBoardCursor({ rank: 0, sinceUs: 1678718400000000.5, storeId: 'a-1' });
  it.each([
    [{}, { limit: 100 }],
    [
      { state: 'down', limit: '20' },
      { rank: 0, limit: 20 },
    ],
    [
      { state: 'no_data', q: '148' },
      { rank: 3, prefix: '148', limit: 100 },
    ],
    [{ cursor }, { limit: 100, after: { rank: 0, sinceUs: 1678718400000000.5, storeId: 'a-1' } }],
    [{ state: '', q: '', limit: '', cursor: '' }, { limit: 100 }],
  ])('%j → %j', (query, expected) => {
    expect(parseBoardQuery(query)).toEqual(expected);
  });

  it.each([
    [{ state: 'offline' }, 'state must be one of down, up, closed, no_data'],
    [{ state: ['down', 'up'] }, 'state must be given once, as text'],
    [{ limit: '0' }, 'limit must be an integer from 1 to 500'],
    [{ limit: '501' }, 'limit must be an integer from 1 to 500'],
    [{ limit: ['1'] }, 'limit must be given once, as text'],
    [{ q: 'a b' }, 'q must be the start of a store id: 1 to 64 of A-Z a-z 0-9 _ -'],
    [{ cursor: 'xyz' }, 'cursor is malformed: pass the next_cursor of the page before'],
  ])('%j is refused: %s', (query, message) => {
    expect(() => parseBoardQuery(query)).toThrow(message);
  });
});
