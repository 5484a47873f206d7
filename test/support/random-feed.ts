import { mulberry32 } from '../../src/common/utils/mulberry32.util';
import {
  downtimeIncidents,
  HoursRow,
  openIntervals,
  Poll,
  statusSegments,
  storeZone,
  US_PER_HOUR,
  US_PER_WEEK,
} from '../../src/engine/utils';

/** The live monitor's default ALERT_LOOKBACK_H, in µs. */
export const LOOKBACK_US = 24 * US_PER_HOUR;

export interface FeedPoll {
  storeId: string;
  tsUs: number;
  active: boolean;
}

/** Six stores over four days from 2023-03-10 (the US DST change on the 12th), polled about hourly, split by time into slices. */
export function randomFeed(seed: number) {
  const random = mulberry32(seed);
  const start = Date.UTC(2023, 2, 10) * 1000;
  const stores = ['s1', 's2', 's3', 's4', 's5', 's6'];
  const zones = ['America/New_York', 'America/Chicago', 'Europe/London', 'Asia/Kolkata'];
  const hours = new Map<string, HoursRow[]>();
  const zoneOf = new Map<string, string>();
  const polls: FeedPoll[] = [];
  for (const storeId of stores) {
    const kind = Math.floor(random() * 3);
    const rows: HoursRow[] = [];
    for (let day = 0; day < 7 && kind > 0; day++) {
      const startSec = (kind === 1 ? 8 : 18) * 3600 + Math.floor(random() * 4) * 1800;
      const endSec = kind === 1 ? 20 * 3600 : 2 * 3600; // overnight for kind 2
      if (random() < 0.85) rows.push({ dayOfWeek: day, startSec, endSec });
    }
    hours.set(storeId, rows);
    zoneOf.set(storeId, zones[Math.floor(random() * zones.length)]);
    let active = random() < 0.7;
    // Whole milliseconds: the CSV below writes instants as toISOString does.
    for (
      let ts = start + Math.floor(random() * 3600e3) * 1000;
      ts < start + 4 * 24 * US_PER_HOUR;
      ts += (40 + Math.floor(random() * 40)) * 60e6
    ) {
      if (random() < 0.2) active = !active;
      polls.push({ storeId, tsUs: ts, active });
    }
  }
  polls.sort((a, b) => a.tsUs - b.tsUs);
  const cuts = Array.from({ length: 5 }, () => Math.floor(random() * polls.length)).sort((a, b) => a - b);
  const slices: FeedPoll[][] = [];
  let from = 0;
  for (const cut of [...cuts, polls.length]) {
    // Equal instants stay in one slice: a slice never ends inside a moment.
    let end = cut;
    while (end < polls.length && end > 0 && polls[end].tsUs === polls[end - 1].tsUs) end++;
    if (end > from) slices.push(polls.slice(from, end));
    from = Math.max(from, end);
  }
  const time = (sec: number) =>
    `${String(Math.floor(sec / 3600) % 24).padStart(2, '0')}:${String((sec % 3600) / 60).padStart(2, '0')}`;
  return {
    stores,
    hours,
    zoneOf,
    polls,
    slices,
    hoursCsv:
      [...hours]
        .flatMap(([id, rows]) => rows.map((r) => `${id},${r.dayOfWeek},${time(r.startSec)},${time(r.endSec)}`))
        .join('\n') + '\n',
    zonesCsv: [...zoneOf].map(([id, zone]) => `${id},${zone}`).join('\n') + '\n',
  };
}

/**
 * SPEC §5 evaluated the plain way: after each slice, every store's incidents over the whole week
 * from every poll held (the store view's), announced once within the lookback, ended once seen
 * ended; an announced incident that no longer appears ends where it began.
 */
export class ReferenceMonitor {
  readonly events: string[] = [];
  private readonly seen = new Set<string>();
  private readonly open = new Map<string, number>();
  private asOfUs = 0;

  constructor(private readonly feed: ReturnType<typeof randomFeed>) {}

  evaluate(sliceLatest: number): void {
    this.asOfUs = Math.max(this.asOfUs, sliceLatest);
    const asOf = this.asOfUs;
    for (const storeId of this.feed.stores) {
      const polls: Poll[] = this.feed.polls.filter((p) => p.storeId === storeId && p.tsUs <= asOf);
      const zone = storeZone(this.feed.zoneOf.get(storeId));
      const open = openIntervals(this.feed.hours.get(storeId) ?? [], zone, asOf - US_PER_WEEK, asOf);
      const incidents = downtimeIncidents(open, statusSegments(polls, asOf - US_PER_WEEK, asOf));
      const announced = this.open.get(storeId);
      for (const [s, e] of incidents) {
        if (e < asOf - LOOKBACK_US && s !== announced) continue;
        this.record(`${storeId} store.down ${s}`, `${storeId} store.down ${Math.floor(s)}`);
        if (e < asOf) this.record(`${storeId} store.up ${s}`, `${storeId} store.up ${Math.floor(s)} ${Math.floor(e)}`);
      }
      if (announced !== undefined && !incidents.some(([s]) => s === announced)) {
        this.record(`${storeId} store.up ${announced}`, `${storeId} store.up ${Math.floor(announced)} ${Math.floor(announced)}`);
      }
      const last = incidents[incidents.length - 1];
      if (last !== undefined && last[1] === asOf) this.open.set(storeId, last[0]);
      else this.open.delete(storeId);
    }
  }

  private record(key: string, shown: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.events.push(shown);
  }
}

/** A polls feed of these polls (instants as toISOString writes them: whole milliseconds). */
export function pollsCsv(polls: readonly FeedPoll[]): string {
  const lines = polls.map((p) => `${p.storeId},${p.active ? 'active' : 'inactive'},${new Date(p.tsUs / 1000).toISOString()}`);
  return `store_id,status,timestamp_utc\n${lines.join('\n')}\n`;
}
