import { TEST_DATABASES } from '../../../test/support/test-database';
import { useTestSql } from '../../../test/support/test-sql';
import { PollRow } from '../../common/types/feed-rows.types';
import { US_PER_DAY, US_PER_HOUR, US_PER_WEEK } from '../../engine/utils';
import { StoreRepository } from '../store.repository';
import { PollRepository } from './poll.repository';
import { PollRows } from './poll-rows';
import { preparePollBatch } from './prepare-poll-batch.util';

const AS_OF = Date.parse('2023-03-13T15:00:00Z') * 1000;
const poll = (storeId: string, timestampUs: number, active: boolean): PollRow => ({ storeId, timestampUs, active });

describe.each(TEST_DATABASES)('PollRepository on %s', (kind) => {
  const t = useTestSql(kind, 'pollrepo');
  const polls = () => new PollRepository(t.sql);

  /** Writes the batches through a writer, as an import does, and returns its counts. */
  async function write(...batches: PollRow[][]) {
    const writer = await polls().openWriter();
    for (const rows of batches) await writer.write(preparePollBatch(PollRows.of(rows)));
    return writer.finish();
  }
  const stored = async () =>
    (
      await t.sql.rows<[string, number, number]>(
        'SELECT store_id, timestamp_us, active FROM poll ORDER BY store_id, timestamp_us',
      )
    ).map(([s, ts, a]) => [s, Number(ts), Number(a)]);

  it('counts new keys inserted, the same status unchanged and another status replaced, across and within batches', async () => {
    expect(await write([poll('a', 1, true), poll('a', 2, true)])).toEqual({ inserted: 2, unchanged: 0, replaced: 0 });
    expect(
      await write(
        [poll('a', 1, false), poll('a', 2, true), poll('b', 1, true)],
        [poll('b', 1, false), poll('b', 1, false), poll('c', 9, true)],
      ),
    ).toEqual({ inserted: 2, unchanged: 2, replaced: 2 });
    expect(await stored()).toEqual([
      ['a', 1, 0],
      ['a', 2, 1],
      ['b', 1, 0],
      ['c', 9, 1],
    ]);
  });

  it('counts a large batch of new, unchanged and replaced keys over many stores', async () => {
    const stores = Array.from({ length: 30 }, (_, s) => `${1000000000000000000n + BigInt(s * 7919)}`);
    const first = Array.from({ length: 1000 }, (_, i) => poll(stores[i % 30], 1000 + i, i % 3 === 0));
    expect(await write(first)).toEqual({ inserted: 1000, unchanged: 0, replaced: 0 });
    // 300 keys again with their status, 200 with the other one, 501 new (one of them twice)
    const again = [
      ...first.slice(0, 300),
      ...first.slice(300, 500).map((p) => poll(p.storeId, p.timestampUs, !p.active)),
      ...Array.from({ length: 501 }, (_, i) => poll(stores[Math.min(i, 499) % 30], 5000 + Math.min(i, 499), true)),
    ];
    expect(await write(again.reverse())).toEqual({ inserted: 500, unchanged: 301, replaced: 200 });
    const rows = (await stored()) as Array<[string, number, number]>;
    const firstStatus = (ts: number) => Number((ts - 1000) % 3 === 0);
    expect(rows).toHaveLength(1500);
    expect(rows.filter(([, ts, a]) => ts < 1300 && a === firstStatus(ts))).toHaveLength(300);
    expect(rows.filter(([, ts, a]) => ts >= 1300 && ts < 1500 && a !== firstStatus(ts))).toHaveLength(200);
  });

  it('registers each store with its latest poll, which only moves forward', async () => {
    await write([poll('a', 5, true), poll('b', 7, true)]);
    await write([poll('a', 3, true)]);
    expect(await new StoreRepository(t.sql).ids()).toEqual(['a', 'b']);
    expect(await t.sql.rows('SELECT store_id, last_poll_us FROM store ORDER BY store_id')).toEqual([
      ['a', 5],
      ['b', 7],
    ]);
  });

  it("reads each store's week up to as_of and its last poll before the week, in time order", async () => {
    const weekStart = AS_OF - US_PER_WEEK;
    await write([
      poll('a', weekStart - 2 * US_PER_DAY, false), // older than the last poll before the week: not needed
      poll('a', weekStart - US_PER_HOUR, true), // the last poll before the week
      poll('a', AS_OF - US_PER_HOUR, false),
      poll('a', weekStart, true), // the window's first instant is inside
      poll('a', AS_OF, true), // as_of itself is inside
      poll('a', AS_OF + 1, false), // after as_of: ignored
      poll('b', weekStart - US_PER_DAY, false), // only a poll before the week
      poll('c', AS_OF + US_PER_HOUR, true), // only a poll after as_of
      poll('18446744073709551615', AS_OF - 1, true),
    ]);
    const week = await polls().weekOf(['a', 'b', 'c', 'd', '18446744073709551615'], AS_OF);
    expect([...week.keys()].sort()).toEqual(['18446744073709551615', 'a', 'b']);
    expect(week.get('a')).toEqual([
      { tsUs: weekStart - US_PER_HOUR, active: true },
      { tsUs: weekStart, active: true },
      { tsUs: AS_OF - US_PER_HOUR, active: false },
      { tsUs: AS_OF, active: true },
    ]);
    expect(week.get('b')).toEqual([{ tsUs: weekStart - US_PER_DAY, active: false }]);
    expect(week.get('18446744073709551615')).toEqual([{ tsUs: AS_OF - 1, active: true }]);
  });

  it.each([
    ['polled often before the window', [-5, -3, -2.5, -0.25], -0.25],
    ['polled out of order before the window', [-0.5, -2, -0.75], -0.5],
    ['polled once, just before the window', [-0.001], -0.001],
    ['not polled for hours before the window', [-30, -4, -3.5], -3.5],
    ['polled only long before the window', [-24 * 40], -24 * 40],
  ])('reads the last poll before the window of a store %s', async (_what, hoursBefore, lastHoursBefore) => {
    const from = AS_OF - US_PER_DAY;
    await write(hoursBefore.map((h, i) => poll('s', from + Math.round(h * US_PER_HOUR), i % 2 === 0)));
    await write([poll('s', from, false), poll('s', AS_OF, true)]);
    const window = await polls().windowOf(['s', 'none'], from, AS_OF);
    const last = hoursBefore.indexOf(lastHoursBefore);
    expect(window.get('s')).toEqual([
      { tsUs: from + Math.round(lastHoursBefore * US_PER_HOUR), active: last % 2 === 0 },
      { tsUs: from, active: false },
      { tsUs: AS_OF, active: true },
    ]);
    expect(window.has('none')).toBe(false);
  });

  it('reads a week of polls every minute (10,080 per store) whole', async () => {
    const rows = Array.from({ length: 10_080 }, (_, i) => poll('busy', AS_OF - i * 60_000_000, i % 3 === 0));
    await write(rows);
    const week = (await polls().weekOf(['busy'], AS_OF)).get('busy')!;
    expect(week).toHaveLength(10_080);
    expect(week[0]).toEqual({ tsUs: AS_OF - 10_079 * 60_000_000, active: 10_079 % 3 === 0 });
    expect(week.every((p, i) => i === 0 || p.tsUs > week[i - 1].tsUs)).toBe(true);
  });
});
