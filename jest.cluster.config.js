/**
 * `npm run test:cluster`: the integration tests on a three-node MariaDB Galera cluster on this
 * machine (scripts/galera/cluster.sh, started by the global setup and removed after). The built
 * service runs as separate processes, each on a node of its own. In band: the suites share the
 * cluster, and one of them kills and restarts a node.
 */
module.exports = {
  rootDir: '.',
  displayName: 'galera',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  roots: ['<rootDir>/test/cluster'],
  testRegex: '.*\\.cluster-spec\\.ts$',
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
  testSequencer: '<rootDir>/test/cluster/sequencer.js',
  testTimeout: 180_000,
};
