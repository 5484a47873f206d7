import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { freePort, spawnServer, stopServer, waitForHealth } from '../../scripts/support/server-process';
import { sleep } from '../../scripts/support/wait';
import { ROOT } from './test-app';

/** One instance of the built service (`node dist/src/main.js`) as a separate process. */
export class Instance {
  /** stdout and stderr together, and stdout alone. */
  log = '';
  stdout = '';

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly base: string,
  ) {
    child.stdout!.on('data', (d) => ((this.log += d), (this.stdout += d)));
    child.stderr!.on('data', (d) => (this.log += d));
  }

  static async start(name: string, env: NodeJS.ProcessEnv): Promise<Instance> {
    const { instance, ready } = await Instance.launch(name, env);
    await ready;
    return instance;
  }

  /**
   * Starts the process; `ready` resolves once GET /health answers 200. The bound is generous: a
   * start on a machine busy with parallel test workers (and other work) can take tens of seconds.
   */
  static async launch(name: string, env: NodeJS.ProcessEnv): Promise<{ instance: Instance; ready: Promise<void> }> {
    const port = await freePort();
    const child = spawnServer({ script: join(ROOT, 'dist', 'src', 'main.js'), port, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const instance = new Instance(name, child, `http://127.0.0.1:${port}`);
    const ready = waitForHealth(child, port, name, { timeoutMs: 120_000 }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${instance.log}`);
    });
    return { instance, ready };
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Whether an instance id (as `GET /reports/:id` shows it) is this process's. */
  owns(instanceId: string | null): boolean {
    return instanceId !== null && instanceId.split('-').at(-2) === String(this.pid);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** kill -9: no shutdown hook runs. */
  async crash(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, and how the process ended: its exit code and how long it took. */
  async terminate(): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    const exited = once(this.child, 'exit') as Promise<[number | null]>;
    this.child.kill('SIGTERM');
    const [code] = await exited;
    return { code, ms: Date.now() - started };
  }

  async stop(): Promise<void> {
    await stopServer(this.child, this.name);
  }

  async json<T = any>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async trigger(body?: object): Promise<string> {
    const { status, body: answer } = await this.json<{ report_id: string }>('/trigger_report', {
      method: 'POST',
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (status !== 202) throw new Error(`trigger answered ${status}`);
    return answer.report_id;
  }

  /** Waits (bounded) until the report is finished and returns its CSV, or throws with its state. */
  async csvOf(id: string, timeoutMs = 60_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const res = await fetch(`${this.base}/get_report/${id}`);
      if (res.headers.get('x-report-status') === 'Complete') return res.text();
      const body = (await res.json()) as { status: string };
      if (body.status !== 'Running') throw new Error(`report ${id}: ${JSON.stringify(body)}`);
      await sleep(50);
    }
    throw new Error(`report ${id} still running after ${timeoutMs} ms`);
  }

  /** Waits (bounded) until some instance has started building the report; returns that instance's id. */
  async builderOf(id: string, timeoutMs = 30_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const { body } = await this.json<{ instance: string | null; status: string }>(`/reports/${id}`);
      if (body.instance !== null) return body.instance;
      if (body.status !== 'Running') throw new Error(`report ${id} finished before it was seen building`);
      await sleep(10);
    }
    throw new Error(`report ${id} not claimed within ${timeoutMs} ms`);
  }
}
