import { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * Worker threads started ahead of their use and left idle, their modules loaded: an import then
 * does not wait for its threads to load (~100 ms of CPU each, in the seconds an upload's feeds
 * compete for two cores). A spare holds no connection and no file, and does not keep the process
 * alive. Its script waits for its work in a message (see takeWorker's caller), so a spare and a
 * worker started on the spot are driven the same way.
 */
const spares = new Map<string, Array<{ worker: Worker; drop: () => void }>>();
/** Workers kept spare in this thread, by script, and how many. */
const kept = new Map<string, { spec: WorkerSpec; count: number }>();

/** A worker thread's script and the options it is always started with (its resource limits). */
export interface WorkerSpec {
  script: string;
  options: WorkerOptions;
}

/** Keeps `count` spares of `spec` from now on: started now, and again by refillSpareWorkers once taken. */
export function keepSpareWorkers(spec: WorkerSpec, count = 1): void {
  kept.set(spec.script, { spec, count });
  refill(spec.script);
}

/** Starts the spares taken since the last refill (call it where their loading does not compete with an import). */
export function refillSpareWorkers(): void {
  for (const script of kept.keys()) refill(script);
}

/** A spare of `spec` when one waits, else a new worker; referenced (it keeps the process alive). */
export function takeWorker(spec: WorkerSpec): Worker {
  const spare = spares.get(spec.script)?.shift();
  if (spare === undefined) return new Worker(spec.script, spec.options);
  spare.drop();
  spare.worker.ref();
  return spare.worker;
}

/** Ends every spare and keeps none from now on. */
export async function endSpareWorkers(): Promise<void> {
  kept.clear();
  const all = [...spares.values()].flat();
  spares.clear();
  await Promise.all(all.map(({ worker, drop }) => (drop(), worker.terminate())));
}

function refill(script: string): void {
  const want = kept.get(script);
  if (want === undefined) return;
  const list = spares.get(script) ?? [];
  spares.set(script, list);
  while (list.length < want.count) {
    const worker = new Worker(script, want.spec.options);
    worker.unref();
    // A spare that fails or ends while idle is forgotten; the next take starts a new one.
    const gone = () => {
      const at = list.findIndex((s) => s.worker === worker);
      if (at >= 0) list.splice(at, 1);
    };
    const onError = () => undefined;
    worker.once('exit', gone);
    worker.on('error', onError);
    list.push({
      worker,
      drop: () => {
        worker.off('exit', gone);
        worker.off('error', onError);
      },
    });
  }
}
