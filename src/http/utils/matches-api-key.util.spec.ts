import { matchesApiKey } from './matches-api-key.util';

describe('matchesApiKey', () => {
  it.each([
    ['the key', 's3cret', ['s3cret'], true],
    ['either key of a rotation', 'new-key', ['old-key', 'new-key'], true],
    ['another key', 's3cret2', ['s3cret'], false],
    ['a prefix', 's3cr', ['s3cret'], false],
    ['no key', undefined, ['s3cret'], false],
    ['an empty key', '', ['s3cret', ''], false],
    ['case matters', 'S3CRET', ['s3cret'], false],
  ])('%s → %s', (_name, presented, keys, ok) => {
    expect(matchesApiKey(presented, keys)).toBe(ok);
  });
});
