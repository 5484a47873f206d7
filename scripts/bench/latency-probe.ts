/** The latency of a cheap endpoint while the server is busy with something else (an import). */
import http from 'node:http';
import { request } from '../support/http';
import { sleep } from '../support/wait';
import { now, percentile, round } from './common';

export interface LatencyResult {
  path: string;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests that failed or answered other than 200. */
  failures: number;
  /** The slowest requests: when each was sent (UTC, to match the server's log) and how long it took. */
  slowest: Array<{ sentAt: string; ms: number }>;
}

const SLOWEST = 5;

/** GitHub issue 9's target: GET /health p99 during any import (SQLite and MariaDB). */
export const HEALTH_P99_TARGET_MS = 100;

const EVERY_MS = 20;
const MAX_IN_FLIGHT = 64;

/**
 * Sends GET `path` every 20 ms, open loop (each request leaves on its tick whether or not the ones
 * before it have answered, up to 64 at once, so a stalled event loop shows in every request it
 * holds up), until `stop` is called (any number of times); then waits for the answers and returns their latencies.
 */
export function probeLatency(base: string, path: string): { stop: () => Promise<LatencyResult> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  const latencies: number[] = [];
  const sentAt: number[] = [];
  const pending = new Set<Promise<void>>();
  let failures = 0;
  let running = true;
  let result: Promise<LatencyResult> | undefined;
  const loop = (async () => {
    const started = now();
    for (let tick = 1; running; tick++) {
      if (pending.size < MAX_IN_FLIGHT) {
        const sent = Date.now();
        const p = request(base, 'GET', path, { timeoutMs: 60_000, agent })
          .then((res) => {
            if (res.status === 200) {
              latencies.push(res.ms);
              sentAt.push(sent);
            } else failures++;
          })
          .catch(() => void failures++)
          .finally(() => pending.delete(p));
        pending.add(p);
      }
      await sleep(Math.max(0, started + tick * EVERY_MS - now()));
    }
  })();
  const finish = async (): Promise<LatencyResult> => {
    running = false;
    await loop;
    await Promise.all(pending);
    agent.destroy();
    const sorted = [...latencies].sort((a, b) => a - b);
    const slowest = latencies
      .map((ms, i) => ({ sentAt: new Date(sentAt[i]).toISOString().slice(11, 23), ms: round(ms, 1) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SLOWEST);
    return {
      path,
      samples: sorted.length,
      p50Ms: round(percentile(sorted, 50), 1),
      p99Ms: round(percentile(sorted, 99), 1),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 1),
      failures,
      slowest,
    };
  };
  return { stop: () => (result ??= finish()) };
}
