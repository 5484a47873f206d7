/** The code under test: where the built service is, the snapshot of dist/ the servers run from, its digest and commit. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cp, readdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { log } from './common';

/** The repository: this file runs as dist/scripts/bench/code-under-test.js. */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const DIST = join(ROOT, 'dist');
export const MAIN_JS = join(DIST, 'src', 'main.js');

/**
 * The servers run from a copy of dist/ taken when the bench starts, so that a rebuild during a
 * long run (another engineer's `npm run build`) cannot change the code under test half-way.
 * Modules still resolve from ROOT/node_modules (the copy lives below ROOT).
 */
let snapshot = DIST;

/** The file a server runs: the service itself, or with --cpu-prof the profiling wrapper around it. */
export const serverScript = (profiled: boolean) =>
  join(snapshot, profiled ? join('scripts', 'bench', 'profiled-server.js') : join('src', 'main.js'));

/** The CLI (`store-monitor`), from the same snapshot as the servers. */
export const cliScript = () => join(snapshot, 'src', 'cli.js');

export interface Build {
  commit: string | null;
  builtAt: string;
  distSha256: string;
  distFiles: number;
  distChangedDuringRun: boolean;
}

/** Copies dist/ to DIR/dist-snapshot and runs the servers from it from now on; returns what was snapshot. */
export async function snapshotDist(dataDir: string): Promise<Build> {
  const commit = gitCommit();
  const builtAt = statSync(MAIN_JS).mtime.toISOString();
  const dir = resolve(dataDir, 'dist-snapshot');
  await rm(dir, { recursive: true, force: true });
  await cp(DIST, dir, { recursive: true });
  snapshot = dir;
  const digest = await digestJs(dir);
  log(`code under test: commit ${commit?.slice(0, 12)}, dist built ${builtAt}, digest ${digest.sha256} (running from ${dir})`);
  return { commit, builtAt, distSha256: digest.sha256, distFiles: digest.files, distChangedDuringRun: false };
}

/** Whether dist/ no longer matches the snapshot (rebuilt during the run). */
export async function distChangedSince(build: Build): Promise<boolean> {
  return (await digestJs(DIST)).sha256 !== build.distSha256;
}

/** The service's .js files (not the bench's own scripts), hashed with their names. */
async function digestJs(dir: string): Promise<{ sha256: string; files: number }> {
  const hash = createHash('sha256');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.js') && !f.startsWith('scripts')).sort();
  for (const f of files) hash.update(f).update(await readFile(join(dir, f)));
  return { sha256: hash.digest('hex').slice(0, 16), files: files.length };
}

/**
 * The checked-out commit, read from .git's files (no git command). In a worktree `.git` is a
 * file naming the worktree's git dir, which holds HEAD; refs live in the common dir it names.
 */
function gitCommit(): string | null {
  try {
    let gitDir = join(ROOT, '.git');
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1].trim();
      if (pointer === undefined) return null;
      gitDir = resolve(ROOT, pointer);
    }
    const commonFile = join(gitDir, 'commondir');
    const common = existsSync(commonFile) ? resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    for (const dir of [gitDir, common]) {
      const loose = join(dir, ref);
      if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    }
    const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
    return new RegExp(`^([0-9a-f]{40}) ${ref}$`, 'm').exec(packed)?.[1] ?? null;
  } catch {
    return null;
  }
}
