import { US_PER_SECOND } from '../../engine/utils';
import { PAD2 } from './pad2';

// Bound once: a global lookup per call is slow where the global object is contextified (jest's vm),
// and this runs once per generated poll.
const floor = Math.floor;

// A window holds few days and millions of polls: each day's text is made once.
const dayStrings = new Map<number, string>();

/** The real feed's form: `2023-03-04 15:03:57.680822 UTC` (whole seconds without a fraction). */
export function formatFeedTimestamp(us: number): string {
  const seconds = floor(us / US_PER_SECOND);
  const fraction = us - seconds * US_PER_SECOND;
  const day = floor(seconds / 86_400);
  let rest = seconds - day * 86_400;
  let date = dayStrings.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    dayStrings.set(day, date);
  }
  const h = floor(rest / 3600);
  rest -= h * 3600;
  const m = floor(rest / 60);
  const s = rest - m * 60;
  const time = `${PAD2[h]}:${PAD2[m]}:${PAD2[s]}`;
  return fraction === 0 ? `${date} ${time} UTC` : `${date} ${time}.${String(fraction).padStart(6, '0')} UTC`;
}
