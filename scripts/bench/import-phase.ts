/** The import phase: POST /import of a data set's feeds, its wall time and polls/s, checked row for row. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchArgs } from './args';
import { log, round } from './common';
import { DataSet, FeedName } from './data-sets';
import { Db, localInfileOn, waitForQuietInnodb } from './databases';
import { postImport } from './http';
import { LatencyResult, probeLatency } from './latency-probe';
import { ServerProcess } from './server';

interface FeedSummary {
  read: number;
  inserted: number;
  unchanged: number;
  replaced: number;
  rejected: number;
  errors: Array<{ line: number; reason: string }>;
}

export interface ImportResult {
  dataSet: string;
  polls: number;
  wallMs: number;
  pollsPerSec: number;
  /** The server's own log of each feed's import ("polls: {...} in N ms"). */
  serverFeedMs: Record<string, number>;
  /** Wall time not spent importing a feed: the upload spooled to disk, the header checks. */
  otherMs: number;
  summary: Record<string, Omit<FeedSummary, 'errors'>>;
  /** GET /health latency while the import runs: the event loop's responsiveness. */
  health: LatencyResult;
  /** Peak RSS of the server process, started for this import (VmHWM). */
  peakRssMb: number;
  /** Set when the import in one request failed and was done again in parts (see importPhase). */
  firstAttempt?: string;
  /** Milliseconds waited before the import for InnoDB to write back what the phase before left dirty. */
  innodbWaitMs?: number;
  /** MariaDB's global local_infile before and after the import (another process may switch it). */
  localInfile?: { before: boolean; after: boolean };
  profile: string | null;
}

const HOURS_PART_ROWS = 50_000;

/**
 * Imports feeds of a data set over HTTP: all of them in one POST /import, as a client sends them.
 * If the server fails that request with a 500 and the business-hours file is large, the failure is
 * recorded (see `firstAttempt`) and the import is done again with the hours file cut into parts of
 * 50,000 rows between stores; the wall time is then the sum of those requests.
 */
export async function importPhase(
  server: ServerProcess,
  db: Db,
  set: DataSet,
  feeds: FeedName[],
  args: BenchArgs,
): Promise<ImportResult> {
  const infileBefore = db === 'mysql' ? await localInfileOn(args) : undefined;
  const innodbWaitMs = db === 'mysql' ? await waitForQuietInnodb(args) : undefined;
  const logStart = server.logLines().length;
  log(`${server.name}: POST /import ${feeds.join(', ')} of ${set.name} (${set.rows.polls.toLocaleString('en-US')} polls)…`);
  const expected = Object.fromEntries(feeds.map((f) => [f, set.rows[f]]));
  let wallMs = 0;
  let summary: Record<string, FeedSummary>;
  let firstAttempt: string | undefined;
  let measuredFrom = logStart;
  const probe = probeLatency(server.base, '/health');
  try {
    const done = await postAndCheck(server, Object.fromEntries(feeds.map((f) => [f, set.files[f]])), expected, args);
    wallMs = done.ms;
    summary = done.summary;
  } catch (error) {
    const message = (error as Error).message;
    if (!feeds.includes('business_hours') || set.rows.business_hours <= HOURS_PART_ROWS || !/answered 5\d\d/.test(message)) {
      await probe.stop();
      throw error;
    }
    try {
      const serverError =
        server
          .logLines()
          .slice(logStart)
          .find((l) => /ERROR/.test(l)) ?? '';
      firstAttempt = `${message}; server log: ${serverError.replace(/^.*ERROR\s*/, '')}`;
      log(
        `WARNING: ${server.name}: the import failed (${firstAttempt}); importing again with the ${set.rows.business_hours.toLocaleString('en-US')}-row hours file in parts of ${HOURS_PART_ROWS.toLocaleString('en-US')} rows`,
      );
      const parts = await splitHoursFile(set, HOURS_PART_ROWS);
      measuredFrom = server.logLines().length;
      summary = {};
      const add = (feed: string, s: FeedSummary) => {
        const t = (summary[feed] ??= { read: 0, inserted: 0, unchanged: 0, replaced: 0, rejected: 0, errors: [] });
        t.read += s.read;
        t.inserted += s.inserted;
        t.unchanged += s.unchanged;
        t.replaced += s.replaced;
        t.rejected += s.rejected;
      };
      if (feeds.includes('timezones')) {
        const done = await postAndCheck(server, { timezones: set.files.timezones }, expected, args);
        wallMs += done.ms;
        add('timezones', done.summary.timezones);
      }
      for (const part of parts) {
        const done = await postAndCheck(server, { business_hours: part.path }, { business_hours: part.rows }, args);
        wallMs += done.ms;
        add('business_hours', done.summary.business_hours);
      }
      if (feeds.includes('polls')) {
        const done = await postAndCheck(server, { polls: set.files.polls }, expected, args);
        wallMs += done.ms;
        add('polls', done.summary.polls);
      }
    } catch (retryError) {
      await probe.stop(); // its requests would keep the bench's process alive for ever
      throw retryError;
    }
  }
  const health = await probe.stop();
  const serverFeedMs: Record<string, number> = {};
  for (const line of server.logLines().slice(measuredFrom)) {
    const m = /\b(polls|business_hours|timezones): \{.*\} in (\d+) ms/.exec(line);
    if (m) serverFeedMs[m[1]] = (serverFeedMs[m[1]] ?? 0) + Number(m[2]);
  }
  const pollsRead = summary.polls?.read ?? 0;
  const result: ImportResult = {
    dataSet: set.name,
    polls: pollsRead,
    wallMs: Math.round(wallMs),
    pollsPerSec: Math.round(pollsRead / (wallMs / 1000)),
    serverFeedMs,
    otherMs: Math.round(wallMs - Object.values(serverFeedMs).reduce((x, y) => x + y, 0)),
    summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, { ...v, errors: undefined }])),
    ...(firstAttempt ? { firstAttempt } : {}),
    ...(innodbWaitMs !== undefined ? { innodbWaitMs } : {}),
    health,
    peakRssMb: server.memory().peakMb,
    profile: await server.saveProfile(),
  };
  if (infileBefore !== undefined) {
    result.localInfile = { before: infileBefore, after: await localInfileOn(args) };
    if (!result.localInfile.before || !result.localInfile.after) {
      log(
        `WARNING: MariaDB's local_infile was OFF (${JSON.stringify(result.localInfile)}): the import may have used the INSERT fallback`,
      );
    }
  }
  log(
    `${server.name}: import ${round(result.wallMs / 1000, 2)} s, ${result.pollsPerSec.toLocaleString('en-US')} polls/s, server ${JSON.stringify(serverFeedMs)}, peak RSS ${result.peakRssMb} MB, GET /health p50/p99/max ${health.p50Ms}/${health.p99Ms}/${health.maxMs} ms (${health.samples} samples)`,
  );
  return result;
}

