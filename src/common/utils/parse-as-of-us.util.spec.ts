import { InvalidInputError } from '../errors/domain-errors';
import { parseAsOfUs } from './parse-as-of-us.util';

describe('parseAsOfUs', () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['2023-03-13T15:00:00Z', 1678719600_000000],
    ['  2023-03-13 15:00:00.000001 UTC ', 1678719600_000001],
    ['2023-03-13T10:00:00-05:00', 1678719600_000000],
    ['2023-03-13T15:00:00', 1678719600_000000],
  ])('%j → %j', (text, expected) => {
    expect(parseAsOfUs(text)).toBe(expected);
  });

  it.each([
    ['yesterday', 'as_of: as_of must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['', 'as_of: as_of must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC'],
    ['2023-02-30T00:00:00Z', 'as_of: as_of has no such date: 2023-02-30'],
    ['2023-03-13T25:00:00Z', 'as_of: as_of has an impossible time of day'],
  ])('refuses %j with InvalidInputError "%s"', (text, message) => {
    expect(() => parseAsOfUs(text)).toThrow(new InvalidInputError(message));
    expect(() => parseAsOfUs(text)).toThrow(InvalidInputError);
  });
});
