import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../scripts/support/server-process';
import { sleep } from '../../scripts/support/wait';

const MARIADBD = process.env.MARIADBD ?? '/usr/sbin/mariadbd';

/** Whether this machine can run a MariaDB server of a test's own (mariadbd and mariadb-install-db). */
export const canRunPrivateMariadb = () =>
  existsSync(MARIADBD) && spawnSync('sh', ['-c', 'command -v mariadb-install-db'], { stdio: 'ignore' }).status === 0;

/**
 * A MariaDB server of a test's own, to stop and start at will: its datadir under a temp folder, a
 * free port on loopback, no grant tables (root without a password from 127.0.0.1). Never the
 * shared server at 3306: it is stopped only by its own pid.
 */
export class PrivateMariadb {
  private child?: ChildProcess;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PrivateMariadb> {
    const dir = mkdtempSync(join(tmpdir(), 'sm-mariadb-'));
    const install = spawnSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--user=root'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (install.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mariadb-install-db failed: ${install.stderr}`);
    }
    const server = new PrivateMariadb(dir, await freePort());
    await server.start();
    return server;
  }

  /** `mysql://root@127.0.0.1:<port>/<database>`. */
  url(database: string): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts mariadbd on the datadir (after a kill: InnoDB recovers) and waits until it answers. */
  async start(): Promise<void> {
    const d = this.dir;
    this.child = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${join(d, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(d, 'mariadbd.sock')}`,
        `--pid-file=${join(d, 'mariadbd.pid')}`,
        `--log-error=${join(d, 'mariadbd.log')}`,
        '--user=root',
        '--skip-grant-tables',
        '--skip-name-resolve',
        '--local-infile=ON',
        '--innodb-buffer-pool-size=256M',
      ],
      { stdio: 'ignore' },
    );
    const until = Date.now() + 60_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`mariadbd exited with ${this.child.exitCode} (see ${d}/mariadbd.log)`);
      try {
        const conn = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1000 });
        await conn.end();
        return;
      } catch (error) {
        if (Date.now() > until) throw new Error(`mariadbd did not answer within 60 s: ${(error as Error).message}`);
        await sleep(100);
      }
    }
  }

  /** kill -9 of this server (by its pid): a crash, every connection cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** Stops the server (SIGTERM, then SIGKILL after 30 s) and removes its folder. */
  async destroy(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
