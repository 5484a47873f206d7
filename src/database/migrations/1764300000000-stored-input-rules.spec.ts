import { Logger, LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TEST_DATABASES, TestDatabase } from '../../../test/support/test-database';
import { buildReportInSnapshot } from '../../reports/report-sources';
import { BusinessHoursRepository } from '../../repositories/business-hours.repository';
import { PollRepository } from '../../repositories/poll/poll.repository';
import { StoreTimezoneRepository } from '../../repositories/store-timezone.repository';
import { StoreRepository } from '../../repositories/store.repository';
import { StoreViewService } from '../../stores/store-view.service';
import { buildDataSourceOptions, MIGRATIONS } from '../database-options';
import { parseDatabaseUrl } from '../database-url';
import { ensureDatabaseExists } from '../ensure-database';
import { sqlClientOf } from '../open-sql-client';
import { SqlClient } from '../sql-client';
import { pollEdges, STORES_PER_STATEMENT } from './1764300000000-stored-input-rules';

const us = (iso: string) => Date.parse(iso) * 1000;
/** The migration before this one: the schema a database filled before the input rules has. */
const PREVIOUS = 'StoreLastPollIndex1764200000000';
const AS_OF = '2023-03-14T00:00:00Z';

/** Zones as imports stored them before the rules (any name Intl accepted, as written). */
const ZONES: [string, string][] = [
  ['z-case', 'america/chicago'],
  ['z-link', 'Asia/Calcutta'],
  ['z-link-case', 'us/pacific'],
  ['z-icu', 'PST'],
  ['z-unknown', 'Mars/Olympus_Mons'],
  ['z-space', 'America/New York'],
  ['z-obsolete', 'SystemV/EST5EDT'],
  ['z-ok', 'Europe/Berlin'],
];

/** Polls, some outside 1970-2099; the valid ones in the week before AS_OF (and one before it). */
const POLLS: [string, string, number][] = [
  ...ZONES.flatMap(([id]): [string, string, number][] => [
    [id, '2023-03-01T12:00:00Z', 1],
    [id, '2023-03-13T14:00:00Z', 0],
    [id, '2023-03-13T20:00:00Z', 1],
  ]),
  ['p-typo', '1969-12-31T23:59:59Z', 1],
  ['p-typo', '2023-03-01T12:00:00Z', 1],
  ['p-typo', '2023-03-13T15:00:00Z', 0],
  ['p-typo', '2023-03-13T21:00:00Z', 1],
  ['p-typo', '2203-03-04T15:03:57Z', 0], // the typo that became every report's default as_of
  ['p-only-bad', '0023-03-04T15:03:57Z', 1], // stored as a negative instant
  ['p-edges', '1970-01-01T00:00:00Z', 1], // the first instant the rules accept
  ['p-edges', '2099-12-31T23:59:59.999Z', 1], // and (nearly) the last
  ['p-edges', '2100-01-01T00:00:00Z', 0], // the first refused
];

/** Open 08:00-20:00 local every day: where the zone is changes the figures. */
const HOURS = ZONES.flatMap(([id]) => Array.from({ length: 7 }, (_, day) => [id, day, 8 * 3600, 20 * 3600]));

