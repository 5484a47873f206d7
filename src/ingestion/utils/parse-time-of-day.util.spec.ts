import { parseTimeOfDay } from './parse-time-of-day.util';

describe('parseTimeOfDay', () => {
  it.each([
    ['00:00', 'start', 0],
    ['09:30', 'start', 34200],
    ['9:30', 'start', 34200],
    ['09:30:15', 'start', 34215],
    ['09:30:15.999', 'start', 34215],
    ['23:59:59', 'end', 86399],
    ['24:00', 'end', 86400],
    ['24:00:00', 'end', 86400],
  ] as const)('%s as %s → %d s', (text, role, seconds) => {
    expect(parseTimeOfDay(text, role)).toBe(seconds);
  });

  it.each([
    ['24:00', 'start', 'start_time_local cannot be 24:00'],
    ['24:01', 'end', 'end_time_local is not a time of day: 24:01'],
    ['25:00:00', 'start', 'start_time_local is not a time of day: 25:00:00'],
    ['12:60', 'end', 'end_time_local is not a time of day: 12:60'],
    ['12:00:61', 'end', 'end_time_local is not a time of day: 12:00:61'],
    ['noon', 'start', 'start_time_local must be HH:MM or HH:MM:SS'],
    ['', 'end', 'end_time_local must be HH:MM or HH:MM:SS'],
    ['123:00', 'start', 'start_time_local must be HH:MM or HH:MM:SS'],
  ] as const)('%j as %s is refused: %s', (text, role, reason) => {
    expect(parseTimeOfDay(text, role)).toBe(reason);
  });
});
