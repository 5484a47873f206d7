import { InvalidInputError } from '../errors/domain-errors';
import { parsePageLimit } from './parse-page-limit.util';

describe('parsePageLimit', () => {
  it.each<[string | undefined, { size: number; max: number }, number]>([
    [undefined, { size: 100, max: 1000 }, 100],
    ['', { size: 50, max: 500 }, 50],
    ['1', { size: 100, max: 1000 }, 1],
    ['1000', { size: 100, max: 1000 }, 1000],
    ['500', { size: 50, max: 500 }, 500],
    ['0250', { size: 100, max: 1000 }, 250],
  ])('limit %j of a page %j → %j', (limit, page, expected) => {
    expect(parsePageLimit(limit, page)).toBe(expected);
  });

  it.each<[string, { size: number; max: number }, string]>([
    ['0', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['1001', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['501', { size: 50, max: 500 }, 'limit must be an integer from 1 to 500'],
    ['10000', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['00001', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['-1', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['+1', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    [' 1', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['1.5', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['1e3', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
    ['ten', { size: 100, max: 1000 }, 'limit must be an integer from 1 to 1000'],
  ])('refuses limit %j of a page %j: %s', (limit, page, message) => {
    expect(() => parsePageLimit(limit, page)).toThrow(new InvalidInputError(message));
  });
});
