/**
 * Tests run from the TypeScript sources through ts-jest in transpile-only mode (fast; `npm run
 * lint` type-checks). Pure-JS toolchain on purpose: packages with per-platform binaries (swc)
 * cannot be locked for `npm ci` from this registry.
 *
 * Two projects: every suite on the machine's zone, then the engine, report, store-view and the
 * owner's page's time suites again with the process in Pacific/Chatham (+12:45/+13:45, DST in the southern summer), so that
 * nothing can depend on the server's own time zone. A plain `npx jest` runs both.
 */
const base = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'machine-zone', roots: ['<rootDir>/src', '<rootDir>/test'], testRegex: '.*\\.(spec|e2e-spec)\\.ts$' },
    {
      ...base,
      displayName: 'Pacific/Chatham',
      testEnvironment: '<rootDir>/test/support/chatham-environment.js',
      roots: ['<rootDir>/src/interpolation', '<rootDir>/test'],
      testRegex: [
        'src/interpolation/.*\\.(spec|tz-spec)\\.ts$',
        'test/(reports|stores)\\.e2e-spec\\.ts$',
        'test/web/.*\\.spec\\.ts$',
      ],
    },
  ],
};
