/**
 * `npm run bench`: the end-to-end benchmark of GitHub issue 4 (docs/benchmarks.md explains it).
 *
 * 1. Generates the data sets with the seed generator (src/seed) into ./bench-data/sets (kept and
 *    reused while their options are the same): the main set (default: the real feed's size),
 *    the last week and the 7 weeks before it (the same stores), and the main set at 10x stores.
 * 2. For each database (SQLite file, MariaDB database `store_monitor_bench`, both fresh per run)
 *    starts the real server (`node dist/src/main.js`) as a child process and measures over HTTP:
 *    - import: `POST /import` of the three files (multipart streamed from disk), wall time, polls/s;
 *    - report: `POST /trigger_report` to the `GET /get_report` that returns Complete, wall time,
 *      while sampling the latency of `GET /get_report` (p50/p99) every 20 ms;
 *    - the server's peak RSS (VmHWM from /proc, reset between import and report);
 *    - history: the report time with 8 weeks of polls against 1 week (same stores, same last week);
 *    - on MariaDB only, the same at 10x the stores.
 * 3. Measures the floors (raw CSV parse rate, MariaDB's own LOAD DATA, SQLite's own bulk insert).
 * 4. Prints a table and writes everything as JSON (--out, default bench-results.json).
 *
 * Every wait is bounded and fails with a clear error. Run `node dist/scripts/bench.js --help`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'fast-csv';
import { POLLS_FEED } from '../src/ingestion/utils/feed-specs.util';
import { FEED_FILE_NAMES, writeSyntheticFeeds } from '../src/seed/feed-files.util';
import { DEFAULT_FEED_OPTIONS, resolveFeedOptions, SyntheticFeedOptions } from '../src/seed/synthetic-feed.util';
import { formatProfileSummary, summarizeProfile } from './bench-profile';

// ---------------------------------------------------------------------------------------------
// Options

const ROOT = resolve(__dirname, '..', '..');
const MAIN_JS = join(ROOT, 'dist', 'src', 'main.js');
const PROFILED_MAIN_JS = join(ROOT, 'dist', 'scripts', 'bench-server.js');

const HELP = `npm run bench -- [options]   (or: node dist/scripts/bench.js [options])

  --stores N          stores of the main data set (default ${DEFAULT_FEED_OPTIONS.stores})
  --days D            days of polls of the main data set (default ${DEFAULT_FEED_OPTIONS.days})
  --interval M        mean minutes between polls (default ${DEFAULT_FEED_OPTIONS.intervalMinutes})
  --seed S            generator seed (default ${DEFAULT_FEED_OPTIONS.seed})
  --only sqlite|mysql run one database only
  --scale X           the large run's multiple of --stores, MariaDB only (default 10)
  --skip-10x          skip the large run
  --skip-history      skip the 8-weeks-against-1-week comparison
  --history-weeks W   weeks of history of the comparison (default 8)
  --history-stores N  stores of the comparison (default: --stores)
  --skip-floors       skip the floor measurements
  --report-runs R     reports per measurement, the median is kept (default 3)
  --mysql-url URL     MariaDB server (default mysql://root@127.0.0.1:3306)
  --data-dir DIR      where data sets, databases and logs go (default bench-data)
  --out FILE          JSON results (default bench-results.json)
  --cpu-prof          profile the server per phase (V8 sampling profiler) into DIR/profiles
  --import-timeout S  bound of one import in seconds (default 1800)
  --report-timeout S  bound of one report in seconds (default 600)
`;

interface BenchArgs {
  stores: number;
  days: number;
  interval: number;
  seed: string;
  only?: 'sqlite' | 'mysql';
  scale: number;
  skip10x: boolean;
  skipHistory: boolean;
  historyWeeks: number;
  historyStores?: number;
  skipFloors: boolean;
  reportRuns: number;
  mysqlUrl: string;
  dataDir: string;
  out: string;
  cpuProf: boolean;
  importTimeoutS: number;
  reportTimeoutS: number;
}

function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = {
    stores: DEFAULT_FEED_OPTIONS.stores,
    days: DEFAULT_FEED_OPTIONS.days,
    interval: DEFAULT_FEED_OPTIONS.intervalMinutes,
    seed: String(DEFAULT_FEED_OPTIONS.seed),
    scale: 10,
    skip10x: false,
    skipHistory: false,
    historyWeeks: 8,
    skipFloors: false,
    reportRuns: 3,
    mysqlUrl: 'mysql://root@127.0.0.1:3306',
    dataDir: 'bench-data',
    out: 'bench-results.json',
    cpuProf: false,
    importTimeoutS: 1800,
    reportTimeoutS: 600,
  };
  const num = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number ≥ ${min}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        process.exit(0);
      // eslint-disable-next-line no-fallthrough
      case '--stores': args.stores = Math.round(num(flag, value(), 1)); break;
      case '--days': args.days = num(flag, value(), 1); break;
      case '--interval': args.interval = num(flag, value(), 1); break;
      case '--seed': args.seed = value() ?? args.seed; break;
      case '--only': {
        const v = value();
        if (v !== 'sqlite' && v !== 'mysql') throw new Error('--only takes sqlite or mysql');
        args.only = v;
        break;
      }
      case '--scale': args.scale = num(flag, value(), 1); break;
      case '--skip-10x': args.skip10x = true; break;
      case '--skip-history': args.skipHistory = true; break;
      case '--history-weeks': args.historyWeeks = Math.round(num(flag, value(), 2)); break;
      case '--history-stores': args.historyStores = Math.round(num(flag, value(), 1)); break;
      case '--skip-floors': args.skipFloors = true; break;
      case '--report-runs': args.reportRuns = Math.round(num(flag, value(), 1)); break;
      case '--mysql-url': args.mysqlUrl = (value() ?? '').replace(/\/+$/, ''); break;
      case '--data-dir': args.dataDir = value() ?? args.dataDir; break;
      case '--out': args.out = value() ?? args.out; break;
      case '--cpu-prof': args.cpuProf = true; break;
      case '--import-timeout': args.importTimeoutS = num(flag, value(), 1); break;
      case '--report-timeout': args.reportTimeoutS = num(flag, value(), 1); break;
      default:
        throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

function log(message: string) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/** Runs `fn` with a bound: rejects with `what` when it takes longer than `ms`. */
async function bounded<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${round(ms / 1000, 1)} s: ${what}`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Data sets

interface DataSet {
  name: string;
  options: SyntheticFeedOptions;
  dir: string;
  files: { polls: string; business_hours: string; timezones: string };
  rows: { polls: number; business_hours: number; timezones: number };
  bytes: { polls: number; business_hours: number; timezones: number };
  generatedMs: number | null;
}

/** Generates a data set into DIR/sets/<name>, or reuses it when its manifest has the same options. */
async function ensureDataSet(dataDir: string, name: string, options: SyntheticFeedOptions): Promise<DataSet> {
  const dir = join(dataDir, 'sets', name);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DataSet;
    const filesOk = Object.values(manifest.files).every((f) => existsSync(f) && statSync(f).size > 0);
    if (filesOk && JSON.stringify(manifest.options) === JSON.stringify(options)) {
      log(`data set ${name}: reusing ${dir} (${manifest.rows.polls.toLocaleString('en-US')} polls)`);
      return { ...manifest, generatedMs: null };
    }
  }
  await rm(dir, { recursive: true, force: true });
  log(`data set ${name}: generating ${options.stores} stores × ${options.days - options.skipLastDays} days…`);
  const started = now();
  const written = await writeSyntheticFeeds(dir, options);
  const set: DataSet = {
    name,
    options,
    dir,
    files: written.files,
    rows: {
      polls: written.stats.polls.rows,
      business_hours: written.stats.business_hours.rows,
      timezones: written.stats.timezones.rows,
    },
    bytes: written.bytes,
    generatedMs: Math.round(now() - started),
  };
  await writeFile(manifestPath, JSON.stringify(set, null, 2));
  log(`data set ${name}: ${set.rows.polls.toLocaleString('en-US')} polls (${round(set.bytes.polls / 2 ** 20)} MiB) in ${round(set.generatedMs! / 1000, 1)} s`);
  return set;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  ms: number;
}

function request(
  port: number,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; timeoutMs?: number; agent?: http.Agent } = {},
): Promise<HttpResponse> {
  const started = now();
  return new Promise((resolveResponse, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent: options.agent ?? agent, headers: options.headers, timeout: options.timeoutMs ?? 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: now() - started }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * POST /import as multipart/form-data, each file streamed from disk (never held in memory).
 * The parts are written by hand so that the length is known and no client timeout applies but ours.
 */
async function postImport(port: number, files: Partial<Record<'polls' | 'business_hours' | 'timezones', string>>, timeoutMs: number): Promise<HttpResponse> {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const parts = Object.entries(files).map(([field, path]) => ({
    head: Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${basename(path!)}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    path: path!,
    size: statSync(path!).size,
  }));
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const length = parts.reduce((sum, p) => sum + p.head.length + p.size + 2, 0) + tail.length;
  const started = now();
  return bounded(`POST /import of ${parts.map((p) => basename(p.path)).join(', ')}`, timeoutMs, async () => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/import',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(length) },
    });
    const response = new Promise<HttpResponse>((resolveResponse, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: now() - started }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    response.catch(() => undefined);
    for (const part of parts) {
      if (!req.write(part.head)) await once(req, 'drain');
      await pipeline(createReadStream(part.path, { highWaterMark: 1 << 20 }), req, { end: false });
      req.write('\r\n');
    }
    req.end(tail);
    return response;
  });
}

// ---------------------------------------------------------------------------------------------
// The server under test

interface Memory {
  rssMb: number;
  peakMb: number;
}

class ServerProcess {
  private exited = false;
  private exitCode: number | null = null;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
    readonly logPath: string,
    private readonly profileDir: string | null,
  ) {
    child.once('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
  }

  static async start(name: string, databaseUrl: string, dataDir: string, profile: boolean): Promise<ServerProcess> {
    const port = await freePort();
    const logPath = join(dataDir, 'logs', `${name}.log`);
    await mkdir(join(dataDir, 'logs'), { recursive: true });
    const profileDir = profile ? join(dataDir, 'profiles') : null;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const fd = openSync(logPath, 'w');
    const child = spawn(process.execPath, [profile ? PROFILED_MAIN_JS : MAIN_JS], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        UPLOAD_LIMIT_BYTES: String(64 * 2 ** 30),
        NO_COLOR: '1',
      },
      stdio: profile ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd],
    });
    closeSync(fd);
    const server = new ServerProcess(name, child, port, logPath, profileDir);
    try {
      await bounded(`server ${name} to answer GET /health (log: ${logPath})`, 60_000, async () => {
        for (;;) {
          if (server.exited) throw new Error(`server ${name} exited with code ${server.exitCode} (log: ${logPath})`);
          const ok = await request(port, 'GET', '/health', { timeoutMs: 2000 }).then((r) => r.status === 200, () => false);
          if (ok) return;
          await sleep(100);
        }
      });
    } catch (error) {
      await server.stop();
      throw error;
    }
    log(`server ${name}: pid ${child.pid}, port ${port}, ${databaseUrl}`);
    return server;
  }

  /** Current and peak resident memory from /proc/<pid>/status. */
  memory(): Memory {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: round(kb('VmRSS') / 1024, 1), peakMb: round(kb('VmHWM') / 1024, 1) };
  }

  /** Resets VmHWM to the current RSS (Linux: "5" > /proc/<pid>/clear_refs), so each phase has its own peak. */
  resetPeak(): boolean {
    try {
      writeFileSync(`/proc/${this.child.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /** Writes the profile of the phase just finished (only with --cpu-prof). */
  async saveProfile(phase: string): Promise<string | null> {
    if (!this.profileDir || !this.child.send) return null;
    const path = join(this.profileDir, `${this.name}-${phase}.cpuprofile`);
    const done = new Promise<void>((resolveDone, reject) => {
      const onMessage = (m: { type?: string; path?: string; error?: string }) => {
        if (m?.type !== 'profiled' || m.path !== path) return;
        this.child.off('message', onMessage);
        if (m.error) reject(new Error(m.error));
        else resolveDone();
      };
      this.child.on('message', onMessage);
    });
    this.child.send({ type: 'profile', path });
    await bounded(`profile ${path}`, 60_000, () => done);
    return path;
  }

  /** Complete lines of the server's log. */
  logLines(): string[] {
    const lines = readFileSync(this.logPath, 'utf8').split('\n');
    lines.pop(); // after the last newline: empty, or a line still being written
    return lines;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const exited = () => new Promise<void>((r) => (this.exited ? r() : this.child.once('exit', () => r())));
    try {
      await bounded(`server ${this.name} to exit after SIGTERM`, 20_000, exited);
    } catch {
      log(`server ${this.name}: no exit 20 s after SIGTERM, sending SIGKILL to pid ${this.child.pid}`);
      this.child.kill('SIGKILL');
      await bounded(`server ${this.name} to exit after SIGKILL`, 10_000, exited);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Phases

interface FeedSummary {
  read: number;
  inserted: number;
  unchanged: number;
  replaced: number;
  rejected: number;
  errors: Array<{ line: number; reason: string }>;
}

interface ImportResult {
  dataSet: string;
  polls: number;
  wallMs: number;
  pollsPerSec: number;
  /** The server's own log of each feed's import ("polls: {...} in N ms"). */
  serverFeedMs: Record<string, number>;
  /** Wall time not spent importing a feed: the upload spooled to disk, the header checks. */
  otherMs: number;
  summary: Record<string, Omit<FeedSummary, 'errors'>>;
  peakRssMb: number;
  profile: string | null;
}

async function importPhase(server: ServerProcess, set: DataSet, feeds: Array<'polls' | 'business_hours' | 'timezones'>, args: BenchArgs): Promise<ImportResult> {
  const files = Object.fromEntries(feeds.map((f) => [f, set.files[f]]));
  const logStart = server.logLines().length;
  log(`${server.name}: POST /import ${feeds.join(', ')} of ${set.name} (${set.rows.polls.toLocaleString('en-US')} polls)…`);
  const res = await postImport(server.port, files, args.importTimeoutS * 1000);
  if (res.status !== 200) throw new Error(`POST /import answered ${res.status}: ${res.body.toString().slice(0, 500)}`);
  const summary = JSON.parse(res.body.toString()) as Record<string, FeedSummary>;
  for (const feed of feeds) {
    const s = summary[feed];
    if (!s) throw new Error(`POST /import: no summary for ${feed}`);
    if (s.rejected > 0) throw new Error(`POST /import rejected ${s.rejected} ${feed} rows: ${JSON.stringify(s.errors.slice(0, 3))}`);
    if (s.read !== set.rows[feed]) throw new Error(`POST /import read ${s.read} ${feed} rows, the file has ${set.rows[feed]}`);
  }
  const serverFeedMs: Record<string, number> = {};
  for (const line of server.logLines().slice(logStart)) {
    const m = /\b(polls|business_hours|timezones): \{.*\} in (\d+) ms/.exec(line);
    if (m) serverFeedMs[m[1]] = Number(m[2]);
  }
  const pollsRead = summary.polls?.read ?? 0;
  const result: ImportResult = {
    dataSet: set.name,
    polls: pollsRead,
    wallMs: Math.round(res.ms),
    pollsPerSec: Math.round(pollsRead / (res.ms / 1000)),
    serverFeedMs,
    otherMs: Math.round(res.ms - Object.values(serverFeedMs).reduce((a, b) => a + b, 0)),
    summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, { ...v, errors: undefined }])) as ImportResult['summary'],
    peakRssMb: server.memory().peakMb,
    profile: await server.saveProfile(`import-${set.name}`),
  };
  log(`${server.name}: import ${round(result.wallMs / 1000, 2)} s, ${result.pollsPerSec.toLocaleString('en-US')} polls/s, server ${JSON.stringify(serverFeedMs)}, peak RSS ${result.peakRssMb} MB`);
  return result;
}

