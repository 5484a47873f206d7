import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { ImportRunRecord, ImportRunRepository } from './import-run.repository';

const run = (id: string, extra: Partial<ImportRunRecord> = {}): ImportRunRecord => ({
  id,
  source: 'http',
  files: [{ feed: 'polls', name: 'store_status.csv', bytes: 1234 }],
  status: 'Running',
  bytesTotal: 1234,
  bytesRead: 0,
  summary: null,
  error: null,
  owner: 'me',
  heartbeatAtMs: 100,
  createdAtMs: 100,
  completedAtMs: null,
  inboxKey: null,
  stoppedAt: null,
  ...extra,
});
const LEASE = 30_000;

describe.each(TEST_DATABASES)('ImportRunRepository on %s', (kind) => {
  const t = useTestSql(kind, 'importrunrepo');
  const runs = () => new ImportRunRepository(t.sql);

  it('stores a run with its files and finds it; unknown ids as null', async () => {
    await runs().insert(run('i1'));
    expect(await runs().find('i1')).toEqual(run('i1'));
    expect(await runs().find('nope')).toBeNull();
  });

  it('tells the other runs’ state: Running ones, and a key that moves when one starts, ends or is taken again', async () => {
    const state = () => runs().othersState('mine');
    await runs().insert(run('mine'));
    const empty = await state();
    expect(empty).toEqual({ running: 0, key: '0:0' });
    await runs().insert(run('other'));
    const started = await state();
    expect(started.running).toBe(1);
    expect(started.key).not.toBe(empty.key);
    const end = { status: 'Complete' as const, summary: null, error: null, bytesRead: 1234, completedAtMs: 300 };
    await runs().finish('other', 'me', end);
    const ended = await state();
    expect(ended.running).toBe(0);
    expect([empty.key, started.key]).not.toContain(ended.key);
    expect(await state()).toEqual(ended);
    // An inbox run taken again (Interrupted → Running → Complete at another time).
    await runs().insert(run('inbox', { inboxKey: 'k', status: 'Interrupted', completedAtMs: 500, owner: null }));
    const before = await state();
    expect(await runs().claimInboxFile(run('x', { inboxKey: 'k', heartbeatAtMs: 900 }), 0)).not.toBeNull();
    expect((await state()).running).toBe(1);
    await runs().finish('inbox', 'me', { ...end, completedAtMs: 950 });
    expect(await state()).toEqual({ running: 0, key: expect.not.stringMatching(`^${before.key}$`) });
  });

  it('records progress and the end from the owner only', async () => {
    await runs().insert(run('i1'));
    expect(await runs().progress('i1', 'other', 500, 200)).toBe(false);
    expect(await runs().progress('i1', 'me', 500, 200)).toBe(true);
    expect(await runs().find('i1')).toMatchObject({ bytesRead: 500, heartbeatAtMs: 200 });
    const summary = { polls: { read: 3, inserted: 3, unchanged: 0, replaced: 0, rejected: 0, errors: [] } };
    expect(
      await runs().finish('i1', 'other', { status: 'Complete', summary, error: null, bytesRead: 1234, completedAtMs: 300 }),
    ).toBe(false);
    expect(
      await runs().finish('i1', 'me', { status: 'Complete', summary, error: null, bytesRead: 1234, completedAtMs: 300 }),
    ).toBe(true);
    expect(await runs().find('i1')).toEqual(
      run('i1', { status: 'Complete', summary, bytesRead: 1234, completedAtMs: 300, owner: null, heartbeatAtMs: null }),
    );
    expect(await runs().progress('i1', 'me', 1, 400)).toBe(false); // finished: nothing to own
  });

  it('records an end after a sweep marked the run Interrupted without a summary, keeping where it stopped', async () => {
    await runs().insert(run('lost', { heartbeatAtMs: 1000 }));
    expect(await runs().interruptStale(50_000 - LEASE, 'the instance stopped', 50_001)).toBe(1);
    const summary = { polls: { read: 3, inserted: 4, unchanged: 0, replaced: 0, rejected: 0, errors: [] } };
    const stoppedAt = { feed: 'polls', line: 4, unconfirmed_rows: 2 };
    const end = { status: 'Failed' as const, summary, error: 'lost', bytesRead: 600, completedAtMs: 60_000, stoppedAt };
    expect(await runs().finish('lost', 'me', end)).toBe(true);
    expect(await runs().find('lost')).toEqual(
      run('lost', {
        status: 'Failed',
        summary,
        error: 'lost',
        bytesRead: 600,
        completedAtMs: 60_000,
        owner: null,
        heartbeatAtMs: null,
        stoppedAt,
      }),
    );
    expect(await runs().finish('lost', 'me', end)).toBe(false); // recorded once
  });

  it('marks Interrupted the runs whose owner went silent, only those', async () => {
    await runs().insert(run('silent', { heartbeatAtMs: 1000 }));
    await runs().insert(run('alive', { heartbeatAtMs: 50_000 }));
    expect(await runs().interruptStale(50_000 - LEASE, 'the instance stopped', 50_001)).toBe(1);
    expect(await runs().find('silent')).toMatchObject({
      status: 'Interrupted',
      error: 'the instance stopped',
      owner: null,
      completedAtMs: 50_001,
    });
    expect(await runs().find('alive')).toMatchObject({ status: 'Running', owner: 'me' });
  });

  it('gives an inbox file to exactly one of several instances', async () => {
    const claims = await Promise.all(
      ['a', 'b', 'c'].map((owner, i) =>
        runs().claimInboxFile(run(`i${i}`, { source: 'inbox', owner, inboxKey: 'k'.repeat(64) }), 0),
      ),
    );
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    expect((await runs().page({ limit: 10 })).runs).toHaveLength(1);
  });

  it('lets an inbox file be taken again once its run was interrupted or its owner went silent, keeping one run', async () => {
    const key = 'f'.repeat(64);
    await runs().claimInboxFile(run('first', { source: 'inbox', owner: 'dead', inboxKey: key, heartbeatAtMs: 1000 }), 0);
    expect(
      await runs().claimInboxFile(run('second', { source: 'inbox', owner: 'b', inboxKey: key, heartbeatAtMs: 2000 }), 500),
    ).toBeNull();
    const retaken = await runs().claimInboxFile(
      run('third', { source: 'inbox', owner: 'c', inboxKey: key, heartbeatAtMs: 40_000 }),
      40_000 - LEASE,
    );
    expect(retaken).toMatchObject({ id: 'first', owner: 'c', status: 'Running', heartbeatAtMs: 40_000 });
    await runs().finish('first', 'c', { status: 'Complete', summary: {}, error: null, bytesRead: 1, completedAtMs: 41_000 });
    // finished: never taken again
    expect(
      await runs().claimInboxFile(run('fourth', { source: 'inbox', owner: 'd', inboxKey: key, heartbeatAtMs: 99_000 }), 98_000),
    ).toBeNull();
    expect((await runs().page({ limit: 10 })).runs.map((r) => r.id)).toEqual(['first']);
  });

  it('pages newest first', async () => {
    for (const [id, created] of [
      ['a', 1],
      ['b', 3],
      ['c', 2],
      ['d', 3],
    ] as const)
      await runs().insert(run(id, { createdAtMs: created }));
    const first = await runs().page({ limit: 3 });
    expect(first.runs.map((r) => r.id)).toEqual(['d', 'b', 'c']);
    const second = await runs().page({ limit: 3, after: first.next! });
    expect(second.runs.map((r) => r.id)).toEqual(['a']);
    expect(second.next).toBeNull();
  });
});
