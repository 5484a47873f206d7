import { encodeBoardCursor } from './encode-board-cursor.util';

describe('encodeBoardCursor', () => {
  it.each([
    [{ rank: 0, sinceUs: 1678718400000000.5, storeId: 'a-1' }, '0.1678718400000000.5.a-1'],
    [{ rank: 3, sinceUs: 0, storeId: '1481966498820158979' }, '3.0.1481966498820158979'],
  ])('%j', (position, text) => {
    expect(Buffer.from(encodeBoardCursor(position), 'base64url').toString()).toBe(text);
  });
});
