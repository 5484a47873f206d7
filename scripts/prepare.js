// npm runs `prepare` on every install of this project. A full install (`npm ci`) builds dist/;
// a production install (`npm ci --omit=dev`, or `npm prune --omit=dev` after it) keeps the dist/
// it was given: the compiler may still be there (a dependency's), but not the type packages the
// build needs. Nor does `npx store-monitor` rebuild (npm runs `prepare` when it links the project
// for it).
const { execFileSync } = require('node:child_process');

const has = (id) => {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
};
if (process.env.npm_command === 'exec' || !has('typescript/bin/tsc') || !has('@types/node/package.json')) process.exit(0);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// The owner's page (served at /): browser TypeScript and static files into dist/web.
execFileSync(process.execPath, [require.resolve('./build-web.js')], { stdio: 'inherit' });
