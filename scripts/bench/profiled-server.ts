/**
 * The real server (dist/src/main.js) under the V8 sampling profiler, for `npm run bench -- --cpu-prof`.
 *
 * `node --cpu-prof` writes its profile only on a normal exit, and the service re-raises SIGTERM
 * (Nest's shutdown hooks), so it would never write one. This wrapper drives the profiler through
 * node:inspector instead: on the IPC message {type: 'profile', path} it writes what was sampled
 * since the previous message to `path` and starts a new profile, so each benchmark phase
 * (import, report) gets its own file.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();

function post<T = unknown>(method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))),
  );
}

async function start() {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 }); // µs
  await post('Profiler.start');
}

process.on('message', (message: { type?: string; path?: string }) => {
  if (message?.type !== 'profile' || !message.path) return;
  const path = message.path;
  post<{ profile: unknown }>('Profiler.stop')
    .then(({ profile }) => writeFileSync(path, JSON.stringify(profile)))
    .then(() => post('Profiler.start'))
    .then(
      () => process.send?.({ type: 'profiled', path }),
      (error) => process.send?.({ type: 'profiled', path, error: String(error) }),
    );
});

// dist/scripts/bench/ → dist/src/main.js, which starts the service when loaded
void start().then(() => import('../../src/main'));
