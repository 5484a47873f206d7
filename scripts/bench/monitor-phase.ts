/** The live monitor's costs: its evaluation at the end of an import (from the server's log) and the latency of the board. */
import { request } from '../support/http';
import { percentile, round } from './common';
import { ServerProcess } from './server';

export interface MonitorResult {
  /** The evaluation of every store that ended the import (its own log line), ms; null when not logged. */
  evaluationMs: number | null;
  /** Events it recorded. */
  events: number | null;
  /** GET /status?limit=100 (the board's first page), one request after another. */
  board: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/** Issue 19's targets: the board's first page p99 at real size and at 10x. */
export const BOARD_P99_TARGET_MS = 50;
export const BOARD_P99_TARGET_10X_MS = 200;

const BOARD_SAMPLES = 200;

/** The import server's log line "evaluated N stores (J from the import's own polls, P ahead) at …: K event(s) recorded in M ms". */
export function evaluationOf(server: ServerProcess): Pick<MonitorResult, 'evaluationMs' | 'events'> {
  const found = server
    .logLines()
    .map((line) =>
      /evaluated \d+ stores (?:\(\d+ from the import's own polls(?:, \d+ ahead)?\) )?at [^:]+:\d\d:[^:]+: (\d+) event\(s\) recorded in (\d+) ms/.exec(
        line,
      ),
    )
    .filter((m) => m !== null)
    .pop();
  return { evaluationMs: found ? Number(found[2]) : null, events: found ? Number(found[1]) : null };
}

/** The board's first page, BOARD_SAMPLES times in a row (its figures are read from the table the evaluation keeps). */
export async function boardLatency(server: ServerProcess): Promise<MonitorResult['board']> {
  const ms: number[] = [];
  for (let i = 0; i < BOARD_SAMPLES; i++) {
    const res = await request(server.base, 'GET', i % 2 === 0 ? '/status?limit=100' : '/status?state=down&limit=100', {
      timeoutMs: 60_000,
    });
    if (res.status !== 200) throw new Error(`GET /status answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
    ms.push(res.ms);
  }
  const sorted = ms.sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50Ms: round(percentile(sorted, 50), 1),
    p99Ms: round(percentile(sorted, 99), 1),
    maxMs: round(sorted[sorted.length - 1], 1),
  };
}
