import { StoreFigures, US_PER_HOUR, US_PER_MINUTE } from './engine.types';
import { formatFigures } from './report-format.util';

describe('formatFigures', () => {
  const spec: StoreFigures = {
    uptimeLastHour: 0,
    uptimeLastDay: 6_270_000_000,
    uptimeLastWeek: 6_270_000_000,
    downtimeLastHour: 0,
    downtimeLastDay: 4_530_000_000,
    downtimeLastWeek: 4_530_000_000,
  };
  const full: StoreFigures = {
    uptimeLastHour: 45 * US_PER_MINUTE,
    uptimeLastDay: 20 * US_PER_HOUR,
    uptimeLastWeek: 150 * US_PER_HOUR,
    downtimeLastHour: 15 * US_PER_MINUTE,
    downtimeLastDay: 4 * US_PER_HOUR,
    downtimeLastWeek: 18 * US_PER_HOUR,
  };

  it.each<[string, StoreFigures, string]>([
    ['store-1', spec, 'store-1,0.00,1.74,1.74,0.00,1.26,1.26'],
    ['8419537941919820732', full, '8419537941919820732,45.00,20.00,150.00,15.00,4.00,18.00'],
    ['c0ffee00-0000-4000-8000-000000000001', spec, 'c0ffee00-0000-4000-8000-000000000001,0.00,1.74,1.74,0.00,1.26,1.26'],
  ])('%s', (id, figures, expected) => {
    expect(formatFigures(id, figures)).toBe(expected);
  });
});
