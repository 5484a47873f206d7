import { DatabaseUnavailableError, InvalidInputError } from '../../common/errors/domain-errors';
import { DATABASE_UNAVAILABLE_REASON, reportFailureReason } from './report-failure-reason.util';

const driverError = (message: string, fields: object) => Object.assign(new Error(message), fields);

describe('reportFailureReason', () => {
  it.each([
    [
      'retries ran out',
      new DatabaseUnavailableError('the report: the database refused it 16 times'),
      DATABASE_UNAVAILABLE_REASON,
    ],
    [
      'refused connection',
      driverError('connect ECONNREFUSED 127.0.0.1:3306', { code: 'ECONNREFUSED' }),
      DATABASE_UNAVAILABLE_REASON,
    ],
    [
      'lost connection',
      driverError('Connection lost', { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      DATABASE_UNAVAILABLE_REASON,
    ],
    ['server shutdown', driverError('Server shutdown in progress', { errno: 1053 }), DATABASE_UNAVAILABLE_REASON],
    [
      'SQL error',
      driverError("Table 'sm.poll' doesn't exist", { errno: 1146, code: 'ER_NO_SUCH_TABLE', sqlState: '42S02' }),
      'a database error stopped the report',
    ],
    ['SQLite error', driverError('no such table: poll', { code: 'SQLITE_ERROR' }), 'a database error stopped the report'],
    ['domain error', new InvalidInputError('as_of is malformed'), 'as_of is malformed'],
    ['worker exit', new Error('report worker stopped unexpectedly (exit 1)'), 'report worker stopped unexpectedly (exit 1)'],
    ['long message', new Error('x'.repeat(500)), 'x'.repeat(200)],
    ['not an error', 'boom', 'boom'],
  ])('%s → its reason', (_what, error, reason) => {
    expect(reportFailureReason(error)).toBe(reason);
  });
});