describe.each(TEST_DATABASES)('migration StoredInputRules on %s', (kind) => {
  const db = new TestDatabase(kind, 'stored_rules');
  const lines: { level: string; context: string; message: string }[] = [];
  const capture = (level: string) => (message: unknown, context?: unknown) =>
    void lines.push({ level, context: String(context), message: String(message) });
  const logger: LoggerService = { log: capture('log'), warn: capture('warn'), error: capture('error') };
  let dataSource: DataSource;
  let sql: SqlClient;
  let before: { csv: string; zones: string[]; list: unknown[] };

  const zones = async () =>
    (await dataSource.query('SELECT store_id, timezone_str FROM store_timezone ORDER BY store_id')).map(
      (r: { store_id: string; timezone_str: string }) => `${r.store_id}=${r.timezone_str}`,
    );
  const polls = async () =>
    (await dataSource.query('SELECT store_id, timestamp_us FROM poll ORDER BY store_id, timestamp_us')).map(
      (r: { store_id: string; timestamp_us: number }) => `${r.store_id}@${new Date(Number(r.timestamp_us) / 1000).toISOString()}`,
    );
  const lastPolls = async () =>
    Object.fromEntries(
      (await dataSource.query('SELECT store_id, last_poll_us FROM store ORDER BY store_id')).map(
        (r: { store_id: string; last_poll_us: number | null }) => [
          r.store_id,
          r.last_poll_us === null ? null : new Date(Number(r.last_poll_us) / 1000).toISOString(),
        ],
      ),
    );
  const report = async () => (await buildReportInSnapshot(sql, us(AS_OF), () => undefined, { once: true })).csv;
  const storeList = async () =>
    (
      await new StoreViewService(
        sql,
        new StoreRepository(sql),
        new PollRepository(sql),
        new BusinessHoursRepository(sql),
        new StoreTimezoneRepository(sql),
      ).list('100')
    ).stores;
  const ours = () => lines.filter((l) => l.context === 'StoredInputRules1764300000000');

  beforeAll(async () => {
    Logger.overrideLogger(logger);
    const target = parseDatabaseUrl(db.url);
    await ensureDatabaseExists(target);
    // A database migrated up to the migration before, as one filled before the rules is.
    const upTo = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === PREVIOUS) + 1);
    const old = await new DataSource({ ...buildDataSourceOptions(target), migrations: upTo }).initialize();
    await old.runMigrations({ transaction: 'each' });
    await old.destroy();

    // Up to this migration, so that undoing the last migration undoes this one.
    const through = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === 'StoredInputRules1764300000000') + 1);
    dataSource = await new DataSource({ ...buildDataSourceOptions(target), migrations: through }).initialize();
    sql = sqlClientOf(dataSource);
    const storeIds = [...new Set([...ZONES.map(([id]) => id), ...POLLS.map(([id]) => id)])];
    for (const id of storeIds) {
      // last_poll_us as the poll writers kept it: the latest poll, whatever its year
      const latest = Math.max(...POLLS.filter(([s]) => s === id).map(([, at]) => us(at)));
      await dataSource.query('INSERT INTO store (store_id, last_poll_us) VALUES (?, ?)', [id, latest]);
    }
    for (const [id, at, active] of POLLS)
      await dataSource.query('INSERT INTO poll (store_id, timestamp_us, active) VALUES (?, ?, ?)', [id, us(at), active]);
    for (const [id, zone] of ZONES)
      await dataSource.query('INSERT INTO store_timezone (store_id, timezone_str) VALUES (?, ?)', [id, zone]);
    for (const row of HOURS)
      await dataSource.query('INSERT INTO business_hours (store_id, day_of_week, start_sec, end_sec) VALUES (?, ?, ?, ?)', row);
    before = { csv: await report(), zones: await zones(), list: await storeList() };

    await dataSource.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await sql?.close(); // closes the DataSource too
    await db.drop();
  });

  it('stores each zone as IANA names the zone the engine computed it in, and removes those it never knew', async () => {
    expect(before.zones).toContain('z-case=america/chicago');
    expect(await zones()).toEqual([
      'z-case=America/Chicago',
      'z-icu=America/Los_Angeles',
      'z-link=Asia/Kolkata',
      'z-link-case=America/Los_Angeles',
      'z-obsolete=SystemV/EST5EDT', // no IANA zone computes as ICU's: left, with a warning
      'z-ok=Europe/Berlin',
    ]);
  });

  it('removes the polls outside 1970-2099 and recomputes the latest poll of their stores only', async () => {
    expect((await polls()).sort()).toEqual(
      [
        'p-edges@1970-01-01T00:00:00.000Z',
        'p-edges@2099-12-31T23:59:59.999Z',
        'p-typo@2023-03-01T12:00:00.000Z',
        'p-typo@2023-03-13T15:00:00.000Z',
        'p-typo@2023-03-13T21:00:00.000Z',
        ...ZONES.flatMap(([id]) => [
          `${id}@2023-03-01T12:00:00.000Z`,
          `${id}@2023-03-13T14:00:00.000Z`,
          `${id}@2023-03-13T20:00:00.000Z`,
        ]),
      ].sort(),
    );
    expect(await lastPolls()).toEqual({
      'p-edges': '2099-12-31T23:59:59.999Z',
      'p-only-bad': null,
      'p-typo': '2023-03-13T21:00:00.000Z',
      ...Object.fromEntries(ZONES.map(([id]) => [id, '2023-03-13T20:00:00.000Z'])),
    });
  });

  it("finds each store's first and last poll by a seek of the primary key, never a scan", async () => {
    const ids = [...ZONES.map(([id]) => id), 'p-typo', 'p-edges'];
    const padded = [...ids, ...Array.from({ length: STORES_PER_STATEMENT - ids.length }, (_, i) => `none-${i}`)];
    const { sql: query, params } = pollEdges(kind, padded);
    const edges = await dataSource.query<{ store_id: string; first_us: number; last_us: number }[]>(query, params);
    expect(edges.filter((e) => e.store_id === 'p-typo').map((e) => [Number(e.first_us), Number(e.last_us)])).toEqual([
      [us('2023-03-01T12:00:00Z'), us('2023-03-13T21:00:00Z')],
    ]);
    if (kind === 'mysql') {
      // answered while planned, from the key, whatever InnoDB's statistics say: nothing of poll is read by a plan
      const plan = await dataSource.query<{ table: string | null; Extra: string }[]>(`EXPLAIN ${query}`, params);
      expect(plan.filter((r) => r.table !== null)).toEqual([]);
      expect([...new Set(plan.map((r) => r.Extra))].sort()).toEqual([
        'No matching min/max row',
        'No tables used',
        'Select tables optimized away',
      ]);
    } else {
      const plan = await dataSource.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query}`, params);
      expect(plan.map((r) => r.detail).filter((d) => / p /.test(d))).toEqual([
        'SEARCH p USING PRIMARY KEY (store_id=?)',
        'SEARCH p USING PRIMARY KEY (store_id=?)',
      ]);
    }
  });

  it('changes no figure of a report, nor whether a store is computed in the default zone', async () => {
    // p-only-bad's one poll was its last before the week: it is gone, and the store has no poll left
    const without = (csv: string) => csv.split('\n').filter((line) => !line.startsWith('p-only-bad,'));
    expect(without(await report())).toEqual(without(before.csv));
    expect((await report()).split('\n')).toContain('p-only-bad,0.00,0.00,0.00,0.00,0.00,0.00');

    type Listed = { store_id: string; timezone: string; timezone_is_default: boolean };
    const after = (await storeList()) as Listed[];
    const defaults = (list: Listed[]) => list.filter((s) => s.timezone_is_default).map((s) => s.store_id);
    expect(defaults(after)).toEqual(defaults(before.list as Listed[]));
    expect(after.find((s) => s.store_id === 'z-unknown')).toMatchObject({
      timezone: 'America/Chicago',
      timezone_is_default: true,
    });
    expect(after.find((s) => s.store_id === 'z-case')).toMatchObject({ timezone: 'America/Chicago', timezone_is_default: false });
  });

  it('says what it changed and removed, warnings the migrate command shows too', () => {
    expect(ours()).toEqual([
      {
        level: 'warn',
        context: 'StoredInputRules1764300000000',
        message:
          'store_timezone: 4 zones rewritten as IANA names them, computed as before: ' +
          '"america/chicago" → America/Chicago ×1, "PST" → America/Los_Angeles ×1, ' +
          '"Asia/Calcutta" → Asia/Kolkata ×1, "us/pacific" → America/Los_Angeles ×1',
      },
      {
        level: 'warn',
        context: 'StoredInputRules1764300000000',
        message:
          'store_timezone: 2 zones unknown to the engine removed; those stores were and are computed in America/Chicago, ' +
          'the zone of a store without one (import their zones again to set them): "America/New York" ×1, "Mars/Olympus_Mons" ×1',
      },
      {
        level: 'warn',
        context: 'StoredInputRules1764300000000',
        message:
          "store_timezone: 1 zone left as stored: no IANA name computes as they do, so any change would change their stores' " +
          'figures (import their zones again): "SystemV/EST5EDT" ×1',
      },
      {
        level: 'warn',
        context: 'StoredInputRules1764300000000',
        message:
          'poll: 4 polls outside the years 1970-2099 removed and last_poll_us recomputed for 3 stores ' +
          '(default as_of 2203-03-04T15:03:57.000000Z → 2099-12-31T23:59:59.999000Z): store p-edges ×1, store p-only-bad ×1, store p-typo ×2',
      },
      {
        level: 'log',
        context: 'StoredInputRules1764300000000',
        message: expect.stringMatching(
          /^stored data checked against the input rules in \d+ ms \(8 zones, the polls of 11 stores\): 4 zones rewritten, 2 removed, 1 left as stored; 4 polls removed$/,
        ),
      },
    ]);
  });

  it('changes nothing when run again', async () => {
    const state = async () => ({ zones: await zones(), polls: await polls(), last: await lastPolls() });
    const once = await state();
    lines.length = 0;
    await dataSource.undoLastMigration({ transaction: 'each' });
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await state()).toEqual(once);
    expect(ours().map((l) => [l.level, l.message.replace(/ in \d+ ms/, '')])).toEqual([
      ['warn', expect.stringMatching(/^store_timezone: 1 zone left as stored/)],
      [
        'log',
        'stored data checked against the input rules (6 zones, the polls of 11 stores): 0 zones rewritten, 0 removed, 1 left as stored; 0 polls removed',
      ],
    ]);
  });
});
