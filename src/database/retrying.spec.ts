import { DatabaseUnavailableError, WriteConflictError } from '../common/errors/domain-errors';
import { isConflict, isConnectionError, isNodeNotReady, isRetryable, withRetry } from './retrying';

const driver = (fields: object) => Object.assign(new Error('driver error'), fields);
const fast = { firstDelayMs: 1, maxDelayMs: 2 };

describe('retryable errors', () => {
  it.each([
    [driver({ errno: 1213, code: 'ER_LOCK_DEADLOCK' }), { conflict: true, connection: false, notReady: false }],
    [driver({ errno: 1180 }), { conflict: true, connection: false, notReady: false }],
    [driver({ errno: 1047 }), { conflict: false, connection: false, notReady: true }],
    [driver({ code: 'ECONNREFUSED' }), { conflict: false, connection: true, notReady: false }],
    [driver({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }), { conflict: false, connection: true, notReady: false }],
    [driver({ errno: 1156 }), { conflict: false, connection: true, notReady: false }],
  ])('%s', (error, kind) => {
    expect({ conflict: isConflict(error), connection: isConnectionError(error), notReady: isNodeNotReady(error) }).toEqual(kind);
    expect(isRetryable(error)).toBe(true);
  });

  it.each([driver({ errno: 1062 }), driver({ errno: 1146 }), new Error('plain'), 'a string'])('%s is not retryable', (error) => {
    expect(isRetryable(error)).toBe(false);
  });
});

describe('withRetry', () => {
  it('runs the work again after retryable errors, calling beforeRetry each time', async () => {
    const failures = [driver({ errno: 1213 }), driver({ code: 'ECONNRESET' })];
    const before: unknown[] = [];
    const attempts: number[] = [];
    const result = await withRetry(
      async (attempt) => {
        attempts.push(attempt);
        const failure = failures.shift();
        if (failure) throw failure;
        return 'done';
      },
      {
        what: 'work',
        ...fast,
        beforeRetry: (error) =>
          void before.push((error as { errno?: number; code?: string }).errno ?? (error as { code: string }).code),
      },
    );
    expect(result).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
    expect(before).toEqual([1213, 'ECONNRESET']);
  });

  it('lets other errors through at once', async () => {
    let calls = 0;
    const duplicate = driver({ errno: 1062 });
    await expect(
      withRetry(
        async () => {
          calls++;
          throw duplicate;
        },
        { what: 'work', ...fast },
      ),
    ).rejects.toBe(duplicate);
    expect(calls).toBe(1);
  });

  it('gives up after the tries with a conflict error (409) or an unavailable one (503), the last error as cause', async () => {
    const deadlock = driver({ errno: 1213 });
    const conflict = withRetry(() => Promise.reject(deadlock), { what: 'batch', tries: 3, ...fast });
    await expect(conflict).rejects.toBeInstanceOf(WriteConflictError);
    await expect(conflict).rejects.toMatchObject({
      message: 'batch: the database refused it 3 times (conflicting writes)',
      cause: deadlock,
    });
    const gone = withRetry(() => Promise.reject(driver({ code: 'ECONNREFUSED' })), { what: 'batch', tries: 2, ...fast });
    await expect(gone).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });

  it('counts a failing beforeRetry (no node to reconnect to) as a failed try', async () => {
    let calls = 0;
    const gone = withRetry(
      async () => {
        calls++;
        throw driver({ code: 'ECONNRESET' });
      },
      { what: 'batch', tries: 3, ...fast, beforeRetry: () => Promise.reject(driver({ code: 'ECONNREFUSED' })) },
    );
    await expect(gone).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(calls).toBe(1);
  });
});
