// ESLint 9 flat config: @eslint/js + typescript-eslint recommended (type-aware), Prettier owns formatting.
// `npm run lint` runs tsc, this and `prettier --check`; `npm run format` fixes what can be fixed.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TESTS = ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'];

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'data/', 'bench-data/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    // Types from tsconfig.json (src, test, scripts, ormconfig.ts) through the TS project service.
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Allowed where unavoidable (untyped driver callbacks), but visible; using an `any` unsafely
      // is still an error (no-unsafe-*).
      '@typescript-eslint/no-explicit-any': 'warn',
      // Off: the async functions without an await here implement Promise-returning interfaces
      // (PollWriter, RowSource, readFeed's callback); dropping `async` would turn their throws
      // into synchronous ones.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read JSON bodies, raw query rows and browser callbacks as `any` on purpose.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // False positives on destructured module functions (`const { join } = await import('node:path')`).
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // JS config files (jest.config.js, this file) are outside tsconfig.json: no type information.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // CommonJS config files: module.exports and require() are the point.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
