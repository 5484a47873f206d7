import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFeeds } from '../src/seed/feed-files.util';
import { resolveFeedOptions } from '../src/seed/synthetic-feed';
import { FIXTURE, postImport, runCli, useTestApp } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

const us = (iso: string, micros = 0) => Date.parse(iso) * 1000 + micros;

describe.each(TEST_DATABASES)('ingestion on %s', (kind) => {
  const t = useTestApp(kind, 'ingestion');

  const polls = async () =>
    (
      await t.sql.objects<{ store_id: string; timestamp_us: number; active: number }>(
        'SELECT store_id, timestamp_us, active FROM poll ORDER BY store_id, timestamp_us',
      )
    ).map((r) => [r.store_id, Number(r.timestamp_us), Number(r.active)]);
  const hours = async () =>
    (
      await t.sql.objects(
        'SELECT store_id, day_of_week, start_sec, end_sec FROM business_hours ORDER BY store_id, day_of_week, start_sec',
      )
    ).map((r) => [r.store_id, Number(r.day_of_week), Number(r.start_sec), Number(r.end_sec)]);
  const count = async (table: string) => Number((await t.sql.objects<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('answers /health (ready: the database answers, the schema is current) and /health/live', async () => {
    const res = await fetch(`${t.base}/health`);
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toEqual(
      kind === 'mysql'
        ? { status: 'ok', database: 'mysql', node: expect.stringMatching(/^[^:]+:\d+$/) }
        : { status: 'ok', database: 'sqlite' },
    );
    const live = await fetch(`${t.base}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
  });

  it('imports the fixture from the CLI, then again with every row unchanged', () => {
    const args = [
      'import',
      '--polls',
      FIXTURE.polls,
      '--business-hours',
      FIXTURE.business_hours,
      '--timezones',
      FIXTURE.timezones,
    ];
    const first = runCli(t.db, args);
    // no log on stderr, only the final line about the import (SPEC §4)
    expect(first.stderr).toMatch(
      /^import [A-Za-z0-9_-]{22}: done, 0\.4 of 0\.4 MB \(100 %\), 6,878 rows in [\d.]+ s, [\d,]+ rows\/s\n$/,
    );
    expect(first.status).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.timezones).toEqual({
      read: 33,
      inserted: 32,
      unchanged: 0,
      replaced: 0,
      rejected: 1,
      errors: [{ line: 34, reason: 'unknown timezone: Mars/Olympus_Mons' }],
    });
    expect(summary.business_hours).toEqual({
      read: 284,
      inserted: 282,
      unchanged: 0,
      replaced: 0,
      rejected: 2,
      errors: [
        { line: 284, reason: 'dayOfWeek must be 0 (Monday) to 6 (Sunday)' },
        { line: 285, reason: 'start_time_local is not a time of day: 25:00:00' },
      ],
    });
    // 59 rows repeat an earlier (store_id, timestamp) with the same status.
    expect(summary.polls).toMatchObject({ read: 6561, inserted: 6497, unchanged: 59, replaced: 0, rejected: 5 });
    expect(summary.polls.errors).toEqual([
      { line: 6558, reason: 'status must be active or inactive' },
      { line: 6559, reason: 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC' },
      { line: 6560, reason: 'timestamp_utc has no such date: 2023-02-30' },
      { line: 6561, reason: 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -' },
      { line: 6562, reason: 'expected 3 columns, found 2' },
    ]);

    const again = JSON.parse(runCli(t.db, args).stdout);
    expect(again.timezones).toMatchObject({ inserted: 0, unchanged: 32, replaced: 0, rejected: 1 });
    expect(again.business_hours).toMatchObject({ inserted: 0, unchanged: 282, replaced: 0, rejected: 2 });
    expect(again.polls).toMatchObject({ inserted: 0, unchanged: 6556, replaced: 0, rejected: 5 });
  });

  it('ends an import of several seconds from the CLI with its one line, no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-cli-import-'));
    try {
      const set = await writeSyntheticFeeds(dir, resolveFeedOptions({ stores: 600, days: 7 }));
      const run = runCli(t.db, ['import', '--polls', set.files.polls]);
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(
        /^import [A-Za-z0-9_-]{22}: done, [\d.]+ of [\d.]+ MB \(100 %\), [\d,]+ rows in [\d.]+ s, [\d,]+ rows\/s\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports all three feeds in one HTTP request, same as the CLI', async () => {
    const { readFileSync } = await import('node:fs');
    const res = await postImport(t.base, {
      polls: readFileSync(FIXTURE.polls),
      business_hours: readFileSync(FIXTURE.business_hours),
      timezones: readFileSync(FIXTURE.timezones),
    });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as any;
    expect(summary.polls).toMatchObject({ read: 6561, inserted: 6497, unchanged: 59, replaced: 0, rejected: 5 });
    expect(summary.business_hours).toMatchObject({ read: 284, inserted: 282, rejected: 2 });
    expect(summary.timezones).toMatchObject({ read: 33, inserted: 32, rejected: 1 });
    expect(await count('poll')).toBe(6497);
    expect(await count('business_hours')).toBe(282);
    expect(await count('store_timezone')).toBe(32);
    expect(await count('store')).toBe(40);
  });

  it('keeps 19-digit ids above 2^53 and UUIDs byte for byte', async () => {
    const ids = ['9007199254740993', '18446744073709551615', '0000123', 'B0C11FDE-cb91-ce37-5bc8-fbbcbde5c099', 'a_b-c'];
    const csv = `store_id,status,timestamp_utc\n${ids.map((id) => `${id},active,2023-03-04 15:00:00 UTC`).join('\n')}\n`;
    expect((await postImport(t.base, { polls: csv })).status).toBe(200);
    const stored = (await polls()).map((p: unknown[]) => p[0]);
    expect(stored.sort()).toEqual([...ids].sort());
    const report = runCli(t.db, ['report']);
    expect(report.status).toBe(0);
    expect(
      report.stdout
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0]),
    ).toEqual([...ids].sort());
  });

  it.each([
    ['2023-03-04 15:03:57.680822 UTC', us('2023-03-04T15:03:57Z', 680822)],
    ['2023-03-04T15:03:57.680822Z', us('2023-03-04T15:03:57Z', 680822)],
    ['2023-03-04 15:03:57Z', us('2023-03-04T15:03:57Z')],
    ['2023-03-04T15:03:57 UTC', us('2023-03-04T15:03:57Z')],
    ['2023-03-04 15:03:57.5 UTC', us('2023-03-04T15:03:57Z', 500000)],
    ['2023-03-04 15:03:57.000001 utc', us('2023-03-04T15:03:57Z', 1)],
    ['2023-03-04T20:33:57.680822+05:30', us('2023-03-04T15:03:57Z', 680822)],
    ['2023-03-04T07:03:57-0800', us('2023-03-04T15:03:57Z')],
    ['2023-03-04 15:03:57', us('2023-03-04T15:03:57Z')],
    ['2024-02-29 23:59:59.999999 UTC', us('2024-02-29T23:59:59Z', 999999)],
  ])('stores timestamp %s exactly', async (text, expected) => {
    const res = await postImport(t.base, { polls: `store_id,status,timestamp_utc\n42,ACTIVE,${text}\n` });
    expect(((await res.json()) as any).polls).toMatchObject({ read: 1, inserted: 1, rejected: 0 });
    expect(await polls()).toEqual([['42', expected, 1]]);
  });

  it('reads every accepted time-of-day form and the day alias, columns in any order, BOM and spaces', async () => {
    const csv =
      '\uFEFF end_time_local , day ,store_id,start_time_local\n' +
      '17:00,0,s1,09:00\n' +
      '24:00,1,s1,09:30:15\n' +
      '23:59:59.999,2,s1,7:05:00.5\n' +
      '02:30,6,s1,19:00\n';
    const summary = ((await (await postImport(t.base, { business_hours: csv })).json()) as any).business_hours;
    expect(summary).toMatchObject({ read: 4, inserted: 4, rejected: 0 });
    expect(await hours()).toEqual([
      ['s1', 0, 9 * 3600, 17 * 3600],
      ['s1', 1, 9 * 3600 + 30 * 60 + 15, 86400],
      ['s1', 2, 7 * 3600 + 5 * 60, 86399],
      ['s1', 6, 19 * 3600, 2 * 3600 + 30 * 60],
    ]);
  });

  it('rejects each kind of bad row with its line and reason and loads the rest', async () => {
    const pollsCsv = [
      'store_id,status,timestamp_utc',
      'ok1,active,2023-03-04 15:00:00 UTC',
      `${'x'.repeat(65)},active,2023-03-04 15:00:00 UTC`,
      'has space,active,2023-03-04 15:00:00 UTC',
      ',active,2023-03-04 15:00:00 UTC',
      'ok2,maybe,2023-03-04 15:00:00 UTC',
      'ok2,active,2023-03-04 15:00:00.1234567 UTC',
      'ok2,active,2023-13-04 15:00:00 UTC',
      'ok2,active,2023-03-04 24:00:00 UTC',
      'ok2,active',
      '', // a blank line is no data row, but still a line
      'ok3,inactive,2023-03-04T15:00:00Z',
    ].join('\n');
    const hoursCsv = [
      'store_id,dayOfWeek,start_time_local,end_time_local',
      'h1,7,09:00,17:00',
      'h1,Mon,09:00,17:00',
      'h1,0,24:00,17:00',
      'h1,0,09:00,24:30',
      'h1,0,9h,17:00',
      'h1,0,09:00,17:00',
    ].join('\n');
    const zonesCsv = 'store_id,timezone_str\nz1,Mars/Olympus_Mons\nz2,America/Denver\n';
    const res = await postImport(t.base, { polls: pollsCsv, business_hours: hoursCsv, timezones: zonesCsv });
    expect(res.status).toBe(200);
    const summary = (await res.json()) as any;
    expect(summary.polls).toEqual({
      read: 10,
      inserted: 2,
      unchanged: 0,
      replaced: 0,
      rejected: 8,
      errors: [
        { line: 3, reason: 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -' },
        { line: 4, reason: 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -' },
        { line: 5, reason: 'store_id is empty' },
        { line: 6, reason: 'status must be active or inactive' },
        { line: 7, reason: 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC' },
        { line: 8, reason: 'timestamp_utc has no such date: 2023-13-04' },
        { line: 9, reason: 'timestamp_utc has an impossible time of day' },
        { line: 10, reason: 'expected 3 columns, found 2' },
      ],
    });
    expect(summary.business_hours.errors).toEqual([
      { line: 2, reason: 'dayOfWeek must be 0 (Monday) to 6 (Sunday)' },
      { line: 3, reason: 'dayOfWeek must be 0 (Monday) to 6 (Sunday)' },
      { line: 4, reason: 'start_time_local cannot be 24:00' },
      { line: 5, reason: 'end_time_local is not a time of day: 24:30' },
      { line: 6, reason: 'start_time_local must be HH:MM or HH:MM:SS' },
    ]);
    expect(summary.business_hours).toMatchObject({ read: 6, inserted: 1, rejected: 5 });
    expect(summary.timezones).toMatchObject({
      read: 2,
      inserted: 1,
      rejected: 1,
      errors: [{ line: 2, reason: 'unknown timezone: Mars/Olympus_Mons' }],
    });
    expect((await polls()).map((p: unknown[]) => p[0])).toEqual(['ok1', 'ok3']);
  });

  it('numbers rejected rows by physical line after a quoted value holding a line break', async () => {
    const csv = [
      'store_id,status,timestamp_utc',
      '"q1",active,"2023-03-04',
      '15:00:00 UTC"', // one record on lines 2-3: a line break is no part of a timestamp
      '"q2","active",2023-03-04 15:00:00 UTC',
      'q3,maybe,2023-03-04 15:00:00 UTC',
    ].join('\n');
    const summary = ((await (await postImport(t.base, { polls: csv })).json()) as any).polls;
    expect(summary).toMatchObject({ read: 3, inserted: 1, rejected: 2 });
    expect(summary.errors).toEqual([
      { line: 2, reason: 'timestamp_utc must look like YYYY-MM-DD HH:MM:SS[.ffffff] UTC' },
      { line: 5, reason: 'status must be active or inactive' }, // main said line 4: it counted records
    ]);
  });

  it('rejects polls more than an hour after the import started as in the future', async () => {
    const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('T', ' ').replace('.000Z', ' UTC');
    const now = Date.now();
    const csv = `store_id,status,timestamp_utc\nf1,active,${at(now + 30 * 60_000)}\nf2,active,${at(now + 2 * 3600_000)}\n`;
    const summary = ((await (await postImport(t.base, { polls: csv })).json()) as any).polls;
    expect(summary).toMatchObject({
      read: 2,
      inserted: 1,
      rejected: 1,
      errors: [{ line: 3, reason: 'timestamp_utc is in the future (more than 1 h after the import started)' }],
    });
    expect((await polls()).map((p: unknown[]) => p[0])).toEqual(['f1']);
  });

  it('reports at most 20 errors but counts every rejected row', async () => {
    const bad = Array.from({ length: 25 }, () => 's,active,never').join('\n');
    const summary = ((await (await postImport(t.base, { polls: `store_id,status,timestamp_utc\n${bad}\n` })).json()) as any)
      .polls;
    expect(summary.rejected).toBe(25);
    expect(summary.errors).toHaveLength(20);
    expect(summary.errors[19].line).toBe(21);
  });

  it('refuses a file whose header lacks a column, and writes nothing of the request', async () => {
    const res = await postImport(t.base, {
      timezones: 'store_id,timezone_str\nz1,America/Denver\n',
      polls: 'store_id,state,timestamp_utc\n1,active,2023-03-04 15:00:00 UTC\n',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.statusCode).toBe(400);
    expect(body.message).toContain('"status"');
    expect(await count('store_timezone')).toBe(0);
    expect(await count('poll')).toBe(0);
    expect(await count('store')).toBe(0);
  });

  it('exits non-zero with one line on stderr, writing nothing, for a missing file or a refused header', async () => {
    const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'sm-cli-'));
    try {
      const badHeader = join(dir, 'hours.csv');
      writeFileSync(badHeader, 'store_id,weekday,start_time_local,end_time_local\nx,0,09:00,17:00\n');

      const refused = runCli(t.db, ['import', '--timezones', FIXTURE.timezones, '--business-hours', badHeader]);
      expect(refused.status).not.toBe(0);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain('"dayOfWeek" or "day"');

      const missing = runCli(t.db, ['import', '--polls', join(dir, 'nope.csv')]);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr.trim().split('\n')).toEqual([`error: polls file ${join(dir, 'nope.csv')} is missing or unreadable`]);
      expect(await count('store_timezone')).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces a changed status (later row wins), within a file and across imports', async () => {
    const header = 'store_id,status,timestamp_utc\n';
    const first = (await (
      await postImport(t.base, { polls: `${header}s,active,2023-03-04 15:00:00 UTC\ns,active,2023-03-04 16:00:00 UTC\n` })
    ).json()) as any;
    expect(first.polls).toMatchObject({ inserted: 2, unchanged: 0, replaced: 0 });
    const second = (await (
      await postImport(t.base, {
        polls: `${header}s,inactive,2023-03-04 15:00:00 UTC\ns,active,2023-03-04T16:00:00Z\nt,active,2023-03-04 15:00:00 UTC\nt,inactive,2023-03-04 15:00:00 UTC\n`,
      })
    ).json()) as any;
    expect(second.polls).toMatchObject({ read: 4, inserted: 1, unchanged: 1, replaced: 2 });
    expect(await polls()).toEqual([
      ['s', us('2023-03-04T15:00:00Z'), 0],
      ['s', us('2023-03-04T16:00:00Z'), 1],
      ['t', us('2023-03-04T15:00:00Z'), 0],
    ]);
  });

  it('replaces the schedules of the stores in a business-hours file only', async () => {
    const header = 'store_id,dayOfWeek,start_time_local,end_time_local\n';
    await postImport(t.base, { business_hours: `${header}A,0,09:00,17:00\nA,1,09:00,17:00\nB,2,10:00,12:00\n` });
    const res = (await (
      await postImport(t.base, { business_hours: `${header}A,0,09:00,17:00\nA,4,08:00,20:00\nA,4,08:00,20:00\n` })
    ).json()) as any;
    expect(res.business_hours).toMatchObject({ read: 3, inserted: 0, unchanged: 2, replaced: 1 });
    expect(await hours()).toEqual([
      ['A', 0, 9 * 3600, 17 * 3600],
      ['A', 4, 8 * 3600, 20 * 3600],
      ['B', 2, 10 * 3600, 12 * 3600],
    ]);
  });

  it('takes a business-hours file of real-feed-times-ten size (350,000 rows) in one import', async () => {
    const rows = ['store_id,dayOfWeek,start_time_local,end_time_local'];
    for (let i = 0; i < 350_000; i++) rows.push(`${1000000000000000000n + BigInt(Math.floor(i / 7))},${i % 7},09:00,17:00`);
    const summary = ((await (await postImport(t.base, { business_hours: `${rows.join('\n')}\n` })).json()) as any).business_hours;
    expect(summary).toMatchObject({ read: 350_000, inserted: 350_000, rejected: 0 });
    expect(await count('business_hours')).toBe(350_000);
    expect(await count('store')).toBe(50_000);
  });

  it('replaces a store zone and counts an unchanged one', async () => {
    await postImport(t.base, { timezones: 'store_id,timezone_str\nA,America/Denver\nB,Asia/Kolkata\n' });
    const res = (await (
      await postImport(t.base, { timezones: 'store_id,timezone_str\nA,America/Denver\nB,Europe/London\nC,UTC\n' })
    ).json()) as any;
    expect(res.timezones).toMatchObject({ inserted: 1, unchanged: 1, replaced: 1 });
    const zones = await t.sql.objects<{ store_id: string; timezone_str: string }>(
      'SELECT store_id, timezone_str FROM store_timezone ORDER BY store_id',
    );
    expect(zones.map((z) => `${z.store_id}=${z.timezone_str}`)).toEqual([
      'A=America/Denver',
      'B=Europe/London',
      'C=Etc/UTC', // a link (UTC) is stored as its canonical zone
    ]);
  });

  if (kind === 'mysql') {
    it('imports the same when the server refuses LOAD DATA LOCAL (MySQL 8 default)', async () => {
      const [{ enabled }] = await t.sql.objects<{ enabled: unknown }>('SELECT @@GLOBAL.local_infile AS enabled');
      await t.sql.run('SET GLOBAL local_infile = 0');
      try {
        const header = 'store_id,status,timestamp_utc\n';
        await postImport(t.base, { polls: `${header}s,active,2023-03-04 15:00:00 UTC\n` });
        const res = (await (
          await postImport(t.base, { polls: `${header}s,inactive,2023-03-04 15:00:00 UTC\ns,active,2023-03-04 16:00:00 UTC\n` })
        ).json()) as any;
        expect(res.polls).toMatchObject({ read: 2, inserted: 1, unchanged: 0, replaced: 1 });
        expect(await polls()).toEqual([
          ['s', us('2023-03-04T15:00:00Z'), 0],
          ['s', us('2023-03-04T16:00:00Z'), 1],
        ]);
      } finally {
        await t.sql.run(`SET GLOBAL local_infile = ${Number(enabled) ? 1 : 0}`);
      }
    });
  }

  it('answers 400 with a JSON error for a request that is not multipart or names no feed', async () => {
    const notMultipart = await fetch(`${t.base}/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(notMultipart.status).toBe(400);
    expect((await notMultipart.json()) as any).toMatchObject({ statusCode: 400, message: expect.stringContaining('multipart') });
    const unknown = await postImport(t.base, { menu: 'a,b\n' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()) as any).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('unknown field "menu"'),
    });
  });
});
