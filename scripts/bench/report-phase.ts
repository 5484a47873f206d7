/** The report phase: trigger → Complete wall time, and the latency of GET /get_report while the report runs. */
import { createHash } from 'node:crypto';
import { REPORT_HEADER } from '../../src/engine/utils';
import { request } from '../support/http';
import { pollReport } from '../support/report-polling';
import { sleep } from '../support/wait';
import type { BenchArgs } from './args';
import { log, median, now, percentile, round } from './common';
import { ServerProcess } from './server';

interface ReportRun {
  wallMs: number;
  /** The server's own log line "report <id>: N stores in M ms". */
  serverMs: number | null;
  rows: number;
  csvBytes: number;
  csvSha256: string;
  samples: number;
}

export interface ReportResult {
  runs: ReportRun[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Latency of every GET /get_report sent between the trigger and the first Complete answer, over all runs. */
  getReport: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** RSS of the server, started for these reports, before the first trigger. */
  rssAtStartMb: number;
  /** Peak RSS of that server over the reports (VmHWM). */
  peakRssMb: number;
  /** The CSV's SHA-256 (every run of one data set gives the same bytes). */
  csvSha256: string;
  profile: string | null;
}

/** `runs` reports one after the other; the median wall time is the figure. */
export async function reportPhase(
  server: ServerProcess,
  label: string,
  expectedRows: number,
  runs: number,
  args: BenchArgs,
): Promise<ReportResult> {
  const rssAtStartMb = server.memory().rssMb;
  const latencies: number[] = [];
  const results: ReportRun[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await oneReport(server, expectedRows, args.reportTimeoutS * 1000, latencies));
    log(
      `${server.name}: report ${label} #${i + 1}: ${round(results[i].wallMs / 1000, 2)} s (server ${results[i].serverMs} ms, ${results[i].samples} GETs)`,
    );
  }
  const hashes = new Set(results.map((r) => r.csvSha256));
  if (hashes.size !== 1) throw new Error(`report ${label}: the runs gave different CSVs`);
  const sorted = [...latencies].sort((a, b) => a - b);
  const walls = results.map((r) => r.wallMs);
  const result: ReportResult = {
    runs: results,
    medianMs: median(walls),
    minMs: Math.min(...walls),
    maxMs: Math.max(...walls),
    getReport: {
      samples: sorted.length,
      p50Ms: round(percentile(sorted, 50), 1),
      p99Ms: round(percentile(sorted, 99), 1),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 1),
    },
    rssAtStartMb,
    peakRssMb: server.memory().peakMb,
    csvSha256: results[0].csvSha256,
    profile: await server.saveProfile(),
  };
  log(
    `${server.name}: reports ${label}: median ${round(result.medianMs / 1000, 2)} s, GET p50/p99 ${result.getReport.p50Ms}/${result.getReport.p99Ms} ms, RSS ${rssAtStartMb} → peak ${result.peakRssMb} MB`,
  );
  return result;
}

const SAMPLE_EVERY_MS = 20;
const MAX_IN_FLIGHT = 64;

/**
 * One report: trigger it, then send GET /get_report every 20 ms, open loop (a stalled server shows
 * in every request it stalls, not in one), until an answer says Complete. Each request's latency
 * is added to `latencies`.
 */
async function oneReport(
  server: ServerProcess,
  expectedRows: number,
  timeoutMs: number,
  latencies: number[],
): Promise<ReportRun> {
  const started = now();
  const trigger = await request(server.base, 'POST', '/trigger_report', {
    body: '{}',
    headers: { 'Content-Type': 'application/json' },
  });
  if (trigger.status !== 202) throw new Error(`POST /trigger_report answered ${trigger.status}: ${trigger.body.toString()}`);
  const id = (JSON.parse(trigger.body.toString()) as { report_id: string }).report_id;
  const done = await pollReport(server.base, id, {
    everyMs: SAMPLE_EVERY_MS,
    maxInFlight: MAX_IN_FLIGHT,
    timeoutMs,
    startedAt: started,
    onAnswer: (res) => {
      latencies.push(res.ms);
      if (res.status !== 200) throw new Error(`GET /get_report answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
    },
  });
  if (done.csv === undefined) throw new Error(`report ${id} failed: ${done.body?.error}`);
  const csv = checkedReportCsv(done.res.body, expectedRows, `report ${id}`);
  await sleep(50); // let the server's log line land
  const logged = server
    .logLines()
    .map((l) => new RegExp(`report ${id}: \\d+ stores in (\\d+) ms`).exec(l))
    .find((m) => m !== null);
  return {
    wallMs: Math.round(done.at - started),
    serverMs: logged ? Number(logged[1]) : null,
    ...csv,
    samples: done.sent,
  };
}

/**
 * A report's CSV checked (the header, one row per store) and digested: every report of one data
 * set and as_of, over HTTP or from the CLI, on either database, must have the same SHA-256.
 */
export function checkedReportCsv(
  body: Buffer,
  expectedRows: number,
  what: string,
): { rows: number; csvBytes: number; csvSha256: string } {
  const lines = body
    .toString()
    .split('\n')
    .filter((l) => l !== '');
  if (lines[0] !== REPORT_HEADER) throw new Error(`${what}: unexpected CSV header ${lines[0]}`);
  if (lines.length - 1 !== expectedRows) throw new Error(`${what}: ${lines.length - 1} rows, expected ${expectedRows}`);
  return { rows: lines.length - 1, csvBytes: body.length, csvSha256: createHash('sha256').update(body).digest('hex') };
}
