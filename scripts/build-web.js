// Builds the owner's page into dist/web: its TypeScript compiled with the browser's settings
// (web/tsconfig.json: the DOM, ES modules; with the engine's zone offsets it imports, each file at
// its path in the repository), and its static files (web/public) copied beside it.
// Run by `npm run build` and by `prepare` (so `npm ci` builds it).
const { execFileSync } = require('node:child_process');
const { cpSync, rmSync } = require('node:fs');
const { dirname, join } = require('node:path');

const root = dirname(require.resolve('../package.json'));
// Anew each time: every file under dist/web is served, so none may outlive its source.
rmSync(join(root, 'dist', 'web'), { recursive: true, force: true });
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'web', 'tsconfig.json')], {
    stdio: 'inherit',
  });
} catch {
  process.exit(1); // tsc has printed why
}
cpSync(join(root, 'web', 'public'), join(root, 'dist', 'web'), { recursive: true });
