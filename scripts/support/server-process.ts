/**
 * The built server (`node dist/src/main.js`, or a wrapper of it) as a child process: a free port,
 * the spawn, the wait for GET /health and the stop. Shared by the bench and the e2e tests.
 */
import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { request } from './http';
import { bounded, sleep } from './wait';

/** A port free at the time of asking (the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServerSpawn {
  /** The JS file node runs. */
  script: string;
  port: number;
  /** Added to this process's environment (PORT is set from `port`). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  stdio: StdioOptions;
}

export function spawnServer({ script, port, env, cwd, stdio }: ServerSpawn): ChildProcess {
  return spawn(process.execPath, [script], { cwd, env: { ...process.env, ...env, PORT: String(port) }, stdio });
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Resolves once GET /health answers 200; rejects as soon as the child exits, or after `timeoutMs`.
 * `hint` ends each error (e.g. where the server's log is).
 */
export async function waitForHealth(
  child: ChildProcess,
  port: number,
  name: string,
  options: { timeoutMs: number; hint?: string },
) {
  const hint = options.hint ?? '';
  await bounded(`server ${name} to answer GET /health${hint}`, options.timeoutMs, async () => {
    for (;;) {
      if (hasExited(child)) throw new Error(`server ${name} exited with code ${child.exitCode}${hint}`);
      const ok = await request(`http://127.0.0.1:${port}`, 'GET', '/health', { timeoutMs: 2000 }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
  });
}

/** SIGTERM (the service shuts down cleanly), then SIGKILL if it has not exited within 20 s. */
export async function stopServer(child: ChildProcess, name: string, log?: (message: string) => void): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  try {
    await bounded(`server ${name} to exit after SIGTERM`, 20_000, () => exited);
  } catch {
    log?.(`server ${name}: no exit 20 s after SIGTERM, sending SIGKILL to pid ${child.pid}`);
    child.kill('SIGKILL');
    await bounded(`server ${name} to exit after SIGKILL`, 10_000, () => exited);
  }
}
