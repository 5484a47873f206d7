import { formatInstantUs } from '../../common/utils/format-instant-us.util';
import { Micros } from './engine.types';
import { zoneOffsets } from './zone-offset.util';

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as the store's wall-clock time with its UTC offset, ISO 8601, to the microsecond:
 * `2023-03-12T03:30:00.000000-05:00`. A midpoint's half microsecond is dropped (as
 * formatInstantUs does), so touching intervals still print the same boundary. The offset comes
 * from the zone's own rules (Intl), never from the process's TZ; an offset with seconds (local
 * mean time before 1900) prints them (`-05:50:36`).
 *
 * @throws RangeError when Intl does not know the zone
 */
export function formatLocalInstantUs(us: Micros, zone: string): string {
  const whole = Math.floor(us);
  const offsetMs = zoneOffsets(zone).offsetMs(Math.floor(whole / 1000));
  const abs = Math.abs(offsetMs) / 1000;
  const seconds = abs % 60;
  const offset = `${offsetMs < 0 ? '-' : '+'}${pad2(Math.floor(abs / 3600))}:${pad2(Math.floor(abs / 60) % 60)}${seconds ? `:${pad2(seconds)}` : ''}`;
  return `${formatInstantUs(whole + offsetMs * 1000).slice(0, -1)}${offset}`;
}
