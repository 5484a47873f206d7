/** The server under test: one child process per phase, its log, its memory and (with --cpu-prof) its CPU profile. */
import { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bounded } from '../support/wait';
import { freePort, spawnServer, stopServer, waitForHealth } from '../support/server-process';
import type { BenchArgs } from './args';
import { ROOT, serverScript } from './code-under-test';
import { log, round } from './common';

export interface Memory {
  rssMb: number;
  peakMb: number;
}

export class ServerProcess {
  readonly base: string;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
    readonly logPath: string,
    private readonly profileDir: string | null,
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  static async start(
    name: string,
    databaseUrl: string,
    dataDir: string,
    profile: boolean,
    env: NodeJS.ProcessEnv = {},
  ): Promise<ServerProcess> {
    const port = await freePort();
    const logPath = join(dataDir, 'logs', `${name}.log`);
    await mkdir(join(dataDir, 'logs'), { recursive: true });
    const profileDir = profile ? join(dataDir, 'profiles') : null;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const fd = openSync(logPath, 'w');
    const child = spawnServer({
      script: serverScript(profile),
      port,
      cwd: ROOT,
      // The large sets' files can pass the service's default upload limit (1 GiB).
      env: { DATABASE_URL: databaseUrl, UPLOAD_LIMIT_BYTES: String(64 * 2 ** 30), NO_COLOR: '1', ...env },
      stdio: profile ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
    });
    closeSync(fd);
    const server = new ServerProcess(name, child, port, logPath, profileDir);
    try {
      await waitForHealth(child, port, name, { timeoutMs: 60_000, hint: ` (log: ${logPath})` });
    } catch (error) {
      await server.stop();
      throw error;
    }
    log(`server ${name}: pid ${child.pid}, port ${port}, ${databaseUrl}`);
    return server;
  }

  /** Current and peak resident memory from /proc/<pid>/status. */
  memory(): Memory {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: round(kb('VmRSS') / 1024, 1), peakMb: round(kb('VmHWM') / 1024, 1) };
  }

  /**
   * Writes the main thread's profile since the server started (only with --cpu-prof); each
   * server runs one phase, so the file is named after the server. Worker threads are not sampled.
   */
  async saveProfile(): Promise<string | null> {
    if (!this.profileDir || !this.child.send) return null;
    const path = join(this.profileDir, `${this.name}.cpuprofile`);
    const done = new Promise<void>((resolveDone, reject) => {
      const onMessage = (m: { type?: string; path?: string; error?: string }) => {
        if (m?.type !== 'profiled' || m.path !== path) return;
        this.child.off('message', onMessage);
        if (m.error) reject(new Error(m.error));
        else resolveDone();
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ type: 'profile', path });
    await bounded(`profile ${path}`, 60_000, () => done);
    return path;
  }

  /** Complete lines of the server's log. */
  logLines(): string[] {
    const lines = readFileSync(this.logPath, 'utf8').split('\n');
    lines.pop(); // after the last newline: empty, or a line still being written
    return lines;
  }

  stop(): Promise<void> {
    return stopServer(this.child, this.name, log);
  }
}

/** Runs `fn` against a server started for it alone, so that its peak RSS is that phase's. */
export async function withServer<T>(
  name: string,
  url: string,
  args: BenchArgs,
  fn: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const server = await ServerProcess.start(name, url, args.dataDir, args.cpuProf);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}
