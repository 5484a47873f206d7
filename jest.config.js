/**
 * Tests run from the TypeScript sources through ts-jest in transpile-only mode (fast; `npm run
 * lint` type-checks). Pure-JS toolchain on purpose: packages with per-platform binaries (swc)
 * cannot be locked for `npm ci` from this registry.
 *
 * Two tiers, each run twice over (once on the machine's zone, and the engine's suites again with
 * the process in Pacific/Chatham, +12:45/+13:45 with DST in the southern summer, so that nothing
 * can depend on the server's own time zone):
 * - unit: every spec that needs no database server, no built code and no server process, so that
 *   `npm run test:unit` gives an answer in about a minute with no build and no MariaDB;
 * - integration: the rest (a spec that imports a test/support helper that opens a database, starts
 *   the app or a MariaDB of its own, runs the built dist/, or spawns the built server).
 * A spec's tier follows from what it imports (INTEGRATION below), so a new spec lands in the right
 * one without a list to keep up to date. `npm test` runs all four projects.
 *
 * Suites run in parallel workers. Each worker is a process of its own: its MySQL databases carry
 * its pid (test/support/test-database.ts), its SQLite files and temp folders come from mkdtemp,
 * and servers listen on free ports, so suites share nothing but the MariaDB server. (One test
 * of ingestion.e2e-spec.ts turns its local_infile off for a moment: an import of another suite
 * meanwhile falls back from LOAD DATA to INSERT, with the same rows and counts.)
 */
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOTS = ['src', 'test'];
const SPEC = /\.(spec|e2e-spec|tz-spec)\.ts$/;
/** What puts a spec in the integration tier: a database, the app, a server process, the built code. */
const INTEGRATION = [
  /\/support\/(test-database|test-sql|test-app|instances|private-mariadb|tcp-proxy|server-process)'/,
  /ROOT, 'dist'|\bdist\/src\//,
];

const specs = ROOTS.flatMap((root) =>
  readdirSync(join(__dirname, root), { recursive: true })
    .map((file) => join(root, file))
    .filter((file) => SPEC.test(file) && !file.startsWith(join('test', 'cluster'))),
);
const isIntegration = (file) => {
  const text = readFileSync(join(__dirname, file), 'utf8');
  return INTEGRATION.some((pattern) => pattern.test(text));
};
const integrationSpecs = specs.filter(isIntegration);
const unitSpecs = specs.filter((file) => !integrationSpecs.includes(file));
/** Anchored patterns that leave the given spec files out of a project. */
const except = (files) => files.map((file) => `<rootDir>/${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const base = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  roots: ROOTS.map((root) => `<rootDir>/${root}`),
  // The owner's page (web/src) imports the engine by the name the browser loads, `….js`; here it is the TypeScript source.
  moduleNameMapper: { '^((?:\\.\\./)+src/engine/.+)\\.js$': '$1' },
};
const machineZone = { ...base, testRegex: '.*\\.(spec|e2e-spec)\\.ts$' };
/** The engine (src/engine), the suites that show its figures (report, store view) and the owner's page's time rules. */
const chatham = {
  ...base,
  testEnvironment: '<rootDir>/test/support/chatham-environment.js',
  testRegex: ['src/engine/.*\\.(spec|tz-spec)\\.ts$', 'test/(reports|stores)\\.e2e-spec\\.ts$', 'test/web/.*\\.spec\\.ts$'],
};

module.exports = {
  /** A guard against a hang, not a measure: a suite that starts servers waits long on a busy machine. */
  testTimeout: 180_000,
  /**
   * Most of an integration suite's time is spent waiting on servers, child processes and MariaDB,
   * so more workers than cores pay off; JEST_WORKERS or --maxWorkers overrides it.
   */
  maxWorkers: Number(process.env.JEST_WORKERS) || 3,
  /** Longest first, and in a checkout jest has not timed yet, the integration tier first. */
  testSequencer: '<rootDir>/test/support/test-sequencer.js',
  projects: [
    { ...machineZone, displayName: 'unit', testPathIgnorePatterns: except(integrationSpecs) },
    { ...chatham, displayName: 'unit-chatham', testPathIgnorePatterns: except(integrationSpecs) },
    { ...machineZone, displayName: 'integration', testPathIgnorePatterns: except(unitSpecs) },
    { ...chatham, displayName: 'integration-chatham', testPathIgnorePatterns: except(unitSpecs) },
  ],
};
