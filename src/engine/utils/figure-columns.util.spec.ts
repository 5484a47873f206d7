import { REPORT_HEADER, StoreFigures, US_PER_HOUR, US_PER_MINUTE } from './engine.types';
import { figureColumns } from './figure-columns.util';

const figures = (...values: number[]): StoreFigures => ({
  uptimeLastHour: values[0],
  uptimeLastDay: values[1],
  uptimeLastWeek: values[2],
  downtimeLastHour: values[3],
  downtimeLastDay: values[4],
  downtimeLastWeek: values[5],
});

describe('figureColumns', () => {
  it.each<[string, StoreFigures, string[]]>([
    ['all zero', figures(0, 0, 0, 0, 0, 0), ['0.00', '0.00', '0.00', '0.00', '0.00', '0.00']],
    [
      'SPEC example (hours in minutes, day and week in hours)',
      figures(0, 6_270_000_000, 6_270_000_000, 0, 4_530_000_000, 4_530_000_000),
      ['0.00', '1.74', '1.74', '0.00', '1.26', '1.26'],
    ],
    [
      'full windows',
      figures(60 * US_PER_MINUTE, 24 * US_PER_HOUR, 168 * US_PER_HOUR, 0, 0, 0),
      ['60.00', '24.00', '168.00', '0.00', '0.00', '0.00'],
    ],
    [
      'halves round away from zero',
      figures(7_500_000, 18_000_000, 3_618_000_000, 300_000, 17_999_999.5, 0.5),
      ['0.13', '0.01', '1.01', '0.01', '0.00', '0.00'],
    ],
  ])('%s', (_name, f, expected) => {
    expect(Object.values(figureColumns(f))).toEqual(expected);
  });

  it("names the columns as the report's header, in its order", () => {
    expect(['store_id', ...Object.keys(figureColumns(figures(0, 0, 0, 0, 0, 0)))].join(',')).toBe(REPORT_HEADER);
  });
});
