import { Worker } from 'node:worker_threads';
import { endSpareWorkers, keepSpareWorkers, refillSpareWorkers, takeWorker, WorkerSpec } from './spare-workers';

/** A worker that counts its starts in `counter` and answers each message with its thread id. */
function counting(counter: Int32Array, extra = ''): WorkerSpec {
  return {
    script: `
      const { parentPort, threadId, workerData } = require('node:worker_threads');
      Atomics.add(new Int32Array(workerData), 0, 1);
      ${extra}
      parentPort.on('message', () => parentPort.postMessage(threadId));`,
    options: { eval: true, workerData: counter.buffer },
  };
}

const newCounter = () => new Int32Array(new SharedArrayBuffer(4));

async function startsReach(counter: Int32Array, n: number): Promise<void> {
  for (let i = 0; i < 500 && Atomics.load(counter, 0) < n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(Atomics.load(counter, 0)).toBe(n);
}

async function ask(worker: Worker): Promise<number> {
  const answer = new Promise<number>((resolve) => worker.once('message', resolve));
  worker.postMessage('?');
  return answer;
}

describe('spare workers', () => {
  const taken: Worker[] = [];
  afterEach(async () => {
    await endSpareWorkers();
    await Promise.all(taken.splice(0).map((w) => w.terminate()));
  });

  it('hands out the spares started ahead, then new workers until refilled', async () => {
    const counter = newCounter();
    const spec = counting(counter);
    keepSpareWorkers(spec, 2);
    await startsReach(counter, 2);

    taken.push(takeWorker(spec), takeWorker(spec));
    expect(Atomics.load(counter, 0)).toBe(2); // no thread started for them
    expect(new Set(await Promise.all(taken.map(ask))).size).toBe(2);

    taken.push(takeWorker(spec)); // none spare: a new one
    await startsReach(counter, 3);
    expect(typeof (await ask(taken[2]))).toBe('number');

    refillSpareWorkers();
    await startsReach(counter, 5);
  });

  it('starts no spare once they are ended', async () => {
    const counter = newCounter();
    const spec = counting(counter);
    keepSpareWorkers(spec);
    await startsReach(counter, 1);
    await endSpareWorkers();
    refillSpareWorkers();
    await new Promise((r) => setTimeout(r, 100));
    expect(Atomics.load(counter, 0)).toBe(1);
    taken.push(takeWorker(spec)); // the spare was ended: a new one
    await startsReach(counter, 2);
  });

  it('forgets a spare that ends while idle', async () => {
    const counter = newCounter();
    const spec = counting(counter, 'if (Atomics.load(new Int32Array(workerData), 0) === 1) process.exit(3);');
    keepSpareWorkers(spec);
    await startsReach(counter, 1);
    await new Promise((r) => setTimeout(r, 100)); // its exit reaches this thread

    const worker = takeWorker(spec);
    taken.push(worker);
    await startsReach(counter, 2);
    expect(typeof (await ask(worker))).toBe('number');
  });
});
