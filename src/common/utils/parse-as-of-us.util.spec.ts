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
    ['yesterday', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "yesterday")'],
    ['', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "")'],
    ['2023-02-30T00:00:00Z', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "2023-02-30T00:00:00Z")'],
    ['2023-03-13T25:00:00Z', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "2023-03-13T25:00:00Z")'],
    ['x'.repeat(41), `as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "${'x'.repeat(40)}…")`],
  ])('refuses %j with InvalidInputError "%s"', (text, message) => {
    expect(() => parseAsOfUs(text)).toThrow(new InvalidInputError(message));
    expect(() => parseAsOfUs(text)).toThrow(InvalidInputError);
  });
});
