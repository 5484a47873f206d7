import { inboxKey } from './inbox-key.util';

describe('inboxKey', () => {
  const file = { dev: 2049, ino: 131_075, size: 1000, mtimeMs: 1700000000000.5 };
  const base = inboxKey(file);

  it.each([
    ['another file', inboxKey({ ...file, ino: 131_076 })],
    ['another device', inboxKey({ ...file, dev: 2050 })],
    ['another size', inboxKey({ ...file, size: 1001 })],
    ['another time', inboxKey({ ...file, mtimeMs: 1700000000001.5 })],
    ['numbers run together differently', inboxKey({ ...file, ino: 13_107, size: 51_000 })],
  ])('changes with %s', (_what, other) => {
    expect(other).not.toBe(base);
  });

  it('is 64 hex characters, the same for the same version of a file', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(inboxKey({ ...file })).toBe(base);
  });
});
