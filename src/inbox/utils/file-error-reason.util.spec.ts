import { fileErrorReason } from './file-error-reason.util';

const errno = (code: string) =>
  Object.assign(new Error(`${code}: operation failed, rename '/srv/inbox/a.csv' -> '/srv/inbox/processed/a.csv'`), { code });

describe('fileErrorReason', () => {
  it.each([
    ['EACCES', errno('EACCES'), 'permission denied'],
    ['EPERM', errno('EPERM'), 'permission denied'],
    ['ENOTDIR', errno('ENOTDIR'), 'a file is in the way of a folder'],
    ['ENOSPC', errno('ENOSPC'), 'no space left on the device'],
    ['an unknown code', errno('EWHATEVER'), 'EWHATEVER'],
    ['no code', new Error('/srv/inbox/a.csv: boom'), 'an unexpected error'],
    ['not an error', null, 'an unexpected error'],
  ])('%s', (_what, error, reason) => {
    expect(fileErrorReason(error)).toBe(reason);
  });
});
