/**
 * UTC offsets of IANA zones, computed with Intl only (never with the process's TZ), and the
 * conversion of local wall-clock times to instants with Temporal's `disambiguation:
 * 'compatible'` rule (SPEC §2 "Open time").
 *
 * Intl is slow (~5 µs a call), and a report converts millions of local times, so each zone
 * keeps a cache of its offset transitions: time is cut into fixed chunks of 28 days; the
 * first lookup in a chunk samples the offset every 6 hours and bisects every change down to
 * the exact second. Later lookups are a Map hit and a tiny binary search.
 */

const MS_PER_SECOND = 1000;
const MS_PER_DAY = 86_400_000;
/** Sampling step: no zone has two transitions (there and back) within 6 hours. */
const SAMPLE_MS = 6 * 3_600_000;
/** Chunk size: a multiple of SAMPLE_MS, so every chunk starts on a sample. */
const CHUNK_MS = 28 * MS_PER_DAY;

/** Offsets of one chunk [chunkStart, chunkStart + CHUNK_MS): offsets[i] holds from starts[i] on. */
interface Chunk {
  readonly starts: number[];
  readonly offsets: number[];
}

const validity = new Map<string, boolean>();

/**
 * Whether Intl can compute with the zone (names are case-insensitive there, and aliases such as
 * US/Central are accepted): the engine's question about a stored zone. An import checks a name
 * strictly, as IANA spells it, and stores its canonical form (resolveTimeZone).
 */
export function isValidTimeZone(zone: string): boolean {
  let ok = validity.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false; // RangeError: unknown zone
    }
    validity.set(zone, ok);
  }
  return ok;
}

/** Date.UTC, but years 0–99 are not shifted to 1900–1999. */
function utcFromFields(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (y >= 0 && y < 100) {
    const date = new Date(ms);
    date.setUTCFullYear(y);
    return date.getTime();
  }
  return ms;
}

/** The offsets of one zone, with its chunk cache. */
export class ZoneOffsets {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly chunks = new Map<number, Chunk>();
  // The last chunk used: consecutive lookups almost always hit it, so skip the Map.
  private lastIndex = Number.NaN;
  private lastChunk: Chunk = { starts: [], offsets: [] };

  /** @throws RangeError when Intl does not know the zone */
  constructor(readonly zone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The offset (local − UTC) in ms at the instant utcMs. */
  offsetMs(utcMs: number): number {
    const index = Math.floor(utcMs / CHUNK_MS);
    let chunk = this.lastChunk;
    if (index !== this.lastIndex) {
      let found = this.chunks.get(index);
      if (found === undefined) {
        found = this.scan(index * CHUNK_MS);
        this.chunks.set(index, found);
      }
      chunk = found;
      this.lastIndex = index;
      this.lastChunk = chunk;
    }
    const { starts, offsets } = chunk;
    // Last segment starting at or before utcMs (starts[0] is the chunk start, so i >= 0).
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= utcMs) lo = mid;
      else hi = mid - 1;
    }
    return offsets[lo];
  }

  /**
   * The instant (ms) of a local wall-clock time given as ms since 1970-01-01T00:00 local,
   * with Temporal's 'compatible' disambiguation: in a gap (DST jump forward) the time moves
   * later by the length of the jump; in an overlap the earlier instant wins.
   */
  localMsToUtcMs(localMs: number): number {
    // The offsets a day before and after bracket any single transition near localMs.
    const offBefore = this.offsetMs(localMs - MS_PER_DAY);
    const offAfter = this.offsetMs(localMs + MS_PER_DAY);
    const early = localMs - offBefore;
    if (offBefore === offAfter) return early;
    const late = localMs - offAfter;
    const earlyOk = this.offsetMs(early) === offBefore;
    const lateOk = this.offsetMs(late) === offAfter;
    if (earlyOk && lateOk) return Math.min(early, late); // overlap: the earlier instant
    if (earlyOk) return early;
    if (lateOk) return late;
    // Gap: read the time with the offset before the jump, which lands after the jump.
    return early;
  }

  /** The exact offset straight from Intl (slow), at whole-second precision. */
  private intlOffsetMs(utcMs: number): number {
    const second = Math.floor(utcMs / MS_PER_SECOND) * MS_PER_SECOND;
    let y = 0;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const part of this.fmt.formatToParts(second)) {
      switch (part.type) {
        case 'year':
          y = Number(part.value);
          break;
        case 'month':
          mo = Number(part.value);
          break;
        case 'day':
          d = Number(part.value);
          break;
        case 'hour':
          h = Number(part.value);
          break;
        case 'minute':
          mi = Number(part.value);
          break;
        case 'second':
          s = Number(part.value);
          break;
      }
    }
    return utcFromFields(y, mo, d, h, mi, s) - second;
  }

  /** Samples a chunk every SAMPLE_MS and bisects each change to the second it happens. */
  private scan(chunkStart: number): Chunk {
    const starts = [chunkStart];
    const offsets = [this.intlOffsetMs(chunkStart)];
    let prevAt = chunkStart;
    let prevOff = offsets[0];
    for (let at = chunkStart + SAMPLE_MS; at <= chunkStart + CHUNK_MS; at += SAMPLE_MS) {
      const off = this.intlOffsetMs(at);
      if (off !== prevOff) {
        // Invariant: offset(lo) = prevOff, offset(hi) != prevOff; both on whole seconds.
        let lo = prevAt;
        let hi = at;
        while (hi - lo > MS_PER_SECOND) {
          const mid = lo + Math.floor((hi - lo) / (2 * MS_PER_SECOND)) * MS_PER_SECOND;
          if (this.intlOffsetMs(mid) === prevOff) lo = mid;
          else hi = mid;
        }
        // The sample at the next chunk's start belongs to that chunk.
        if (hi < chunkStart + CHUNK_MS) {
          starts.push(hi);
          offsets.push(off);
        }
        prevOff = off;
      }
      prevAt = at;
    }
    return { starts, offsets };
  }
}

const zones = new Map<string, ZoneOffsets>();

/**
 * The cached offset table of a zone.
 * @throws RangeError when Intl does not know the zone
 */
export function zoneOffsets(zone: string): ZoneOffsets {
  let z = zones.get(zone);
  if (z === undefined) {
    z = new ZoneOffsets(zone);
    zones.set(zone, z);
  }
  return z;
}

/** The UTC offset (local − UTC) of the zone at the instant utcMs, in ms. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  return zoneOffsets(zone).offsetMs(utcMs);
}

/**
 * The instant (ms since epoch) of a local date and time of day in the zone, with Temporal's
 * `disambiguation: 'compatible'`. secondOfDay may be 86400 (next midnight); out-of-range
 * days roll over like Date.UTC.
 */
export function localToUtcMs(zone: string, year: number, month: number, day: number, secondOfDay: number): number {
  const localMs = utcFromFields(year, month, day, 0, 0, 0) + secondOfDay * MS_PER_SECOND;
  return zoneOffsets(zone).localMsToUtcMs(localMs);
}
