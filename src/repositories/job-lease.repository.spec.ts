import { TEST_DATABASES } from '../../test/support/test-database';
import { useTestSql } from '../../test/support/test-sql';
import { JobLeaseRepository } from './job-lease.repository';

const LEASE = 30_000;

describe.each(TEST_DATABASES)('JobLeaseRepository on %s', (kind) => {
  const t = useTestSql(kind, 'jobleaserepo');
  const leases = () => new JobLeaseRepository(t.sql);

  it('offers a lease never taken, and makes its row on the first claim', async () => {
    expect(await leases().find('deliver')).toBeNull();
    expect(await leases().isClaimable('deliver', 0)).toBe(true);
    expect(await leases().claim('deliver', 'a', 1_000_000, 1_000_000 - LEASE)).toBe(true);
    expect(await leases().find('deliver')).toEqual({ name: 'deliver', owner: 'a', heartbeatAtMs: 1_000_000 });
  });

  it('lets exactly one of several instances claim a free lease', async () => {
    const now = 1_000_000;
    const won = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => leases().claim('deliver', owner, now, now - LEASE)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await leases().find('deliver')).toEqual({
      name: 'deliver',
      owner: ['a', 'b', 'c', 'd'][won.indexOf(true)],
      heartbeatAtMs: now,
    });
  });

  it('refuses a live lease to another instance and gives a stale one to whoever claims it', async () => {
    const now = 1_000_000;
    await leases().claim('deliver', 'alive', now - 1000, now - LEASE);
    expect(await leases().isClaimable('deliver', now - LEASE)).toBe(false);
    expect(await leases().claim('deliver', 'thief', now, now - LEASE)).toBe(false);
    expect(await leases().isClaimable('deliver', now - 999)).toBe(true);
    expect(await leases().claim('deliver', 'taker', now, now - 999)).toBe(true);
    expect(await leases().find('deliver')).toEqual({ name: 'deliver', owner: 'taker', heartbeatAtMs: now });
    expect(await leases().heartbeat('deliver', 'alive', now + 1)).toBe(false);
  });

  it('accepts heartbeats and the hand-back from the owner only', async () => {
    await leases().claim('deliver', 'me', 100, 0);
    expect(await leases().heartbeat('deliver', 'me', 150)).toBe(true);
    expect(await leases().heartbeat('deliver', 'me', 150)).toBe(true); // the same time again still counts
    expect(await leases().heartbeat('deliver', 'other', 160)).toBe(false);
    expect(await leases().release('deliver', 'other')).toBe(false);
    expect(await leases().find('deliver')).toEqual({ name: 'deliver', owner: 'me', heartbeatAtMs: 150 });
    expect(await leases().release('deliver', 'me')).toBe(true);
    expect(await leases().find('deliver')).toEqual({ name: 'deliver', owner: null, heartbeatAtMs: null });
    expect(await leases().isClaimable('deliver', 0)).toBe(true);
    expect(await leases().heartbeat('deliver', 'me', 170)).toBe(false);
    expect(await leases().claim('deliver', 'other', 180, 0)).toBe(true);
  });

  it('keeps names apart', async () => {
    expect(await leases().claim('one', 'a', 100, 0)).toBe(true);
    expect(await leases().claim('two', 'b', 100, 0)).toBe(true);
    expect(await leases().release('one', 'b')).toBe(false);
    expect(await leases().find('two')).toEqual({ name: 'two', owner: 'b', heartbeatAtMs: 100 });
  });
});
