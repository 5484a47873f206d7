import { InvalidInputError } from '../errors/domain-errors';
import { parseAsOfUs } from './parse-as-of-us.util';

describe('parseAsOfUs', () => {
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['2023-03-13T15:00:00Z', 1678719600_000000],
    ['  2023-03-13 15:00:00.000001 UTC ', 1678719600_000001],
    ['2023-03-13T10:00:00-05:00', 1678719600_000000],
    ['2023-03-13T15:00:00', 1678719600_000000],
    ['1970-01-01T00:00:00Z', 0],
    ['2099-12-31T23:59:59.999999Z', 4102444799_999999],
  ])('%j → %j', (text, expected) => {
    expect(parseAsOfUs(text)).toBe(expected);
  });

  it.each([
    ['yesterday', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "yesterday")'],
    ['', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "")'],
    ['2023-02-30T00:00:00Z', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "2023-02-30T00:00:00Z")'],
    ['2023-03-13T25:00:00Z', 'as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "2023-03-13T25:00:00Z")'],
    ['x'.repeat(100_000), `as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "${'x'.repeat(40)}…")`],
    ['x'.repeat(41), `as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "${'x'.repeat(40)}…")`],
    ['0001-01-01T00:00:00Z', 'as_of year must be between 1970 and 2099 (got "0001-01-01T00:00:00Z")'],
    ['0099-06-01 00:00:00 UTC', 'as_of year must be between 1970 and 2099 (got "0099-06-01 00:00:00 UTC")'],
    ['2203-03-13T15:00:00Z', 'as_of year must be between 1970 and 2099 (got "2203-03-13T15:00:00Z")'],
    ['1969-12-31T23:59:59Z', 'as_of year must be between 1970 and 2099 (got "1969-12-31T23:59:59Z")'],
    ['2100-01-01T00:00:00Z', 'as_of year must be between 1970 and 2099 (got "2100-01-01T00:00:00Z")'],
  ])('refuses %j with InvalidInputError "%s"', (text, message) => {
    expect(() => parseAsOfUs(text)).toThrow(new InvalidInputError(message));
    expect(() => parseAsOfUs(text)).toThrow(InvalidInputError);
  });

  it.each<[unknown, string]>([
    [null, 'null'],
    [5, 'a number'],
    [1e300, 'a number'],
    [['2023-03-13T15:00:00Z'], 'an array'],
    [{}, 'an object'],
  ])('refuses %j (not a string) with InvalidInputError', (value, got) => {
    expect(() => parseAsOfUs(value)).toThrow(
      new InvalidInputError(`as_of must be a string, an ISO 8601 instant such as 2023-03-13T15:00:00Z (got ${got})`),
    );
  });
});