interface ReportRun {
  wallMs: number;
  /** The server's own log line "report <id>: N stores in M ms". */
  serverMs: number | null;
  rows: number;
  csvBytes: number;
  samples: number;
}

interface ReportResult {
  runs: ReportRun[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Latency of every GET /get_report sent between the trigger and the first Complete answer, over all runs. */
  getReport: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
  peakRssMb: number;
  profile: string | null;
}

const SAMPLE_EVERY_MS = 20;
const MAX_IN_FLIGHT = 64;

/**
 * One report: trigger it, then send GET /get_report every 20 ms, open loop (each request leaves
 * on its tick whether or not the ones before it have answered, so a stalled server shows in every
 * request it stalls, not in one), until an answer says Complete. Each request's latency is kept.
 */
async function oneReport(server: ServerProcess, expectedRows: number, timeoutMs: number, latencies: number[]): Promise<ReportRun> {
  const started = now();
  const trigger = await request(server.port, 'POST', '/trigger_report', {
    body: '{}',
    headers: { 'Content-Type': 'application/json' },
  });
  if (trigger.status !== 202) throw new Error(`POST /trigger_report answered ${trigger.status}: ${trigger.body.toString()}`);
  const id = (JSON.parse(trigger.body.toString()) as { report_id: string }).report_id;
  const sampler = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });
  let complete: { res: HttpResponse; at: number } | null = null;
  let failure: Error | null = null;
  let inFlight = 0;
  let samples = 0;
  try {
    for (let tick = 1; complete === null && failure === null; tick++) {
      if (now() - started > timeoutMs) throw new Error(`report ${id} not Complete after ${timeoutMs / 1000} s`);
      if (inFlight < MAX_IN_FLIGHT) {
        inFlight++;
        samples++;
        request(server.port, 'GET', `/get_report?report_id=${id}`, { timeoutMs: 60_000, agent: sampler })
          .then((res) => {
            latencies.push(res.ms);
            if (res.status !== 200) throw new Error(`GET /get_report answered ${res.status}: ${res.body.toString().slice(0, 300)}`);
            if (res.headers['x-report-status'] === 'Complete') {
              complete ??= { res, at: now() };
              return;
            }
            const body = JSON.parse(res.body.toString()) as { status: string; error?: string };
            if (body.status === 'Failed') throw new Error(`report ${id} failed: ${body.error}`);
          })
          .catch((error: Error) => {
            failure ??= error;
          })
          .finally(() => inFlight--);
      }
      await sleep(Math.max(0, started + tick * SAMPLE_EVERY_MS - now()));
    }
    await bounded(`the last GET /get_report of report ${id}`, 60_000, async () => {
      while (inFlight > 0) await sleep(5);
    });
  } finally {
    sampler.destroy();
  }
  if (failure) throw failure;
  const { res, at } = complete!;
  const csv = res.body.toString();
  const lines = csv.split('\n').filter((l) => l !== '');
  if (!lines[0]?.startsWith('store_id,uptime_last_hour,')) throw new Error(`report ${id}: unexpected CSV header ${lines[0]}`);
  if (lines.length - 1 !== expectedRows) throw new Error(`report ${id}: ${lines.length - 1} rows, expected ${expectedRows}`);
  await sleep(50); // let the server's log line land
  const logged = server
    .logLines()
    .map((l) => new RegExp(`report ${id}: \\d+ stores in (\\d+) ms`).exec(l))
    .find((m) => m !== null);
  return { wallMs: Math.round(at - started), serverMs: logged ? Number(logged[1]) : null, rows: lines.length - 1, csvBytes: res.body.length, samples };
}

