import { isLocalInfileRefused } from './is-local-infile-refused';

describe('isLocalInfileRefused', () => {
  it.each([
    ['ER_NOT_ALLOWED_COMMAND', { errno: 1148, code: 'ER_NOT_ALLOWED_COMMAND' }, true],
    ['MySQL 8: local infile disabled', { errno: 3948 }, true],
    ['MariaDB: local infile disabled', { errno: 4166 }, true],
    ['a duplicate key', { errno: 1062, code: 'ER_DUP_ENTRY' }, false],
    ['a lost connection', { code: 'PROTOCOL_CONNECTION_LOST' }, false],
    ['the errno as text', { errno: '1148' }, false],
    ['null', null, false],
    ['a string', 'local infile', false],
  ])('%s: %s', (_what, error, refused) => {
    expect(isLocalInfileRefused(error)).toBe(refused);
  });
});
