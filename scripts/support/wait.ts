/** Waiting with a limit: every wait of the bench and of the e2e tests' servers ends, with a clear error. */
import { waitAtMost, WaitExpiredError } from '../../src/common/utils/wait-at-most.util';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` with a bound: rejects with `what` when it takes longer than `ms`. */
export async function bounded<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await waitAtMost(fn(), ms);
  } catch (error) {
    if (error instanceof WaitExpiredError) throw new Error(`timed out after ${Math.round(ms / 100) / 10} s: ${what}`);
    throw error;
  }
}
