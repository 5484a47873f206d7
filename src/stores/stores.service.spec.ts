import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { BusinessHoursRepository } from '../repositories/business-hours.repository';
import { StoreTimezoneRepository } from '../repositories/store-timezone.repository';
import { StoreRepository } from '../repositories/store.repository';
import { HoursRowInput, TimezoneRow } from '../common/types/feed-rows.types';
import { HOURS_VALUES, StoreRows, ZONE_VALUES } from './store-rows';
import { StoresService } from './stores.service';
import { WaitExpiredError } from '../common/utils/wait-at-most.util';

/** Asks `check` every `everyMs` until it holds (bounded: a test that waits for ever fails instead). */
async function until(check: () => Promise<boolean>, everyMs = 10): Promise<void> {
  for (const end = Date.now() + 10_000; !(await check());) {
    if (Date.now() > end) throw new Error('the awaited state never came');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

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

  describe('in turn', () => {
    const file = () => hours([hoursRow('A', 0, 9, 17), hoursRow('B', 2, 10, 12)]);
    const zonesFile = () => zones([{ storeId: 'A', timezone: 'Asia/Tokyo' }]);
    const turn = (holdMs = 60_000) => {
      let go!: () => void;
      let stop!: (error: Error) => void;
      const ready = new Promise<void>((resolve, reject) => {
        go = resolve;
        stop = reject;
      });
      return { turn: { ready, holdMs }, go, stop };
    };
    /**
     * Rows written by this database's open transactions, on MySQL; 0 on SQLite. InnoDB renews
     * the table it reads from only once it has been left unread for 0.1 s: ask less often.
     */
    const uncommittedRows = async () =>
      kind === 'mysql'
        ? Number(
            (
              await t.sql.rows<[number]>(
                `SELECT COALESCE(SUM(trx.trx_rows_modified), 0) FROM information_schema.innodb_trx trx
                   JOIN information_schema.processlist p ON p.id = trx.trx_mysql_thread_id
                  WHERE p.db = DATABASE()`,
              )
            )[0][0],
          )
        : 0;
    /** What another connection sees: committed rows only. */
    const committed = async () => ({
      hours: await t.db.countRows('business_hours'),
      zones: await t.db.countRows('store_timezone'),
      stores: await t.db.countRows('store'),
    });

    it('commits nothing before its turn; on MySQL the writes are done ahead, then the stores registered', async () => {
      const hoursTurn = turn();
      const zonesTurn = turn();
      const written = Promise.all([
        service().replaceBusinessHours(file(), hoursTurn.turn),
        service().upsertTimezones(zonesFile(), zonesTurn.turn),
      ]);
      // Both written ahead at once (neither waits for the other's store rows): 2 hours rows, 1 zone.
      if (kind === 'mysql') await until(async () => (await uncommittedRows()) === 3, 200);
      expect(await committed()).toEqual({ hours: 0, zones: 0, stores: 0 });
      zonesTurn.go();
      hoursTurn.go();
      expect(await written).toEqual([
        { inserted: 2, unchanged: 0, replaced: 0 },
        { inserted: 1, unchanged: 0, replaced: 0 },
      ]);
      expect(await committed()).toEqual({ hours: 2, zones: 1, stores: 2 });
    });

    it('writes nothing when the turn is refused (the import stopped), ahead or not', async () => {
      const { turn: given, stop } = turn();
      const written = service().replaceBusinessHours(file(), given);
      if (kind === 'mysql') await until(async () => (await uncommittedRows()) === 2, 200);
      stop(new Error('the import was stopped'));
      await expect(written).rejects.toThrow('the import was stopped');
      expect(await committed()).toEqual({ hours: 0, zones: 0, stores: 0 });
    });

    it('rolls back a hold that runs out and writes again at the turn, with the counts of the write that commits', async () => {
      await service().replaceBusinessHours(hours([hoursRow('A', 0, 9, 17)]));
      const transactions = jest.spyOn(t.sql, 'transaction');
      const { turn: given, go } = turn(1);
      const written = service().replaceBusinessHours(file(), given);
      // On MySQL the hold of 1 ms runs out while the turn waits: that transaction is rolled back.
      if (kind === 'mysql') {
        await until(() => Promise.resolve(transactions.mock.results.length === 1));
        await expect(transactions.mock.results[0].value).rejects.toBeInstanceOf(WaitExpiredError);
      }
      go();
      expect(await written).toEqual({ inserted: 1, unchanged: 1, replaced: 0 });
      expect(transactions).toHaveBeenCalledTimes(kind === 'mysql' ? 2 : 1);
      transactions.mockRestore();
      expect((await committed()).hours).toBe(2);
    });
  });

  it('writes nothing for an empty file', async () => {
    expect(await service().replaceBusinessHours(hours([]))).toEqual({ inserted: 0, unchanged: 0, replaced: 0 });
    expect(await service().upsertTimezones(zones([]))).toEqual({ inserted: 0, unchanged: 0, replaced: 0 });
    expect(await new StoreRepository(t.sql).ids()).toEqual([]);
  });
});
