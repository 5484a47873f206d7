/** Thrown by waitAtMost when the wait ran out before the promise settled. */
export class WaitExpiredError extends Error {
  constructor(ms: number) {
    super(`still waiting after ${ms} ms`);
    this.name = 'WaitExpiredError';
  }
}

/** Waits for `promise`, for at most `ms`: settles as it does, or rejects with WaitExpiredError. */
export function waitAtMost<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new WaitExpiredError(ms)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
