import { checkStoreId } from './check-store-id.util';

describe('checkStoreId', () => {
  it.each([
    '8419537941919820732',
    '18446744073709551615',
    'b0c11fde-cb91-ce37-5bc8-fbbcbde5c099',
    'a_b',
    '1-1',
    '_-1',
    'x'.repeat(64),
  ])('accepts %s', (id) => expect(checkStoreId(id)).toBeNull());
  it.each([
    ['', 'store_id is empty'],
    ['x'.repeat(65), 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    ['1.5e18', 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    ['a b', 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    ['é', 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    ['=1+1', 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -'],
    ['-1-1', 'store_id must not start with - (a spreadsheet would read it as a formula)'],
    ['-', 'store_id must not start with - (a spreadsheet would read it as a formula)'],
  ])('refuses %j', (id, reason) => expect(checkStoreId(id)).toBe(reason));
});