async function reportPhase(server: ServerProcess, label: string, expectedRows: number, runs: number, args: BenchArgs): Promise<ReportResult> {
  const canReset = server.resetPeak();
  const latencies: number[] = [];
  const results: ReportRun[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await oneReport(server, expectedRows, args.reportTimeoutS * 1000, latencies));
    log(`${server.name}: report ${label} #${i + 1}: ${round(results[i].wallMs / 1000, 2)} s (server ${results[i].serverMs} ms, ${results[i].samples} samples)`);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const walls = results.map((r) => r.wallMs);
  return {
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
    peakRssMb: canReset ? server.memory().peakMb : Number.NaN,
    profile: await server.saveProfile(`report-${label}`),
  };
}

// ---------------------------------------------------------------------------------------------
// Databases

type Db = 'sqlite' | 'mysql';
const MYSQL_DB = 'store_monitor_bench';

async function mysqlAdmin<T>(args: BenchArgs, fn: (conn: import('mysql2/promise').Connection) => Promise<T>): Promise<T> {
  const { createConnection } = await import('mysql2/promise');
  const conn = await createConnection({ uri: `${args.mysqlUrl}/`, flags: ['+LOCAL_FILES'] } as never);
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

/** A fresh, empty database for a run: the SQLite file removed, or the MariaDB database dropped. */
async function freshDatabase(db: Db, name: string, args: BenchArgs): Promise<string> {
  if (db === 'sqlite') {
    const path = resolve(args.dataDir, 'db', `${name}.db`);
    await mkdir(join(args.dataDir, 'db'), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    return `sqlite:${path}`;
  }
  await mysqlAdmin(args, (conn) => conn.query(`DROP DATABASE IF EXISTS ${MYSQL_DB}`));
  return `${args.mysqlUrl}/${MYSQL_DB}`;
}

async function dropDatabase(db: Db, url: string, args: BenchArgs) {
  if (db === 'sqlite') {
    const path = url.slice('sqlite:'.length);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  } else {
    await mysqlAdmin(args, (conn) => conn.query(`DROP DATABASE IF EXISTS ${MYSQL_DB}`));
  }
}

async function withServer<T>(db: Db, name: string, args: BenchArgs, fn: (server: ServerProcess) => Promise<T>): Promise<T> {
  const url = await freshDatabase(db, name, args);
  const server = await ServerProcess.start(name, url, args.dataDir, args.cpuProf);
  try {
    return await fn(server);
  } finally {
    await server.stop();
    await dropDatabase(db, url, args);
  }
}

interface MainResult {
  database: Db;
  dataSet: string;
  stores: number;
  import: ImportResult;
  report: ReportResult;
  /** max(peak during import, peak during report): the service's peak RSS over the run. */
  peakRssMb: number;
}

async function mainRun(db: Db, set: DataSet, name: string, runs: number, args: BenchArgs): Promise<MainResult> {
  return withServer(db, name, args, async (server) => {
    const imported = await importPhase(server, set, ['timezones', 'business_hours', 'polls'], args);
    const report = await reportPhase(server, set.name, set.options.stores, runs, args);
    return {
      database: db,
      dataSet: set.name,
      stores: set.options.stores,
      import: imported,
      report,
      peakRssMb: Math.max(imported.peakRssMb, Number.isNaN(report.peakRssMb) ? 0 : report.peakRssMb, server.memory().peakMb),
    };
  });
}

interface HistoryResult {
  database: Db;
  stores: number;
  weeks: number;
  oneWeek: { polls: number; reportMedianMs: number; report: ReportResult };
  history: { polls: number; olderImport: ImportResult; reportMedianMs: number; report: ReportResult };
  /** Report time with all the history / with one week. */
  ratio: number;
}

async function historyRun(db: Db, week: DataSet, older: DataSet, args: BenchArgs): Promise<HistoryResult> {
  return withServer(db, `${db}-history`, args, async (server) => {
    await importPhase(server, week, ['timezones', 'business_hours', 'polls'], args);
    const oneWeek = await reportPhase(server, 'week', week.options.stores, args.reportRuns, args);
    const olderImport = await importPhase(server, older, ['polls'], args);
    const history = await reportPhase(server, `${args.historyWeeks}weeks`, week.options.stores, args.reportRuns, args);
    return {
      database: db,
      stores: week.options.stores,
      weeks: args.historyWeeks,
      oneWeek: { polls: week.rows.polls, reportMedianMs: oneWeek.medianMs, report: oneWeek },
      history: { polls: week.rows.polls + older.rows.polls, olderImport, reportMedianMs: history.medianMs, report: history },
      ratio: round(history.medianMs / oneWeek.medianMs, 2),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Floors: what the parts cost alone, outside the service

interface Floors {
  readFile: { ms: number; mbPerSec: number };
  csvParse: { ms: number; rowsPerSec: number };
  csvParseAndValidate: { ms: number; rowsPerSec: number };
  mysqlLoadData?: { ms: number; rowsPerSec: number; rows: number };
  sqliteBulkInsert?: { ms: number; rowsPerSec: number; rows: number };
}

function parseFile(path: string, onRow: (values: string[]) => void): Promise<number> {
  return new Promise((resolveRows, reject) => {
    let rows = 0;
    createReadStream(path, { highWaterMark: 1 << 20 })
      .pipe(parseCsv({ headers: false, trim: true }))
      .on('data', (values: string[]) => {
        rows++;
        onRow(values);
      })
      .on('error', reject)
      .on('end', () => resolveRows(rows));
  });
}

async function measureFloors(set: DataSet, dbs: Db[], args: BenchArgs): Promise<Floors> {
  const path = set.files.polls;
  const rows = set.rows.polls;
  log(`floors: reading and parsing ${path}…`);
  let started = now();
  await new Promise<void>((r, reject) => createReadStream(path, { highWaterMark: 1 << 20 }).on('data', () => undefined).on('end', r).on('error', reject));
  const readMs = now() - started;

  started = now();
  await parseFile(path, () => undefined);
  const parseMs = now() - started;

  // Parse + the import's own row validation, keeping the rows as TSV for the database floors.
  const tsvPath = join(set.dir, 'polls.floor.tsv');
  const tsv = createWriteStream(tsvPath, { highWaterMark: 1 << 20 });
  let buffered: string[] = [];
  let first = true;
  let validateMs = 0;
  started = now();
  let parsedRows = 0;
  await parseFile(path, (values) => {
    if (first) {
      first = false;
      return;
    }
    const t = now();
    const p = POLLS_FEED.parse(values);
    validateMs += now() - t;
    if (typeof p === 'string') throw new Error(`floor: a row is refused: ${p}`);
    parsedRows++;
    buffered.push(`${p.storeId}\t${p.timestampUs}\t${p.active ? 1 : 0}\n`);
    if (buffered.length >= 50_000) {
      tsv.write(buffered.join(''));
      buffered = [];
    }
  });
  tsv.end(buffered.join(''));
  await once(tsv, 'finish');
  const floors: Floors = {
    readFile: { ms: Math.round(readMs), mbPerSec: round(set.bytes.polls / 2 ** 20 / (readMs / 1000)) },
    csvParse: { ms: Math.round(parseMs), rowsPerSec: Math.round(rows / (parseMs / 1000)) },
    csvParseAndValidate: { ms: Math.round(parseMs + validateMs), rowsPerSec: Math.round(rows / ((parseMs + validateMs) / 1000)) },
  };

  if (dbs.includes('mysql')) {
    log('floors: MariaDB LOAD DATA LOCAL INFILE into an empty table…');
    floors.mysqlLoadData = await mysqlAdmin(args, async (conn) => {
      const db = `${MYSQL_DB}_floor`;
      await conn.query(`DROP DATABASE IF EXISTS ${db}`);
      await conn.query(`CREATE DATABASE ${db}`);
      try {
        await conn.query(
          `CREATE TABLE ${db}.poll (
             store_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
             timestamp_us BIGINT NOT NULL,
             active BOOLEAN NOT NULL,
             PRIMARY KEY (store_id, timestamp_us)
           ) ENGINE=InnoDB`,
        );
        const t = now();
        await conn.query({
          sql: `LOAD DATA LOCAL INFILE 'polls.tsv' IGNORE INTO TABLE ${db}.poll CHARACTER SET ascii
                FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (store_id, timestamp_us, active)`,
          infileStreamFactory: () => createReadStream(tsvPath, { highWaterMark: 1 << 20 }),
        } as never);
        const ms = now() - t;
        return { ms: Math.round(ms), rowsPerSec: Math.round(parsedRows / (ms / 1000)), rows: parsedRows };
      } finally {
        await conn.query(`DROP DATABASE IF EXISTS ${db}`);
      }
    });
  }

  if (dbs.includes('sqlite')) {
    log('floors: SQLite bulk insert (better-sqlite3, prepared, 20,000 rows per transaction) into an empty table…');
    const Database = (await import('better-sqlite3')).default;
    const file = resolve(args.dataDir, 'db', 'floor.db');
    await mkdir(join(args.dataDir, 'db'), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    const sqlite = new Database(file);
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.exec(`CREATE TABLE poll (store_id VARCHAR(64) NOT NULL, timestamp_us BIGINT NOT NULL, active BOOLEAN NOT NULL,
                   PRIMARY KEY (store_id, timestamp_us)) WITHOUT ROWID`);
      const ids: string[] = [];
      const times: number[] = [];
      const actives: number[] = [];
      for (const line of (await readFile(tsvPath, 'latin1')).split('\n')) {
        if (!line) continue;
        const [id, t, a] = line.split('\t');
        ids.push(id);
        times.push(Number(t));
        actives.push(Number(a));
      }
      const insert = sqlite.prepare('INSERT OR IGNORE INTO poll (store_id, timestamp_us, active) VALUES (?, ?, ?)');
      const batch = sqlite.transaction((from: number, to: number) => {
        for (let i = from; i < to; i++) insert.run(ids[i], times[i], actives[i]);
      });
      const t = now();
      for (let i = 0; i < ids.length; i += 20_000) batch(i, Math.min(ids.length, i + 20_000));
      const ms = now() - t;
      floors.sqliteBulkInsert = { ms: Math.round(ms), rowsPerSec: Math.round(ids.length / (ms / 1000)), rows: ids.length };
    } finally {
      sqlite.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
  }
  rmSync(tsvPath, { force: true });
  return floors;
}

// ---------------------------------------------------------------------------------------------
// Machine

async function machine(dbs: Db[], args: BenchArgs) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const info: Record<string, unknown> = {
    date: new Date().toISOString(),
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
  };
  try {
    const Database = (await import('better-sqlite3')).default;
    const mem = new Database(':memory:');
    info.sqlite = (mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    mem.close();
  } catch {
    /* not essential */
  }
  if (dbs.includes('mysql')) {
    await mysqlAdmin(args, async (conn) => {
      const [rows] = (await conn.query(
        "SELECT VERSION() AS version, @@innodb_buffer_pool_size AS pool, @@innodb_flush_log_at_trx_commit AS flush, @@innodb_log_file_size AS log",
      )) as unknown as [Array<{ version: string; pool: number; flush: number; log: number }>];
      info.mariadb = rows[0].version;
      info.innodbBufferPoolMiB = round(Number(rows[0].pool) / 2 ** 20);
      info.innodbFlushLogAtTrxCommit = Number(rows[0].flush);
      info.innodbLogFileSizeMiB = round(Number(rows[0].log) / 2 ** 20);
    });
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// Targets and the table

interface Check {
  what: string;
  database: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

function checks(main: MainResult[], history: HistoryResult[], big: MainResult | null): Check[] {
  const out: Check[] = [];
  const add = (what: string, database: string, value: number, unit: string, target: string, met: boolean) =>
    out.push({ what, database, value, unit, target, met });
  for (const r of main) {
    add('import, polls/s', r.database, r.import.pollsPerSec, 'polls/s', '≥ 150,000', r.import.pollsPerSec >= 150_000);
    add('report trigger→Complete (median)', r.database, r.report.medianMs / 1000, 's', '≤ 3', r.report.medianMs <= 3000);
    add('peak RSS of the service', r.database, r.peakRssMb, 'MB', '≤ 400', r.peakRssMb <= 400);
    add('GET /get_report p99 while running', r.database, r.report.getReport.p99Ms, 'ms', '≤ 50', r.report.getReport.p99Ms <= 50);
  }
  for (const h of history) {
    add(`report ${h.weeks} weeks / 1 week`, h.database, h.ratio, '×', '≤ 1.3', h.ratio <= 1.3);
  }
  if (big) {
    add(`${big.stores} stores: import polls/s`, 'mysql', big.import.pollsPerSec, 'polls/s', '≥ 150,000', big.import.pollsPerSec >= 150_000);
    add(`${big.stores} stores: report`, 'mysql', big.report.medianMs / 1000, 's', '≤ 30', big.report.medianMs <= 30_000);
    add(`${big.stores} stores: peak RSS`, 'mysql', big.peakRssMb, 'MB', '≤ 1024', big.peakRssMb <= 1024);
  }
  return out;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

const fmt = (x: number, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

function resultTable(main: MainResult[], history: HistoryResult[], big: MainResult | null): string {
  const dbs = main.map((m) => m.database);
  const cols = [...dbs, ...(big ? [`mysql ${big.stores} stores`] : [])];
  const all = [...main, ...(big ? [big] : [])];
  const row = (label: string, f: (r: MainResult) => string, target: string) => [label, ...all.map(f), target];
  const rows: string[][] = [
    row('polls imported', (r) => fmt(r.import.polls), ''),
    row('import wall time (s)', (r) => fmt(r.import.wallMs / 1000, 2), ''),
    row('import polls/s', (r) => fmt(r.import.pollsPerSec), '≥ 150,000'),
    row('peak RSS during import (MB)', (r) => fmt(r.import.peakRssMb), ''),
    row('report trigger→Complete, median (s)', (r) => fmt(r.report.medianMs / 1000, 2), '≤ 3 (10x: ≤ 30)'),
    row('report min / max (s)', (r) => `${fmt(r.report.minMs / 1000, 2)} / ${fmt(r.report.maxMs / 1000, 2)}`, ''),
    row('peak RSS during report (MB)', (r) => fmt(r.report.peakRssMb), ''),
    row('peak RSS of the service (MB)', (r) => fmt(r.peakRssMb), '≤ 400 (10x: ≤ 1,024)'),
    row('GET /get_report p50 / p99 (ms)', (r) => `${fmt(r.report.getReport.p50Ms, 1)} / ${fmt(r.report.getReport.p99Ms, 1)}`, 'p99 ≤ 50'),
  ];
  for (const h of history) {
    const cells = all.map((r) => (r === main.find((m) => m.database === h.database) ? `${fmt(h.oneWeek.reportMedianMs / 1000, 2)} → ${fmt(h.history.reportMedianMs / 1000, 2)} (${fmt(h.ratio, 2)}×)` : ''));
    rows.push([`report 1 week → ${h.weeks} weeks, ${h.stores} stores (s)`, ...cells, '≤ 1.3×']);
  }
  return table(['', ...cols, 'target'], rows);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run npm run build first (npm run bench does)`);
  const dbs: Db[] = args.only ? [args.only] : ['sqlite', 'mysql'];
  await mkdir(args.dataDir, { recursive: true });
  const benchStarted = now();

  const base = resolveFeedOptions({ stores: args.stores, days: args.days, seed: args.seed, intervalMinutes: args.interval });
  const historyStores = args.historyStores ?? args.stores;
  const mainSet = await ensureDataSet(args.dataDir, `main-${args.stores}x${args.days}d`, base);
  const weekSet = args.skipHistory
    ? null
    : await ensureDataSet(args.dataDir, `week-${historyStores}`, { ...base, stores: historyStores, days: 7 });
  const olderSet = args.skipHistory
    ? null
    : await ensureDataSet(args.dataDir, `older-${historyStores}x${args.historyWeeks - 1}w`, {
        ...base,
        stores: historyStores,
        days: 7 * args.historyWeeks,
        skipLastDays: 7,
      });
  const run10x = !args.skip10x && dbs.includes('mysql');
  const bigStores = Math.round(args.stores * args.scale);
  const bigSet = run10x ? await ensureDataSet(args.dataDir, `main-${bigStores}x${args.days}d`, { ...base, stores: bigStores }) : null;

  const info = await machine(dbs, args);
  log(`machine: ${JSON.stringify(info)}`);

  const mainResults: MainResult[] = [];
  const historyResults: HistoryResult[] = [];
  let big: MainResult | null = null;
  for (const db of dbs) {
    mainResults.push(await mainRun(db, mainSet, `${db}-main`, args.reportRuns, args));
    if (weekSet && olderSet) historyResults.push(await historyRun(db, weekSet, olderSet, args));
  }
  if (bigSet) big = await mainRun('mysql', bigSet, `mysql-${args.scale}x`, Math.min(args.reportRuns, 2), args);
  const floors = args.skipFloors ? null : await measureFloors(mainSet, dbs, args);

  const targetChecks = checks(mainResults, historyResults, big);
  const dataSets = [mainSet, weekSet, olderSet, bigSet]
    .filter((s): s is DataSet => s !== null)
    .map(({ name, options, rows, bytes, generatedMs }) => ({ name, options, rows, bytes, generatedMs }));
  const results = {
    machine: info,
    args,
    dataSets,
    main: mainResults,
    history: historyResults,
    large: big,
    floors,
    targets: targetChecks,
    benchWallS: round((now() - benchStarted) / 1000, 1),
  };
  await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);

  const out: string[] = [];
  out.push(`Store Monitor benchmark, ${info.date}: ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}` +
    (info.mariadb ? `, MariaDB ${info.mariadb} (buffer pool ${info.innodbBufferPoolMiB} MiB)` : '') + `, SQLite ${info.sqlite}`);
  out.push(`main set: ${fmt(mainSet.rows.polls)} polls, ${fmt(mainSet.rows.business_hours)} hours rows, ${fmt(mainSet.rows.timezones)} zones, ${mainSet.options.stores} stores, ${mainSet.options.days} days`);
  out.push('');
  out.push(resultTable(mainResults, historyResults, big));
  if (floors) {
    out.push('');
    out.push(
      table(
        ['floor (outside the service)', 'time (s)', 'rows/s'],
        [
          [`read ${round(mainSet.bytes.polls / 2 ** 20)} MiB polls file`, fmt(floors.readFile.ms / 1000, 2), `${fmt(floors.readFile.mbPerSec)} MiB/s`],
          ['fast-csv parse', fmt(floors.csvParse.ms / 1000, 2), fmt(floors.csvParse.rowsPerSec)],
          ['fast-csv parse + row validation', fmt(floors.csvParseAndValidate.ms / 1000, 2), fmt(floors.csvParseAndValidate.rowsPerSec)],
          ...(floors.mysqlLoadData ? [['MariaDB LOAD DATA into an empty table', fmt(floors.mysqlLoadData.ms / 1000, 2), fmt(floors.mysqlLoadData.rowsPerSec)]] : []),
          ...(floors.sqliteBulkInsert ? [['SQLite prepared INSERT into an empty table', fmt(floors.sqliteBulkInsert.ms / 1000, 2), fmt(floors.sqliteBulkInsert.rowsPerSec)]] : []),
        ],
      ),
    );
  }
  out.push('');
  out.push(
    table(
      ['target', 'database', 'measured', 'target', 'met'],
      targetChecks.map((c) => [c.what, c.database, `${fmt(c.value, c.unit === 'polls/s' || c.unit === 'MB' ? 0 : 2)} ${c.unit}`, c.target, c.met ? 'yes' : 'NO']),
    ),
  );
  if (args.cpuProf) {
    for (const r of [...mainResults, ...(big ? [big] : [])]) {
      for (const profile of [r.import.profile, r.report.profile]) {
        if (profile) out.push('', formatProfileSummary(profile, summarizeProfile(profile, 15)));
      }
    }
  }
  out.push('', `results written to ${args.out} (bench took ${fmt(results.benchWallS, 0)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
