import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { waitingReport } from '../../test/support/waiting-report';
import { ReportRepository } from './report.repository';

const LEASE = 30_000;

describe.each(TEST_DATABASES)('ReportRepository on %s', (kind) => {
  const t = useTestSql(kind, 'reportrepo');
  const reports = () => new ReportRepository(t.sql);

  it('stores a report and finds it by id, unknown ids as null', async () => {
    await reports().insert(waitingReport('r1', 1700000000000));
    expect(await reports().find('r1')).toEqual(waitingReport('r1', 1700000000000));
    expect(await reports().find('nope')).toBeNull();
  });

  it('lets exactly one of several instances claim a waiting report', async () => {
    await reports().insert(waitingReport('r1', 1));
    const now = 1_000_000;
    const won = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => reports().claim('r1', owner, now, now - LEASE)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const report = await reports().find('r1');
    expect(report).toMatchObject({ owner: ['a', 'b', 'c', 'd'][won.indexOf(true)], heartbeatAtMs: now, startedAtMs: now });
  });

  it('offers waiting reports and those whose owner went silent, oldest first, never a live one', async () => {
    const now = 1_000_000;
    for (const [id, created] of [
      ['new', 30],
      ['live', 10],
      ['stale', 20],
      ['old', 5],
    ] as const) {
      await reports().insert(waitingReport(id, created));
    }
    await reports().claim('live', 'alive', now - 1000, now - LEASE);
    await reports().claim('stale', 'dead', now - LEASE - 1, now - 2 * LEASE);
    expect(await reports().claimable(now - LEASE, 10)).toEqual(['old', 'stale', 'new']);
    expect(await reports().claimable(now - LEASE, 2)).toEqual(['old', 'stale']);
    expect(await reports().claim('live', 'thief', now, now - LEASE)).toBe(false);
    expect(await reports().claim('stale', 'taker', now, now - LEASE)).toBe(true);
    expect(await reports().find('stale')).toMatchObject({ owner: 'taker', progress: 0 });
  });

  it('accepts progress, heartbeats and the result from the owner only', async () => {
    await reports().insert(waitingReport('r1', 1));
    await reports().claim('r1', 'me', 100, 0);
    expect(await reports().setProgress('r1', 'other', 0.5, 150)).toBe(false);
    expect(await reports().setProgress('r1', 'me', 0.25, 150)).toBe(true);
    expect(await reports().heartbeat('r1', 'me', 150)).toBe(true); // the same time again still counts
    expect(await reports().heartbeat('r1', 'other', 160)).toBe(false);
    expect(await reports().complete('r1', 'other', { rowCount: 9, csv: 'x', completedAtMs: 170 })).toBe(false);
    expect(await reports().complete('r1', 'me', { rowCount: 2, csv: 'h\na\nb\n', completedAtMs: 180 })).toBe(true);
    const done = await reports().find('r1');
    expect(done).toEqual({
      ...waitingReport('r1', 1),
      status: 'Complete',
      progress: 1,
      rowCount: 2,
      completedAtMs: 180,
      startedAtMs: 100,
    });
    expect(done).not.toHaveProperty('csv');
    expect((await reports().find('r1', true))!.csv).toBe('h\na\nb\n');
    expect(await reports().heartbeat('r1', 'me', 190)).toBe(false); // finished: nothing to own
  });

  it('records a failure with its reason, from the owner only', async () => {
    await reports().insert(waitingReport('r1', 1));
    await reports().claim('r1', 'me', 5, 0);
    expect(await reports().fail('r1', 'other', 'no', 6)).toBe(false);
    expect(await reports().fail('r1', 'me', 'database unreachable', 7)).toBe(true);
    expect(await reports().find('r1')).toMatchObject({
      status: 'Failed',
      error: 'database unreachable',
      completedAtMs: 7,
      owner: null,
    });
  });

  it("hands back an instance's running reports, and only its own", async () => {
    for (const id of ['mine1', 'mine2', 'theirs']) await reports().insert(waitingReport(id, 1));
    await reports().claim('mine1', 'me', 10, 0);
    await reports().claim('mine2', 'me', 10, 0);
    await reports().claim('theirs', 'them', 10, 0);
    await reports().setProgress('mine1', 'me', 0.7, 11);
    expect(await reports().release('me')).toBe(2);
    expect(await reports().find('mine1')).toMatchObject({ owner: null, progress: 0, heartbeatAtMs: null, startedAtMs: null });
    expect(await reports().find('theirs')).toMatchObject({ owner: 'them' });
    expect(await reports().claimable(0, 10)).toEqual(['mine1', 'mine2']);
  });

  it('pages newest first, with a status filter', async () => {
    for (let i = 0; i < 5; i++) await reports().insert(waitingReport(`r${i}`, 100 + (i % 3))); // ties on created_at_ms
    await reports().claim('r4', 'me', 1, 0);
    await reports().fail('r4', 'me', 'x', 2);
    const first = await reports().page({ limit: 2 });
    expect(first.reports.map((r) => r.id)).toEqual(['r2', 'r4']);
    const second = await reports().page({ limit: 2, after: first.next! });
    expect(second.reports.map((r) => r.id)).toEqual(['r1', 'r3']);
    const third = await reports().page({ limit: 2, after: second.next! });
    expect(third.reports.map((r) => r.id)).toEqual(['r0']);
    expect(third.next).toBeNull();
    expect((await reports().page({ limit: 10, status: 'Failed' })).reports.map((r) => r.id)).toEqual(['r4']);
  });

  it('deletes one report, and finished reports created before a time, never Running ones', async () => {
    for (const [id, created] of [
      ['old-done', 10],
      ['old-failed', 11],
      ['old-running', 12],
      ['new-done', 100],
      ['gone', 1],
    ] as const) {
      await reports().insert(waitingReport(id, created));
      if (id !== 'old-running') await reports().claim(id, 'me', 1, 0);
    }
    await reports().complete('old-done', 'me', { rowCount: 0, csv: 'h\n', completedAtMs: 20 });
    await reports().complete('new-done', 'me', { rowCount: 0, csv: 'h\n', completedAtMs: 120 });
    await reports().fail('old-failed', 'me', 'x', 20);
    expect(await reports().delete('gone')).toBe(true);
    expect(await reports().delete('gone')).toBe(false);
    expect(await reports().deleteFinishedBefore(50)).toBe(2);
    expect((await reports().page({ limit: 10 })).reports.map((r) => r.id)).toEqual(['new-done', 'old-running']);
  });
});
