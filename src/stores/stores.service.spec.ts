import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { HOURS_VALUES, StoreRows, ZONE_VALUES } from './store-rows';
import { StoresService } from './stores.service';

const hours = (rows: HoursRowInput[]) => StoreRows.of(HOURS_VALUES, rows);
const zones = (rows: TimezoneRow[]) => StoreRows.of(ZONE_VALUES, rows);
const hoursRow = (storeId: string, dayOfWeek: number, startSec: number, endSec: number) => ({
  storeId,
  dayOfWeek,
  startSec,
  endSec,
});

/** The counting rules of hours and zones imports, against real repositories. */
describe.each(TEST_DATABASES)('StoresService on %s', (kind) => {
  const t = useTestSql(kind, 'storesservice');
  const service = () =>
    new StoresService(t.sql, new StoreRepository(t.sql), new BusinessHoursRepository(t.sql), new StoreTimezoneRepository(t.sql));

  it('replaces the schedules of the stores in a file only, and counts inserted, unchanged and replaced', async () => {
    expect(
      await service().replaceBusinessHours(hours([hoursRow('A', 0, 9, 17), hoursRow('A', 1, 9, 17), hoursRow('B', 2, 10, 12)])),
    ).toEqual({ inserted: 3, unchanged: 0, replaced: 0 });
    expect(
      await service().replaceBusinessHours(hours([hoursRow('A', 0, 9, 17), hoursRow('A', 4, 8, 20), hoursRow('A', 4, 8, 20)])),
    ).toEqual({ inserted: 0, unchanged: 2, replaced: 1 });
    const schedules = await new BusinessHoursRepository(t.sql).schedulesOf(['A', 'B']);
    expect(
      schedules
        .get('A')!
        .map((r) => r.dayOfWeek)
        .sort(),
    ).toEqual([0, 4]);
    expect(schedules.get('B')).toEqual([{ dayOfWeek: 2, startSec: 10, endSec: 12 }]);
    expect(await new StoreRepository(t.sql).ids()).toEqual(['A', 'B']);
  });

  it('counts an unchanged file as unchanged, row for row', async () => {
    const file = hours([hoursRow('A', 0, 9, 17), hoursRow('B', 6, 20, 2)]);
    await service().replaceBusinessHours(file);
    expect(await service().replaceBusinessHours(file)).toEqual({ inserted: 0, unchanged: 2, replaced: 0 });
  });

  it('sets zones and counts inserted, unchanged and replaced', async () => {
    await service().upsertTimezones(
      zones([
        { storeId: 'A', timezone: 'America/Denver' },
        { storeId: 'B', timezone: 'Asia/Kolkata' },
      ]),
    );
    expect(
      await service().upsertTimezones(
        zones([
          { storeId: 'A', timezone: 'America/Denver' },
          { storeId: 'B', timezone: 'Europe/London' },
          { storeId: 'C', timezone: 'Etc/UTC' },
        ]),
      ),
    ).toEqual({ inserted: 1, unchanged: 1, replaced: 1 });
    expect(Object.fromEntries(await new StoreTimezoneRepository(t.sql).zonesOf(['A', 'B', 'C']))).toEqual({
      A: 'America/Denver',
      B: 'Europe/London',
      C: 'Etc/UTC',
    });
    expect(await new StoreRepository(t.sql).ids()).toEqual(['A', 'B', 'C']);
  });

  it("counts across its steps of 500 stores as in one, with a store's rows scattered through the file", async () => {
    // 1,234 stores, each with two rows far apart in the file: every step must see all of a store's rows.
    const ids = Array.from({ length: 1234 }, (_, i) => `s${String(i).padStart(4, '0')}`);
    const hoursFile = [...ids.map((id) => hoursRow(id, 0, 9, 17)), ...ids.map((id) => hoursRow(id, 1, 9, 17))];
    const zonesFile = zones([
      ...ids.map((id) => ({ storeId: id, timezone: 'Etc/UTC' })),
      ...ids.map((id) => ({ storeId: id, timezone: 'Asia/Tokyo' })),
    ]);
    expect(await service().replaceBusinessHours(hours(hoursFile))).toEqual({ inserted: 2468, unchanged: 0, replaced: 0 });
    expect(await service().upsertTimezones(zonesFile)).toEqual({ inserted: 1234, unchanged: 1234, replaced: 0 });
    // Again, with one store's Monday moved: only that row is replaced.
    const moved = hoursFile.map((r) => (r.storeId === 's0777' && r.dayOfWeek === 1 ? hoursRow('s0777', 1, 10, 18) : r));
    expect(await service().replaceBusinessHours(hours(moved))).toEqual({ inserted: 0, unchanged: 2467, replaced: 1 });
    expect(await service().upsertTimezones(zonesFile)).toEqual({ inserted: 0, unchanged: 2468, replaced: 0 });
    const schedules = await new BusinessHoursRepository(t.sql).schedulesOf(ids);
    expect([...schedules.values()].reduce((n, list) => n + list.length, 0)).toBe(2468);
    expect(schedules.get('s0777')!.find((r) => r.dayOfWeek === 1)).toEqual({ dayOfWeek: 1, startSec: 10, endSec: 18 });
    expect(new Set((await new StoreTimezoneRepository(t.sql).zonesOf(ids)).values())).toEqual(new Set(['Asia/Tokyo']));
    expect(await new StoreRepository(t.sql).ids()).toHaveLength(1234);
  });

  it('writes nothing for an empty file', async () => {
    expect(await service().replaceBusinessHours(hours([]))).toEqual({ inserted: 0, unchanged: 0, replaced: 0 });
    expect(await service().upsertTimezones(zones([]))).toEqual({ inserted: 0, unchanged: 0, replaced: 0 });
    expect(await new StoreRepository(t.sql).ids()).toEqual([]);
  });
});
