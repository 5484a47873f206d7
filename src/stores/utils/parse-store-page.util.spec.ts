import { InvalidInputError } from '../../common/errors/domain-errors';
import { parseStorePage } from './parse-store-page.util';

describe('parseStorePage', () => {
  it.each<[string | undefined, string | undefined, { limit: number; after?: string }]>([
    [undefined, undefined, { limit: 100 }],
    ['', '', { limit: 100 }],
    ['1', undefined, { limit: 1 }],
    ['1000', undefined, { limit: 1000 }],
    ['0250', '18446744073709551615', { limit: 250, after: '18446744073709551615' }],
    [undefined, 'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099', { limit: 100, after: 'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099' }],
  ])('limit %j, cursor %j → %j', (limit, cursor, expected) => {
    expect(parseStorePage(limit, cursor)).toEqual(expected);
  });

  it.each<[string | undefined, string | undefined, string]>([
    ['0', undefined, 'limit must be an integer from 1 to 1000'],
    ['1001', undefined, 'limit must be an integer from 1 to 1000'],
    ['ten', undefined, 'limit must be an integer from 1 to 1000'],
    [undefined, 'a b', 'cursor: store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    [undefined, 'x'.repeat(65), 'cursor: store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
  ])('refuses limit %j, cursor %j: %s', (limit, cursor, message) => {
    expect(() => parseStorePage(limit, cursor)).toThrow(new InvalidInputError(message));
  });
});
