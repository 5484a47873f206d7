import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { waitingReport } from '../../test/support/waiting-report';
import { JobLeaseRepository } from '../repositories/job-lease.repository';
import { ReportRepository } from '../repositories/report.repository';
import { Lease, LeasedJobs } from './leased-jobs';

/** A job's work that runs until its lease ends, and says when it started and how it ended. */
function untilAborted() {
  const leases: Lease[] = [];
  let started!: () => void;
  let begun = new Promise<void>((resolve) => (started = resolve));
  const ends: unknown[] = [];
  const work = async (lease: Lease) => {
    leases.push(lease);
    started();
    while (!lease.signal.aborted) await lease.sleep(60_000);
    ends.push(lease.signal.reason);
  };
  return {
    work,
    leases,
    ends,
    /** Settles once a job has started (since the last call). */
    started: async () => {
      await begun;
      begun = new Promise<void>((resolve) => (started = resolve));
    },
  };
}

describe.each(TEST_DATABASES)('LeasedJobs on %s', (kind) => {
  const t = useTestSql(kind, 'leasedjobs');
  const repo = () => new JobLeaseRepository(t.sql);
  /** One instance's lease machine; a short lease makes the heartbeat come often. */
  const instance = (owner: string, graceMs = 0) => new LeasedJobs(repo(), { owner, leaseMs: 300, graceMs });

  it('runs a singleton on one instance at a time, and on another once the owner hands it back', async () => {
    const onA = untilAborted();
    const onB = untilAborted();
    const a = instance('a').singleton('deliver', onA.work);
    const b = instance('b').singleton('deliver', onB.work);
    a.start();
    await onA.started();
    expect(await repo().find('deliver')).toMatchObject({ owner: 'a' });

    b.start();
    await b.wake(); // a pass that finds the lease held
    expect([a.size, b.size, onB.leases.length]).toEqual([1, 0, 0]);

    await a.stop(); // SIGTERM: the work ends, the lease is handed back
    expect(onA.ends).toHaveLength(1);
    expect(await repo().find('deliver')).toMatchObject({ owner: null });
    await b.wake();
    await onB.started();
    expect(await repo().find('deliver')).toMatchObject({ owner: 'b' });
    await b.stop();
    expect(await repo().find('deliver')).toMatchObject({ owner: null, heartbeatAtMs: null });
  });

  it('stops a singleton at once, without waiting out the grace its loop would never use', async () => {
    const onA = untilAborted();
    // A grace longer than the test's timeout: a stop that waited it out would fail the test.
    const a = instance('a', 3_600_000).singleton('deliver', onA.work);
    a.start();
    await onA.started();
    await a.stop();
    expect(onA.ends).toHaveLength(1);
    expect(await repo().find('deliver')).toMatchObject({ owner: null });
  });

  it('takes over a singleton whose owner went silent, and stops the work of an owner that lost it', async () => {
    await repo().claim('deliver', 'dead', 1000, 0); // a heartbeat long past
    const onA = untilAborted();
    const a = instance('a').singleton('deliver', onA.work);
    a.start();
    await onA.started();
    expect(await repo().find('deliver')).toMatchObject({ owner: 'a' });

    // Another instance took it (a's heartbeat looked stale to it): a's next heartbeat finds it lost.
    expect(await repo().release('deliver', 'a')).toBe(true);
    expect(await repo().claim('deliver', 'thief', Date.now() + 3_600_000, 0)).toBe(true); // alive for the whole test
    while (onA.ends.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(String(onA.ends[0])).toMatch(/no longer this instance/);
    await a.stop();
    expect(await repo().find('deliver')).toMatchObject({ owner: 'thief' }); // not a's to hand back
  });

  it('hands the lease back when the work returns, and claims it again', async () => {
    let runs = 0;
    let again!: () => void;
    const twice = new Promise<void>((resolve) => (again = resolve));
    const a = instance('a').singleton('deliver', async () => {
      runs += 1;
      if (runs === 2) again();
    });
    a.start();
    await twice;
    await a.stop();
    expect(await repo().find('deliver')).toMatchObject({ owner: null });
  });

  it('claims row jobs oldest first up to its slots, heartbeats them, and hands back what is left on stop', async () => {
    const reports = new ReportRepository(t.sql);
    for (const [id, created] of [
      ['r3', 30],
      ['r1', 10],
      ['r2', 20],
    ] as const) {
      await reports.insert(waitingReport(id, created));
    }
    const jobs = untilAborted();
    const counts: number[] = [];
    const pool = instance('a').rows(reports, (_id, lease) => jobs.work(lease), {
      label: 'report',
      slots: 2,
      onCount: (n) => counts.push(n),
    });
    pool.start();
    await pool.wake();
    expect(jobs.leases.map((l) => l.id).sort()).toEqual(['r1', 'r2']);
    expect((await reports.find('r1'))?.owner).toBe('a');
    expect((await reports.find('r3'))?.owner).toBeNull();
    const beat = (await reports.find('r1'))!.heartbeatAtMs!;
    while ((await reports.find('r1'))!.heartbeatAtMs === beat) await new Promise((resolve) => setTimeout(resolve, 20));

    await pool.stop();
    expect(jobs.ends.map(String)).toEqual(['Error: the instance is stopping', 'Error: the instance is stopping']);
    expect(counts).toEqual([1, 2, 1, 0]);
    for (const id of ['r1', 'r2', 'r3']) expect(await reports.find(id)).toMatchObject({ owner: null, status: 'Running' });
  });

  it('lets tracked jobs finish within the grace, then aborts the rest with the reason given', async () => {
    const set = instance('a', 60_000).tracked({ label: 'import', stopReason: () => new Error('stopping') });
    let finish!: () => void;
    const finished = set.run('quick', () => new Promise<string>((resolve) => (finish = () => resolve('done'))));
    const stopped = set.stop();
    expect(set.size).toBe(1);
    finish();
    expect(await finished).toBe('done');
    await stopped;
    expect(set.size).toBe(0);

    const short = instance('a', 0).tracked({ label: 'import', stopReason: () => new Error('stopping') });
    const beats: number[] = [];
    const long = untilAborted();
    const running = short.run('long', long.work, async (now) => void beats.push(now));
    while (beats.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await short.stop();
    await running;
    expect(long.ends.map(String)).toEqual(['Error: stopping']);
  });

  it('sweeps what stopped instances left, from start on', async () => {
    const swept: Array<[number, number]> = [];
    let seen!: () => void;
    const once = new Promise<void>((resolve) => (seen = resolve));
    const set = instance('a').tracked({
      label: 'import',
      sweepStale: async (staleBeforeMs, nowMs) => {
        swept.push([staleBeforeMs, nowMs]);
        seen();
      },
    });
    set.start();
    await once;
    await set.stop();
    expect(swept[0][1] - swept[0][0]).toBeGreaterThanOrEqual(300);
  });
});
