/**
 * One store's six report figures (SPEC §2 "The report"): uptime and downtime within business
 * hours over the last hour, day and week before as_of.
 */
import { eachOverlap } from './each-overlap.util';
import { Micros, StoreFigures, StoreInput, US_PER_DAY, US_PER_HOUR, US_PER_WEEK } from './engine.types';
import { openIntervals } from './open-intervals.util';
import { statusSegments } from './status-timeline.util';

/** All six figures zero: a store with no known status. */
export function zeroFigures(): StoreFigures {
  return {
    uptimeLastHour: 0,
    uptimeLastDay: 0,
    uptimeLastWeek: 0,
    downtimeLastHour: 0,
    downtimeLastDay: 0,
    downtimeLastWeek: 0,
  };
}

/**
 * The figures of one store as exact durations in µs. Windows are [asOf − 1 h, asOf),
 * [asOf − 24 h, asOf) and [asOf − 168 h, asOf); polls after asOf are ignored; a store with
 * no poll at or before asOf gets all zeros.
 */
export function computeStoreFigures(input: StoreInput, asOfUs: Micros): StoreFigures {
  const figures = zeroFigures();
  // Polls come ascending; drop any after as_of (SPEC: they are ignored).
  let count = input.polls.length;
  while (count > 0 && input.polls[count - 1].tsUs > asOfUs) count--;
  if (count === 0) return figures;
  const polls = count === input.polls.length ? input.polls : input.polls.slice(0, count);

  const weekStart = asOfUs - US_PER_WEEK;
  const dayStart = asOfUs - US_PER_DAY;
  const hourStart = asOfUs - US_PER_HOUR;
  const open = openIntervals(input.hours, input.zone, weekStart, asOfUs);
  if (open.length === 0) return figures;
  const status = statusSegments(polls, weekStart, asOfUs);

  // Each overlap is added to every window it reaches (the windows are nested and all end at asOf).
  eachOverlap(open, status, (s, e, active) => {
    const week = e - s;
    const day = e > dayStart ? e - Math.max(s, dayStart) : 0;
    const hour = e > hourStart ? e - Math.max(s, hourStart) : 0;
    if (active) {
      figures.uptimeLastWeek += week;
      figures.uptimeLastDay += day;
      figures.uptimeLastHour += hour;
    } else {
      figures.downtimeLastWeek += week;
      figures.downtimeLastDay += day;
      figures.downtimeLastHour += hour;
    }
  });
  return figures;
}
