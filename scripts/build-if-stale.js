// `npm test` runs the built service and CLI, so it builds first; this skips the compiler (a few
// seconds even when nothing changed) when dist/ is newer than every input of the build. With no
// dist/ (a clean clone) or any newer input it runs `tsc -p tsconfig.build.json`, which is
// incremental, and the owner page's build, and then marks dist/ as built now.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const marker = join(root, 'dist', '.tsbuildinfo.build');
const inputs = [
  ...['src', 'scripts', 'web'].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true })
      .filter((file) => /\.(ts|html|css|json)$/.test(file) && !/\.(spec|tz-spec|e2e-spec)\.ts$/.test(file))
      .map((file) => join(root, dir, file)),
  ),
  ...['ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => join(root, file)),
];

const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
const stale = inputs.some((file) => existsSync(file) && statSync(file).mtimeMs > builtAt);
if (stale) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // The owner's page (web/, which compiles the engine's zone offsets too).
  execFileSync(process.execPath, [join(root, 'scripts', 'build-web.js')], { cwd: root, stdio: 'inherit' });
  const now = new Date();
  utimesSync(marker, now, now);
}
