import { decodeCursor } from './decode-cursor.util';
import { encodeCursor } from './encode-cursor.util';

describe('list cursors', () => {
  it.each([
    [{ createdAtMs: 1700000000123, id: 'sV1u4m4lY2k0c2hQd0ZqNA' }],
    [{ createdAtMs: 0, id: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    [{ createdAtMs: 9999999999999, id: '-_-_-_-_-_-_-_-_-_-_-_' }],
  ])('%j round-trips', (position) => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    [''],
    ['not a cursor'],
    [Buffer.from('12.short').toString('base64url')],
    [Buffer.from('x.sV1u4m4lY2k0c2hQd0ZqNA').toString('base64url')],
  ])('%j is refused', (cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
