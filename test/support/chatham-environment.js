const { TestEnvironment } = require('jest-environment-node');

/** The zone of the second test pass (jest.config.js); named to the suites as __PROCESS_ZONE__. */
const ZONE = 'Pacific/Chatham';

/**
 * Runs a suite with the process's time zone set to ZONE (Node applies a change of TZ at once)
 * and puts it back afterwards, so that suites of the other project in the same process keep theirs.
 */
class ChathamEnvironment extends TestEnvironment {
  async setup() {
    this.savedZone = process.env.TZ;
    process.env.TZ = ZONE;
    await super.setup();
    this.global.__PROCESS_ZONE__ = ZONE;
  }

  async teardown() {
    if (this.savedZone === undefined) delete process.env.TZ;
    else process.env.TZ = this.savedZone;
    await super.teardown();
  }
}

module.exports = ChathamEnvironment;
