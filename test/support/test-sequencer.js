const Sequencer = require('@jest/test-sequencer').default;

/**
 * The order in which the workers take the suites: the longest first, so that no worker is left
 * alone with a long one at the end. Jest's own sequencer knows a suite's length from its last run
 * in this checkout (its cache) and guesses it from the file's size otherwise. Size says little
 * across the tiers: a short integration suite that starts servers and databases outlasts the
 * largest unit spec. So the suites jest has not timed yet (all of them in a fresh clone, as in
 * CI) go integration projects first, each tier in jest's order; a suite that failed last time
 * still goes first of all, and timed ones by their time.
 */
class IntegrationFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests); // sets each test's `duration` from the cache, if known
    const failed = sorted.filter((test) => this.hasFailed(test));
    const rest = sorted.filter((test) => !this.hasFailed(test));
    const untimed = rest.filter((test) => test.duration == null);
    const integration = (test) => (test.context.config.displayName?.name ?? '').startsWith('integration');
    return [
      ...failed,
      ...untimed.filter(integration),
      ...untimed.filter((test) => !integration(test)),
      ...rest.filter((test) => test.duration != null),
    ];
  }
}

module.exports = IntegrationFirstSequencer;
