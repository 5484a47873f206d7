/**
 * Tests run from the TypeScript sources through ts-jest in transpile-only mode (fast; `npm run
 * lint` type-checks). Pure-JS toolchain on purpose: packages with per-platform binaries (swc)
 * cannot be locked for `npm ci` from this registry.
 */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
  },
  testTimeout: 60000,
};
