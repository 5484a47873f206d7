/** Run only by the second pass (jest.config.js): proves that pass really runs in another zone. */
declare const __PROCESS_ZONE__: string;

describe('the second test pass', () => {
  it('runs with the process in Pacific/Chatham', () => {
    expect(__PROCESS_ZONE__).toBe('Pacific/Chatham');
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('Pacific/Chatham');
    // +13:45 in January (Chatham's summer), whatever the machine's own zone is
    expect(new Date('2023-01-15T00:00:00Z').getTimezoneOffset()).toBe(-(13 * 60 + 45));
  });
});
