import { chunksOf } from '../common/utils/chunks-of.util';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { PollRepository } from '../repositories/poll/poll.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { computeStoreFigures, formatFigures, HoursRow, Poll, REPORT_HEADER, storeZone } from '../engine/utils';

export interface BuiltReport {
  asOfUs: number;
  csv: string;
  rowCount: number;
  /** Stores with a poll at or before as_of (the others' figures are all 0). */
  storesWithPolls: number;
}

/** The repositories a report reads. */
export interface ReportSources {
  stores: StoreRepository;
  polls: PollRepository;
  hours: BusinessHoursRepository;
  zones: StoreTimezoneRepository;
}

interface Batch {
  storeIds: string[];
  polls: Map<string, Poll[]>;
  hours: Map<string, HoursRow[]>;
  zones: Map<string, string>;
}

/**
 * Builds the CSV of SPEC §2 from what is in the database now, in batches of stores: each batch
 * is a few set-based reads by primary-key ranges, so the cost follows the week and the store
 * count, not the history held, and memory holds two batches at most. The next batch is read
 * while one is computed.
 */
export async function buildReport(
  sources: ReportSources,
  asOfUs: number | undefined,
  onProgress: (fraction: number) => void | Promise<void> = () => undefined,
): Promise<BuiltReport> {
  const latest = await sources.stores.latestPollUs();
  // With no poll at all every figure is 0 (SPEC §2); the current time is as good an as_of as any.
  const asOf = asOfUs ?? latest ?? Date.now() * 1000;
  const storeIds = await sources.stores.ids();
  const chunks = chunksOf(storeIds, sources.polls.storesPerRead);

  const lines: string[] = [REPORT_HEADER];
  let done = 0;
  let storesWithPolls = 0;
  let next = chunks.length > 0 ? readBatch(sources, chunks[0], asOf) : undefined;
  for (let b = 0; b < chunks.length; b++) {
    const batch = await next!;
    next = b + 1 < chunks.length ? readBatch(sources, chunks[b + 1], asOf) : undefined;
    next?.catch(() => undefined); // awaited (and thrown) on the next turn
    for (const storeId of batch.storeIds) {
      const polls = batch.polls.get(storeId) ?? [];
      if (polls.length > 0) storesWithPolls++;
      const input = {
        polls,
        hours: batch.hours.get(storeId) ?? [],
        zone: storeZone(batch.zones.get(storeId)),
      };
      lines.push(formatFigures(storeId, computeStoreFigures(input, asOf)));
    }
    done += batch.storeIds.length;
    await onProgress(done / storeIds.length);
    // SQLite answers synchronously, so its awaits never leave the microtask queue: yield to
    // the event loop between batches so that the thread can serve anything else it has.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { asOfUs: asOf, csv: `${lines.join('\n')}\n`, rowCount: storeIds.length, storesWithPolls };
}

async function readBatch(sources: ReportSources, storeIds: string[], asOf: number): Promise<Batch> {
  // All at once (side by side on MySQL's pool); awaited together so that one failing leaves no
  // other rejection unhandled.
  const [polls, hours, zones] = await Promise.all([
    sources.polls.weekOf(storeIds, asOf),
    sources.hours.schedulesOf(storeIds),
    sources.zones.zonesOf(storeIds),
  ]);
  return { storeIds, polls, hours, zones };
}
