/**
 * Short-lived child processes of the bench: a command run to its end (the CLI), timed from spawn
 * to exit, and CPU-bound processes that load the machine beside a measurement. Every child is
 * waited for, or killed and waited for, on every path; every wait is bounded.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { bounded, sleep } from '../support/wait';
import { now } from './common';

/** Children alive now: killed if the bench itself exits (process.exit after a failure) before it stops them. */
const alive = new Set<ChildProcess>();
let exitHookSet = false;

function track(child: ChildProcess): ChildProcess {
  if (!exitHookSet) {
    exitHookSet = true;
    process.once('exit', () => {
      for (const c of alive) c.kill('SIGKILL');
    });
  }
  alive.add(child);
  child.once('exit', () => alive.delete(child));
  child.once('error', () => alive.delete(child));
  return child;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** SIGKILL, then waits (up to 10 s) for the exit; nothing to do for a child that has exited or never started. */
export async function killAndWait(child: ChildProcess, what: string): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await bounded(`${what} (pid ${child.pid}) to exit after SIGKILL`, 10_000, () => exited);
}

export interface CommandRun {
  /** From just before the spawn to the child's exit. */
  ms: number;
  stdout: Buffer;
  stderr: string;
}

const STDERR_KEPT = 64 * 1024;

/**
 * `node script ...argv` run to its end: its wall time from spawn to exit, its output. Fails when
 * it exits other than with 0 (with the last line of its stderr), or when it has not exited within
 * `timeoutMs` (killed first).
 */
export async function runNode(
  what: string,
  script: string,
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandRun> {
  const stdout: Buffer[] = [];
  let stderr = '';
  const started = now();
  const child = track(
    spawn(process.execPath, [script, ...argv], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < STDERR_KEPT) stderr += chunk.toString();
  });
  // 'close' comes after 'exit', once the output pipes are drained: the time is taken at the exit.
  const ended = new Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    let ms = Number.NaN;
    child.once('error', reject);
    child.once('exit', () => (ms = now() - started));
    child.once('close', (code, signal) => resolve({ ms, code, signal }));
  });
  let end: Awaited<typeof ended>;
  try {
    end = await bounded(`${what} to exit`, options.timeoutMs, () => ended);
  } catch (error) {
    await killAndWait(child, what);
    throw error;
  }
  if (end.code !== 0) {
    // The CLI's error is one line; an uncaught error ends with Node's version line instead.
    const last = stderr
      .trim()
      .split('\n')
      .filter((l) => !/^Node\.js v\d/.test(l))
      .pop();
    throw new Error(`${what} exited with ${end.signal ?? `code ${end.code}`}: ${last ?? '(nothing on stderr)'}`);
  }
  return { ms: end.ms, stdout: Buffer.concat(stdout), stderr };
}

/**
 * The loop of a CPU-bound process. It also ends by itself once its parent (the bench) is gone or
 * `limitMs` has passed, so that a bench killed from outside never leaves it spinning on a shared
 * machine; the check runs once every 10^8 turns, too rarely to leave it anything but CPU-bound.
 */
const busyLoop = (limitMs: number) =>
  `const p=process.ppid,end=Date.now()+${Math.round(limitMs)};` +
  `for(let i=1;;i++)if(i%1e8===0&&(process.ppid!==p||Date.now()>end))process.exit(0)`;

/**
 * Runs `fn` while `count` CPU-bound node processes spin beside it; kills them and waits for their
 * exit afterwards, whether `fn` succeeded or not. `limitMs` bounds their life should the bench die.
 */
export async function withBusyProcesses<T>(count: number, limitMs: number, fn: () => Promise<T>): Promise<T> {
  const children = Array.from({ length: count }, () =>
    track(spawn(process.execPath, ['-e', busyLoop(limitMs)], { stdio: 'ignore' })),
  );
  try {
    await bounded(`${count} busy processes to start`, 10_000, () => Promise.all(children.map((c) => once(c, 'spawn'))));
    // Past Node's own start, each one spins on a core.
    await sleep(300);
    const gone = children.find(hasExited);
    if (gone) throw new Error(`busy process ${gone.pid} exited at once (code ${gone.exitCode})`);
    return await fn();
  } finally {
    await Promise.all(children.map((c) => killAndWait(c, 'busy process')));
  }
}
