import { PollRow } from '../common/types/feed-rows.types';
import { PollRows } from '../repositories/poll/poll-rows';
import { preparePollBatch } from '../repositories/poll/prepare-poll-batch.util';
import { RecentPolls, RecentPollsCollector } from './recent-polls';

const row = (storeId: string, timestampUs: number, active = true): PollRow => ({ storeId, timestampUs, active });

/** The collector's result as store → [time, active] pairs. */
function collect(span: number, batches: PollRow[][]): { fromUs: number; stores: Record<string, Array<[number, number]>> } {
  const collector = new RecentPollsCollector(span);
  for (const rows of batches) collector.add(preparePollBatch(PollRows.of(rows)));
  return shape(collector.result()!);
}

function shape(r: RecentPolls) {
  const stores: Record<string, Array<[number, number]>> = {};
  r.storeIds.forEach((id, i) => {
    stores[id] = [];
    for (let k = r.offsets[i]; k < r.offsets[i + 1]; k++) stores[id].push([r.timestampUs[k], r.active[k]]);
  });
  return { fromUs: r.fromUs, stores };
}

describe('RecentPollsCollector', () => {
  it.each([
    {
      what: 'keeps each store’s polls within the span of the latest, and its latest poll before',
      span: 10,
      batches: [
        [row('a', 1), row('a', 5), row('b', 3)],
        [row('a', 12), row('b', 20, false)],
      ],
      expected: {
        fromUs: 10,
        stores: {
          a: [
            [5, 1],
            [12, 1],
          ],
          b: [
            [3, 1],
            [20, 0],
          ],
        },
      },
    },
    {
      what: 'places a poll older than those kept, and keeps it only when it is the latest before the bound',
      span: 10,
      batches: [
        [row('a', 30), row('a', 15)],
        [row('a', 18), row('a', 2)],
      ],
      expected: {
        fromUs: 20,
        stores: {
          a: [
            [18, 1],
            [30, 1],
          ],
        },
      },
    },
    {
      what: 'takes the later row of a key repeated across batches',
      span: 100,
      batches: [[row('a', 5, true)], [row('a', 5, false), row('a', 7)], [row('a', 7, false)]],
      expected: {
        fromUs: -93,
        stores: {
          a: [
            [5, 0],
            [7, 0],
          ],
        },
      },
    },
    {
      what: 'keeps a store the later batches do not name, cut at the end',
      span: 5,
      batches: [[row('a', 1), row('a', 2), row('a', 3)], [row('b', 50)]],
      expected: { fromUs: 45, stores: { a: [[3, 1]], b: [[50, 1]] } },
    },
    {
      what: 'keeps a poll exactly at the bound, and the one before it',
      span: 10,
      batches: [[row('a', 0), row('a', 5), row('a', 10), row('a', 15)]],
      expected: {
        fromUs: 5,
        stores: {
          a: [
            [0, 1],
            [5, 1],
            [10, 1],
            [15, 1],
          ],
        },
      },
    },
  ])('$what', ({ span, batches, expected }) => {
    expect(collect(span, batches)).toEqual(expected);
  });

  it('gives up past the polls it may keep, and keeps nothing more', () => {
    const collector = new RecentPollsCollector(100, 3);
    collector.add(preparePollBatch(PollRows.of([row('a', 1), row('a', 2), row('b', 1)])));
    expect(shape(collector.result()!).stores).toEqual({
      a: [
        [1, 1],
        [2, 1],
      ],
      b: [[1, 1]],
    });
    collector.add(preparePollBatch(PollRows.of([row('c', 3)])));
    expect(collector.result()).toBeNull();
    collector.add(preparePollBatch(PollRows.of([row('d', 4)])));
    expect(collector.result()).toBeNull();
  });

  it('gives nothing for a file without a poll', () => {
    expect(collect(10, [])).toEqual({ fromUs: -Infinity, stores: {} });
  });

  it.each([
    { files: 'short files in any order', maxRows: 60, stores: 5, time: (_i: number, r: number) => Math.floor(r * 100) },
    // long lists whose front is dropped batch after batch (compacted in place), a few polls late
    {
      files: 'long files nearly in time order',
      maxRows: 3000,
      stores: 3,
      time: (i: number, r: number) => i + Math.floor(r * 8),
    },
  ])(
    'equals the polls kept from the whole file at once, for random $files cut into random batches',
    ({ maxRows, stores: storeCount, time }) => {
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let trial = 0; trial < 200; trial++) {
        const rows = Array.from({ length: Math.floor(random() * maxRows) }, (_, i) =>
          row(`s${Math.floor(random() * storeCount)}`, time(i, random()), random() < 0.5),
        );
        const span = Math.floor(random() * 40);
        const batches: PollRow[][] = [];
        for (let at = 0; at < rows.length;) {
          const size = 1 + Math.floor(random() * (maxRows / 6));
          batches.push(rows.slice(at, at + size));
          at += size;
        }
        // The whole file: the later row of each key, then the bound from the latest poll.
        const last = new Map<string, Map<number, number>>();
        for (const r of rows) {
          if (!last.has(r.storeId)) last.set(r.storeId, new Map());
          last.get(r.storeId)!.set(r.timestampUs, r.active ? 1 : 0);
        }
        const latest = Math.max(...rows.map((r) => r.timestampUs));
        const fromUs = latest - span;
        const stores: Record<string, Array<[number, number]>> = {};
        for (const [id, polls] of last) {
          const sorted = [...polls].sort((a, b) => a[0] - b[0]);
          const before = sorted.filter(([t]) => t < fromUs).slice(-1);
          stores[id] = [...before, ...sorted.filter(([t]) => t >= fromUs)];
        }
        const got = collect(span, batches);
        expect({ trial, ...got, stores: sortedKeys(got.stores) }).toEqual({ trial, fromUs, stores: sortedKeys(stores) });
      }
    },
  );
});

const sortedKeys = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
