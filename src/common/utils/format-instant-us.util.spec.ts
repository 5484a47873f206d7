import { formatInstantUs } from './format-instant-us.util';

const at = (iso: string, micros = 0) => Date.parse(iso) * 1000 + micros;

describe('formatInstantUs', () => {
  it.each([
    [at('2023-01-22T12:09:39Z', 388884), '2023-01-22T12:09:39.388884Z'],
    [at('2023-01-22T12:09:39Z', 7), '2023-01-22T12:09:39.000007Z'],
    [0, '1970-01-01T00:00:00.000000Z'],
    [at('2023-03-12T08:30:00Z', 999999.5), '2023-03-12T08:30:00.999999Z'],
    [at('1969-12-31T23:59:59Z', 1), '1969-12-31T23:59:59.000001Z'],
  ])('%d → %s', (us, text) => {
    expect(formatInstantUs(us)).toBe(text);
  });
});
