import { postImport, runCli, useTestApp } from './support/test-app';
import { TEST_DATABASES } from './support/test-database';

const us = (iso: string) => Date.parse(iso) * 1000;
const POLLS_HEADER = 'store_id,status,timestamp_utc';
const ZONES_HEADER = 'store_id,timezone_str';

/**
 * The input rules at the edges: instants limited to the years 1970 to 2099 (a poll, an as_of),
 * zone names as IANA spells them and stored in their canonical form.
 */
describe.each(TEST_DATABASES)('input rules on %s', (kind) => {
  const t = useTestApp(kind, 'input_rules');

  const polls = async () =>
    (
      await t.sql.objects<{ store_id: string; timestamp_us: number }>(
        'SELECT store_id, timestamp_us FROM poll ORDER BY store_id, timestamp_us',
      )
    ).map((r) => `${r.store_id}@${Number(r.timestamp_us)}`);
  const zones = async () =>
    (
      await t.sql.objects<{ store_id: string; timezone_str: string }>(
        'SELECT store_id, timezone_str FROM store_timezone ORDER BY store_id',
      )
    ).map((r) => `${r.store_id}=${r.timezone_str}`);
  const trigger = (body?: unknown) =>
    fetch(`${t.base}/trigger_report`, {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  it('rejects polls outside the years 1970-2099 (in the real feed form and the others), which move no default as_of', async () => {
    const csv = [
      POLLS_HEADER,
      's1,active,2023-03-04 15:03:57.680822 UTC',
      's1,active,0001-03-04 15:03:57.680822 UTC', // once stored as 1901
      's1,active,0099-03-04 15:03:57 UTC', // once stored as 1999
      's1,inactive,2203-03-04 15:03:57.680822 UTC', // once the latest poll of every report
      's1,active,2113-01-01T00:00:00Z', // beyond the packed week's exact range
      's1,active,1969-12-31T23:59:59Z',
      's2,inactive,2023-03-04T16:00:00+01:00',
    ].join('\n');
    const res = await postImport(t.base, { polls: `${csv}\n` });
    expect(res.status).toBe(200);
    const reason = 'timestamp_utc year must be between 1970 and 2099';
    expect(((await res.json()) as any).polls).toEqual({
      read: 7,
      inserted: 2,
      unchanged: 0,
      replaced: 0,
      rejected: 5,
      errors: [3, 4, 5, 6, 7].map((line) => ({ line, reason })),
    });
    expect(await polls()).toEqual([`s1@${us('2023-03-04T15:03:57Z') + 680822}`, `s2@${us('2023-03-04T15:00:00Z')}`]);

    // the default as_of is the latest accepted poll
    const { report_id } = (await (await trigger()).json()) as any;
    const report = (await (await fetch(`${t.base}/reports/${report_id}`)).json()) as any;
    expect(report.as_of).toBe('2023-03-04T15:03:57.680822Z');
  });

  it('answers 400 for an as_of outside 1970-2099 or null, and the CLI refuses it in one line', async () => {
    await postImport(t.base, { polls: `${POLLS_HEADER}\ns1,active,2023-03-04 15:00:00 UTC\n` });
    for (const as_of of ['0001-01-01T00:00:00Z', '0099-06-01T00:00:00Z', '2203-03-04T15:00:00Z', '1969-12-31T23:59:59Z']) {
      const res = await trigger({ as_of });
      expect([as_of, res.status]).toEqual([as_of, 400]);
      expect((await res.json()) as any).toEqual({
        statusCode: 400,
        message: `as_of year must be between 1970 and 2099 (got "${as_of}")`,
        error: 'Bad Request',
      });
      const store = await fetch(`${t.base}/stores/s1?as_of=${encodeURIComponent(as_of)}`);
      expect([as_of, store.status]).toEqual([as_of, 400]);
      expect(((await store.json()) as any).message).toBe(`as_of year must be between 1970 and 2099 (got "${as_of}")`);
    }
    const nullAsOf = await trigger({ as_of: null });
    expect(nullAsOf.status).toBe(400);
    expect(((await nullAsOf.json()) as any).message).toContain('as_of must be a string');
    expect((await trigger({ as_of: '2099-12-31T23:59:59.999999Z' })).status).toBe(202);
    expect(Number((await t.sql.objects<{ n: unknown }>('SELECT COUNT(*) AS n FROM report_status'))[0].n)).toBe(1);

    for (const args of [
      ['report', '--as-of', '2203-03-04T15:00:00Z'],
      ['store', 's1', '--as-of', '0001-01-01T00:00:00Z'],
    ]) {
      const cli = runCli(t.db, args);
      expect(cli.status).not.toBe(0);
      expect(cli.stderr.trim().split('\n')).toEqual([expect.stringContaining('as_of year must be between 1970 and 2099')]);
      expect(cli.stdout).toBe('');
    }
  });

  it('takes zone names as IANA spells them, stores a link as its zone, and counts a re-import unchanged', async () => {
    const csv = [
      ZONES_HEADER,
      'a,America/Chicago',
      'b,US/Central',
      'c,Asia/Calcutta',
      'd,america/chicago',
      'e,Asia/Kolkata',
      'f,asia/kolkata',
      'g,Etc/UTC',
      'h,UTC',
      'i,Europe/Kiev',
      'j,Mars/Olympus_Mons',
      'b,America/Chicago', // the same zone again, by its canonical name: the later row wins, unchanged
    ].join('\n');
    const first = ((await (await postImport(t.base, { timezones: `${csv}\n` })).json()) as any).timezones;
    expect(first).toEqual({
      read: 11,
      inserted: 7,
      unchanged: 1,
      replaced: 0,
      rejected: 3,
      errors: [
        { line: 5, reason: 'unknown timezone: america/chicago (did you mean America/Chicago?)' },
        { line: 7, reason: 'unknown timezone: asia/kolkata (did you mean Asia/Kolkata?)' },
        { line: 11, reason: 'unknown timezone: Mars/Olympus_Mons' },
      ],
    });
    const stored = [
      'a=America/Chicago',
      'b=America/Chicago',
      'c=Asia/Kolkata',
      'e=Asia/Kolkata',
      'g=Etc/UTC',
      'h=Etc/UTC',
      'i=Europe/Kyiv',
    ];
    expect(await zones()).toEqual(stored);
    expect(((await (await fetch(`${t.base}/stores/c?as_of=2023-03-04T15:00:00Z`)).json()) as any).timezone).toBe('Asia/Kolkata');

    // The same file again: every accepted row unchanged, nothing replaced.
    const again = ((await (await postImport(t.base, { timezones: `${csv}\n` })).json()) as any).timezones;
    expect(again).toMatchObject({ read: 11, inserted: 0, unchanged: 8, replaced: 0, rejected: 3 });
    // A link for a store whose zone is stored by its canonical name changes nothing either.
    const links = (
      (await (await postImport(t.base, { timezones: `${ZONES_HEADER}\na,US/Central\ne,Asia/Calcutta\n` })).json()) as any
    ).timezones;
    expect(links).toMatchObject({ read: 2, inserted: 0, unchanged: 2, replaced: 0, rejected: 0 });
    expect(await zones()).toEqual(stored);
  });

  it('refuses store ids a spreadsheet would read as a formula in every feed, so no report holds one', async () => {
    const formula = 'store_id must not start with - (a spreadsheet would read it as a formula)';
    const charset = 'store_id must be 1-64 characters of A-Z a-z 0-9 _ -';
    const res = await postImport(t.base, {
      polls: `${POLLS_HEADER}\n-1-1,active,2023-03-04 15:00:00 UTC\n=1+1,active,2023-03-04 15:00:00 UTC\n1-1,active,2023-03-04 15:00:00 UTC\n`,
      business_hours: 'store_id,dayOfWeek,start_time_local,end_time_local\n-2-3,0,09:00,17:00\n1-1,0,09:00,17:00\n',
      timezones: `${ZONES_HEADER}\n-cmd,Etc/UTC\n1-1,Etc/UTC\n`,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.polls).toMatchObject({
      inserted: 1,
      rejected: 2,
      errors: [
        { line: 2, reason: formula },
        { line: 3, reason: charset },
      ],
    });
    expect(body.business_hours).toMatchObject({ inserted: 1, rejected: 1, errors: [{ line: 2, reason: formula }] });
    expect(body.timezones).toMatchObject({ inserted: 1, rejected: 1, errors: [{ line: 2, reason: formula }] });
    expect(await polls()).toEqual([`1-1@${us('2023-03-04T15:00:00Z')}`]);
    expect(((await (await fetch(`${t.base}/stores/-1-1`)).json()) as any).message).toBe(formula);
  });

  it('answers 400 for a query parameter the store routes do not know, and an as_of of any other type as not an instant', async () => {
    await postImport(t.base, { polls: `${POLLS_HEADER}\ns1,active,2023-03-04 15:00:00 UTC\n` });
    for (const query of ['limit[]=1', 'limit=1&limit=2', 'cursor[]=s1', 'size=5']) {
      const res = await fetch(`${t.base}/stores?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
    }
    expect((await fetch(`${t.base}/stores?limit=1`)).status).toBe(200);
    // A typo of as_of is refused, not read as the default as_of.
    expect((await fetch(`${t.base}/stores/s1?asof=2023-03-04T15:00:00Z`)).status).toBe(400);
    expect((await fetch(`${t.base}/stores/s1?as_of=2023-03-04T15:00:00Z`)).status).toBe(200);

    const instant = 'as_of must be a string, an ISO 8601 instant such as 2023-03-13T15:00:00Z';
    for (const [as_of, got] of [
      [1e300, 'a number'],
      [['2023-03-04T15:00:00Z'], 'an array'],
      [{ year: 2023 }, 'an object'],
    ] as const) {
      const res = await trigger({ as_of });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ statusCode: 400, message: `${instant} (got ${got})`, error: 'Bad Request' });
    }
    const long = await trigger({ as_of: `2023-03-04T15:00:00Z${'0'.repeat(50)}` });
    expect(((await long.json()) as any).message).toBe(
      `as_of must be an ISO 8601 instant such as 2023-03-13T15:00:00Z (got "2023-03-04T15:00:00Z${'0'.repeat(20)}…")`,
    );
    expect((await trigger({ as_of: '2023-03-04T15:00:00Z', extra: 1 })).status).toBe(400);
    expect(Number((await t.sql.objects<{ n: unknown }>('SELECT COUNT(*) AS n FROM report_status'))[0].n)).toBe(0);
  });
});
