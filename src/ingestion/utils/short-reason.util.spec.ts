import { shortReason } from './short-reason.util';

describe('shortReason', () => {
  it.each([
    ['status must be active or inactive', 'status must be active or inactive'],
    ['', ''],
    [`unknown timezone: ${'x'.repeat(142)}`, `unknown timezone: ${'x'.repeat(142)}`],
    [`unknown timezone: ${'x'.repeat(143)}`, `unknown timezone: ${'x'.repeat(141)}…`],
    [`unknown timezone: ${'x'.repeat(70_000)}`, `unknown timezone: ${'x'.repeat(141)}…`],
  ])('%j → %j', (reason, short) => {
    expect(shortReason(reason)).toBe(short);
    expect(shortReason(reason).length).toBeLessThanOrEqual(160);
  });
});