/** One POST /import; checks that every row of every file was read and none rejected. */
async function postAndCheck(
  server: ServerProcess,
  files: Partial<Record<FeedName, string>>,
  expected: Partial<Record<FeedName, number>>,
  args: BenchArgs,
) {
  const res = await postImport(server.port, files, args.importTimeoutS * 1000);
  if (res.status !== 200) throw new Error(`POST /import answered ${res.status}: ${res.body.toString().slice(0, 500)}`);
  const summary = JSON.parse(res.body.toString()) as Record<string, FeedSummary>;
  for (const feed of Object.keys(files) as FeedName[]) {
    const s = summary[feed];
    if (!s) throw new Error(`POST /import: no summary for ${feed}`);
    if (s.rejected > 0)
      throw new Error(`POST /import rejected ${s.rejected} ${feed} rows: ${JSON.stringify(s.errors.slice(0, 3))}`);
    if (expected[feed] !== undefined && s.read !== expected[feed])
      throw new Error(`POST /import read ${s.read} ${feed} rows, the file has ${expected[feed]}`);
  }
  return { ms: res.ms, summary };
}

/**
 * Splits the business-hours file into files of at most `maxRows` rows, cut between stores (a
 * store's rows stay together, so each part replaces whole schedules, exactly as the whole file does).
 */
async function splitHoursFile(set: DataSet, maxRows: number): Promise<Array<{ path: string; rows: number }>> {
  const dir = join(set.dir, 'hours-parts');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const lines = (await readFile(set.files.business_hours, 'latin1')).split('\n').filter((l) => l !== '');
  const header = lines.shift()!;
  const parts: Array<{ path: string; rows: number }> = [];
  let chunk: string[] = [];
  const flush = async () => {
    const path = join(dir, `menu_hours.${parts.length + 1}.csv`);
    await writeFile(path, `${[header, ...chunk].join('\n')}\n`, 'latin1');
    parts.push({ path, rows: chunk.length });
    chunk = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const store = lines[i].slice(0, lines[i].indexOf(','));
    const previous = i > 0 ? lines[i - 1].slice(0, lines[i - 1].indexOf(',')) : store;
    if (chunk.length >= maxRows && store !== previous) await flush();
    chunk.push(lines[i]);
  }
  if (chunk.length > 0) await flush();
  return parts;
}
