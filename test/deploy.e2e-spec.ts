import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHealth } from '../scripts/support/server-process';
import { sleep } from '../scripts/support/wait';
import { ROOT } from './support/test-app';

/** A DATABASE_URL nothing answers on: whatever needs no database must not try it. */
const UNREACHABLE = 'mysql://root@127.0.0.1:1/nothing';

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), ...args], {
    env: { ...process.env, DATABASE_URL: UNREACHABLE, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('the CLI', () => {
  /** Folders of the tests' SQLite files, removed after the suite whatever its outcome. */
  const folders: string[] = [];
  const tempFolder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-cli-'));
    folders.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it.each([['--help'], ['-h'], ['import', '--help'], ['report', '--help'], ['store', '--help']])(
    '%s exits 0 with usage, without a database',
    (...args) => {
      const { status, stdout, stderr } = cli(args);
      expect(stderr).toBe('');
      expect(status).toBe(0);
      expect(stdout).toMatch(/^Usage: store-monitor /);
    },
  );

  it('--version exits 0 with the package version, without a database', () => {
    const { status, stdout } = cli(['--version']);
    expect(status).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [['import', '--polls', tmpdir()], /^error: polls file .* is not a file \(a directory\?\)$/],
    [['import', '--bogus'], /^error: unknown option '--bogus'$/],
    [['nonsense'], /^error: unknown command 'nonsense'$/],
    [['report', '--as-of', 'yesterday'], /^error: as_of must be an ISO 8601 instant/],
    [['store', '1481966498820158979', '--as-of', 'yesterday'], /^error: as_of must be an ISO 8601 instant/],
    [['import'], /^error: give at least one of --polls, --business-hours, --timezones$/],
  ])('%j: one line on stderr, no stack, exit 1', (args, line) => {
    const { status, stdout, stderr } = cli(args, {
      DATABASE_URL: `sqlite:${join(tempFolder(), 'db.sqlite')}`,
    });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
  });

  it('writes its warnings without colour when stderr is not a terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-cli-'));
    try {
      // A new database with migrations left to the migrate command: a warning, then the failure.
      const { stderr } = cli(['import', '--timezones', join(ROOT, 'test', 'fixtures', 'dst-spring-2023', 'timezones.csv')], {
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
        MIGRATE_ON_START: 'false',
      });
      expect(stderr).toContain('migration(s) pending; run the migrate command');
      expect(stderr).not.toContain('\u001b[');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints the stack of a failure with --verbose', () => {
    const { status, stderr } = cli(['report', '--verbose']);
    expect(status).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^error: connect ECONNREFUSED/);
    expect(lines.slice(1).some((l) => /^\s+at /.test(l))).toBe(true);
  });

  it('refuses bad settings with the list, no stack', () => {
    const { status, stderr } = cli(['report'], { PORT: 'x', REPORT_CONCURRENCY: '0' });
    expect(status).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: Invalid environment: .*PORT.*REPORT_CONCURRENCY/),
    ]);
  });

  // What a command loads is most of its start (docs/benchmarks.md, target 16): none of the HTTP
  // layer, of the DTOs' validation, of the prompts no command asks, or (on SQLite) of mysql2.
  it.each([['events', '--limit', '1'], ['status'], ['report']])(
    '%j on SQLite loads no controller, Swagger, Fastify, class-validator, inquirer or mysql2',
    (...args) => {
      const dir = tempFolder();
      const compiled = join(dir, 'compiled.txt');
      // Every file the process compiles, written when it exits (an empty module registered in its
      // place is never compiled).
      writeFileSync(
        join(dir, 'record.js'),
        `const M = require('node:module'); const files = []; const compile = M.prototype._compile;
         M.prototype._compile = function (c, f) { files.push(f); return compile.call(this, c, f); };
         process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(compiled)}, files.join('\\n')));`,
      );
      const { stderr } = cli(args, {
        DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(dir, 'record.js')}`,
      });
      expect(stderr).toBe('');
      const files = readFileSync(compiled, 'utf8').split('\n');
      const packages = new Set(files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]));
      expect(packages).toContain('nest-commander');
      expect(files.filter((f) => f.endsWith('.controller.js'))).toEqual([]);
      const unwanted = [
        '@nestjs/swagger',
        '@nestjs/platform-fastify',
        'fastify',
        'class-validator',
        'class-transformer',
        'inquirer',
        'mysql2',
      ];
      expect(unwanted.filter((name) => packages.has(name))).toEqual([]);
    },
  );
});

describe('the built service', () => {
  it('stops on SIGTERM to `npm start`, leaving nothing listening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-start-'));
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, PORT: String(port) },
      stdio: 'ignore',
    });
    try {
      await waitForHealth(npm, port, 'npm start', { timeoutMs: 30_000 });
      const exited = once(npm, 'exit');
      npm.kill('SIGTERM');
      await exited;
      let open = true;
      for (let i = 0; i < 100 && open; i++) {
        open = await listening(port);
        if (open) await sleep(100);
      }
      expect(open).toBe(false);
    } finally {
      npm.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removes at start the upload folders of processes that are gone, and only those', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // a process that has exited
    const stale = join(tmpdir(), `store-monitor-import-${gone}-test`);
    const live = join(tmpdir(), `store-monitor-import-${process.pid}-test`);
    for (const d of [stale, live]) mkdirSync(join(d, 'sub'), { recursive: true });
    const dir = mkdtempSync(join(tmpdir(), 'sm-spool-'));
    const port = await freePort();
    const server = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, PORT: String(port) },
      stdio: 'ignore',
    });
    try {
      await waitForHealth(server, port, 'spool cleaner', { timeoutMs: 30_000 });
      for (let i = 0; i < 50 && existsSync(stale); i++) await sleep(100);
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      server.kill('SIGKILL');
      for (const d of [stale, live, dir]) rmSync(d, { recursive: true, force: true });
    }
  });

  it('starts, and runs `npx store-monitor`, after `npm prune --omit=dev` (nothing at run time needs a dev dependency)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'sm-prod-'));
    try {
      // A checkout built by `npm ci`: its sources and scripts too (npx runs `prepare` in it).
      for (const entry of ['package.json', 'package-lock.json', 'dist', 'src', 'scripts', 'tsconfig.json', 'tsconfig.build.json'])
        cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
      // Hard links: a copy of node_modules in a moment, which prune then thins.
      mkdirSync(join(copy, 'node_modules'));
      execFileSync('cp', ['-al', `${join(ROOT, 'node_modules')}/.`, join(copy, 'node_modules')]);
      execFileSync('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: copy, stdio: 'ignore' });
      const port = await freePort();
      const server = spawn(process.execPath, [join(copy, 'dist', 'src', 'main.js')], {
        cwd: copy,
        env: { ...process.env, DATABASE_URL: `sqlite:${join(copy, 'db.sqlite')}`, PORT: String(port) },
        stdio: 'ignore',
      });
      try {
        await waitForHealth(server, port, 'pruned service', { timeoutMs: 30_000 });
        expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      } finally {
        server.kill('SIGKILL');
      }
      // The CLI as README says, with an npx cache of its own (npx links the project into it).
      const npx = spawnSync('npx', ['store-monitor', '--help'], {
        cwd: copy,
        env: { ...process.env, npm_config_cache: join(copy, '.npm-cache'), DATABASE_URL: UNREACHABLE },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect({ status: npx.status, stdout: npx.stdout.split('\n')[0] }).toEqual({
        status: 0,
        stdout: 'Usage: store-monitor [options] [command]',
      });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 180_000);
});
