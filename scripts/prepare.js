// npm runs `prepare` on every install of this project. A full install (`npm ci`) builds dist/;
// a production install (`npm ci --omit=dev`) has no compiler and keeps the dist/ it was given.
const { execFileSync } = require('node:child_process');

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  process.exit(0);
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// The owner's page (served at /): browser TypeScript and static files into dist/web.
execFileSync(process.execPath, [require.resolve('./build-web.js')], { stdio: 'inherit' });
