import { waitAtMost, WaitExpiredError } from './wait-at-most.util';

const after = (ms: number, settle: 'resolve' | 'reject', value: string): Promise<unknown> =>
  new Promise((resolve, reject) => setTimeout(() => (settle === 'resolve' ? resolve(value) : reject(new Error(value))), ms));

describe('waitAtMost', () => {
  it.each([
    ['a promise settled already', (): Promise<unknown> => Promise.resolve('done'), 50, { value: 'done' }],
    ['a promise that resolves in time', () => after(5, 'resolve', 'late'), 200, { value: 'late' }],
    ['a promise that rejects in time', () => after(5, 'reject', 'stopped'), 200, { error: 'stopped' }],
    ['a promise that never settles', () => new Promise<unknown>(() => undefined), 20, { expired: true }],
    ['a promise slower than the wait', () => after(300, 'resolve', 'too late'), 20, { expired: true }],
  ])('%s', async (_name, promise, ms, expected) => {
    const outcome = await waitAtMost(promise(), ms).then(
      (value) => ({ value }),
      (error: Error) => (error instanceof WaitExpiredError ? { expired: true } : { error: error.message }),
    );
    expect(outcome).toEqual(expected);
  });

  it('leaves no timer behind once the promise has settled', async () => {
    const spy = jest.spyOn(global, 'clearTimeout');
    await waitAtMost(Promise.resolve(1), 60_000);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
