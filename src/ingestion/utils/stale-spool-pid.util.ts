/** The prefix of the folders uploads are spooled to; the process id follows, so that a stale one can be told. */
export const SPOOL_PREFIX = 'store-monitor-import-';

/**
 * The process id in a spool folder's name when that process is gone (a crash, kill -9 left it
 * behind), or null: not a spool folder, or its process is alive.
 */
export function staleSpoolPid(name: string, isAlive: (pid: number) => boolean): number | null {
  const m = new RegExp(`^${SPOOL_PREFIX}(\\d+)-`).exec(name);
  if (m === null) return null;
  const pid = Number(m[1]);
  return isAlive(pid) ? null : pid;
}
