import { staleSpoolPid } from './stale-spool-pid.util';

const alive = new Set([1, 4242]);
const isAlive = (pid: number) => alive.has(pid);

describe('staleSpoolPid', () => {
  it.each([
    ['store-monitor-import-999-AbC123', 999],
    ['store-monitor-import-4242-AbC123', null],
    ['store-monitor-import-AbC123', null], // an old-style folder: whose, cannot be told
    ['store-monitor-seed-999-x', null],
    ['other-999-x', null],
  ])('%s → %s', (name, pid) => {
    expect(staleSpoolPid(name, isAlive)).toBe(pid);
  });
});
