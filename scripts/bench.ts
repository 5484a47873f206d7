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
 * 4. Prints a table and writes everything as JSON (--out, default bench-data/bench-results.json).
 *
 * Every wait is bounded and fails with a clear error. Run `node dist/scripts/bench.js --help`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsv } from 'fast-csv';
import { POLLS_FEED } from '../src/ingestion/utils/feed-specs.util';
import { FEED_FILE_NAMES, writeSyntheticFeeds } from '../src/seed/feed-files.util';
import { DEFAULT_FEED_OPTIONS, resolveFeedOptions, SyntheticFeedOptions } from '../src/seed/synthetic-feed';
import { formatProfileSummary, summarizeProfile } from './bench-profile';

// ---------------------------------------------------------------------------------------------
// Options

const ROOT = resolve(__dirname, '..', '..');
/**
 * The servers run from a copy of dist/ taken when the bench starts, so that a rebuild during a
 * long run (another engineer's `npm run build`) cannot change the code under test half-way.
 * Modules still resolve from ROOT/node_modules (the copy lives below ROOT).
 */
let SNAPSHOT = join(ROOT, 'dist');
/** Stores of the history comparison: 8 weeks of them is 1.8 M polls more to import per database. */
const DEFAULT_HISTORY_STORES = 1000;
const MAIN_JS = join(ROOT, 'dist', 'src', 'main.js');
const serverScript = (profiled: boolean) => join(SNAPSHOT, profiled ? join('scripts', 'bench-server.js') : join('src', 'main.js'));

/** Copies dist/ to DIR/dist-snapshot and returns a digest of its .js files. */
async function snapshotDist(dataDir: string): Promise<{ dir: string; sha256: string; files: number }> {
  const dir = resolve(dataDir, 'dist-snapshot');
  await rm(dir, { recursive: true, force: true });
  await cp(join(ROOT, 'dist'), dir, { recursive: true });
  return { dir, ...(await digestJs(dir)) };
}

async function digestJs(dir: string): Promise<{ sha256: string; files: number }> {
  const hash = createHash('sha256');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.js') && !f.startsWith('scripts')).sort();
  for (const f of files) hash.update(f).update(await readFile(join(dir, f)));
  return { sha256: hash.digest('hex').slice(0, 16), files: files.length };
}

/** The checked-out commit, read from .git's files (no git command). */
function gitCommit(): string | null {
  try {
    const head = readFileSync(join(ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    const loose = join(ROOT, '.git', ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = readFileSync(join(ROOT, '.git', 'packed-refs'), 'utf8');
    return new RegExp(`^([0-9a-f]{40}) ${ref}$`, 'm').exec(packed)?.[1] ?? null;
  } catch {
    return null;
  }
}

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
  --history-stores N  stores of the comparison (default: the smaller of --stores and ${DEFAULT_HISTORY_STORES})
  --skip-floors       skip the floor measurements
  --report-runs R     reports per measurement, the median is kept (default 3)
  --mysql-url URL     MariaDB server (default mysql://root@127.0.0.1:3306)
  --data-dir DIR      where data sets, databases and logs go (default bench-data)
  --out FILE          JSON results (default bench-data/bench-results.json)
  --cpu-prof          profile each server's main thread (V8 sampler) into DIR/profiles
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
    out: 'bench-data/bench-results.json',
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
async function postImport(port: number, files: Partial<Record<FeedName, string>>, timeoutMs: number): Promise<HttpResponse> {
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
    const child = spawn(process.execPath, [serverScript(profile)], {
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

  /**
   * Writes the main thread's profile since the server started (only with --cpu-prof); each
   * server runs one phase, so the file is named after the server. Worker threads are not sampled.
   */
  async saveProfile(): Promise<string | null> {
    if (!this.profileDir || !this.child.send) return null;
    const path = join(this.profileDir, `${this.name}.cpuprofile`);
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
  /** Peak RSS of the server process, started for this import (VmHWM). */
  peakRssMb: number;
  /** Set when the import in one request failed and was done again in parts (see importPhase). */
  firstAttempt?: string;
  /** MariaDB's global local_infile before and after the import (another process may switch it). */
  localInfile?: { before: boolean; after: boolean };
  profile: string | null;
}

async function localInfileOn(args: BenchArgs): Promise<boolean> {
  return mysqlAdmin(args, async (conn) => {
    const [rows] = (await conn.query('SELECT @@GLOBAL.local_infile AS v')) as unknown as [Array<{ v: number | string }>];
    return Number(rows[0].v) === 1;
  });
}

type FeedName = 'polls' | 'business_hours' | 'timezones';

/** One POST /import; checks that every row of every file was read and none rejected. */
async function postAndCheck(server: ServerProcess, files: Partial<Record<FeedName, string>>, expected: Partial<Record<FeedName, number>>, args: BenchArgs) {
  const res = await postImport(server.port, files, args.importTimeoutS * 1000);
  if (res.status !== 200) throw new Error(`POST /import answered ${res.status}: ${res.body.toString().slice(0, 500)}`);
  const summary = JSON.parse(res.body.toString()) as Record<string, FeedSummary>;
  for (const feed of Object.keys(files) as FeedName[]) {
    const s = summary[feed];
    if (!s) throw new Error(`POST /import: no summary for ${feed}`);
    if (s.rejected > 0) throw new Error(`POST /import rejected ${s.rejected} ${feed} rows: ${JSON.stringify(s.errors.slice(0, 3))}`);
    if (expected[feed] !== undefined && s.read !== expected[feed]) throw new Error(`POST /import read ${s.read} ${feed} rows, the file has ${expected[feed]}`);
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

const HOURS_PART_ROWS = 50_000;

/**
 * Imports feeds of a data set over HTTP: all of them in one POST /import, as a client sends them.
 * If the server fails that request with a 500 and the business-hours file is large, the failure is
 * recorded (see `firstAttempt`) and the import is done again with the hours file cut into parts of
 * 50,000 rows between stores; the wall time is then the sum of those requests.
 */
async function importPhase(server: ServerProcess, db: Db, set: DataSet, feeds: FeedName[], args: BenchArgs): Promise<ImportResult> {
  const infileBefore = db === 'mysql' ? await localInfileOn(args) : undefined;
  const logStart = server.logLines().length;
  log(`${server.name}: POST /import ${feeds.join(', ')} of ${set.name} (${set.rows.polls.toLocaleString('en-US')} polls)…`);
  const expected = Object.fromEntries(feeds.map((f) => [f, set.rows[f]]));
  let wallMs = 0;
  let summary: Record<string, FeedSummary>;
  let firstAttempt: string | undefined;
  let measuredFrom = logStart;
  try {
    const done = await postAndCheck(server, Object.fromEntries(feeds.map((f) => [f, set.files[f]])), expected, args);
    wallMs = done.ms;
    summary = done.summary;
  } catch (error) {
    const message = (error as Error).message;
    if (!feeds.includes('business_hours') || set.rows.business_hours <= HOURS_PART_ROWS || !/answered 5\d\d/.test(message)) throw error;
    const serverError = server.logLines().slice(logStart).find((l) => /ERROR/.test(l)) ?? '';
    firstAttempt = `${message}; server log: ${serverError.replace(/^.*ERROR\s*/, '')}`;
    log(`WARNING: ${server.name}: the import failed (${firstAttempt}); importing again with the ${set.rows.business_hours.toLocaleString('en-US')}-row hours file in parts of ${HOURS_PART_ROWS.toLocaleString('en-US')} rows`);
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
  }
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
    summary: Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, { ...v, errors: undefined }])) as ImportResult['summary'],
    ...(firstAttempt ? { firstAttempt } : {}),
    peakRssMb: server.memory().peakMb,
    profile: await server.saveProfile(),
  };
  if (infileBefore !== undefined) {
    result.localInfile = { before: infileBefore, after: await localInfileOn(args) };
    if (!result.localInfile.before || !result.localInfile.after) {
      log(`WARNING: MariaDB's local_infile was OFF (${JSON.stringify(result.localInfile)}): the import may have used the INSERT fallback`);
    }
  }
  log(`${server.name}: import ${round(result.wallMs / 1000, 2)} s, ${result.pollsPerSec.toLocaleString('en-US')} polls/s, server ${JSON.stringify(serverFeedMs)}, peak RSS ${result.peakRssMb} MB`);
  return result;
}

interface ReportRun {
  wallMs: number;
  /** The server's own log line "report <id>: N stores in M ms". */
  serverMs: number | null;
  rows: number;
  csvBytes: number;
  csvSha256: string;
  samples: number;
}

interface ReportResult {
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
  return {
    wallMs: Math.round(at - started),
    serverMs: logged ? Number(logged[1]) : null,
    rows: lines.length - 1,
    csvBytes: res.body.length,
    csvSha256: createHash('sha256').update(res.body).digest('hex'),
    samples,
  };
}

async function reportPhase(server: ServerProcess, label: string, expectedRows: number, runs: number, args: BenchArgs): Promise<ReportResult> {
  const rssAtStartMb = server.memory().rssMb;
  const latencies: number[] = [];
  const results: ReportRun[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await oneReport(server, expectedRows, args.reportTimeoutS * 1000, latencies));
    log(`${server.name}: report ${label} #${i + 1}: ${round(results[i].wallMs / 1000, 2)} s (server ${results[i].serverMs} ms, ${results[i].samples} GETs)`);
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
  log(`${server.name}: reports ${label}: median ${round(result.medianMs / 1000, 2)} s, GET p50/p99 ${result.getReport.p50Ms}/${result.getReport.p99Ms} ms, RSS ${rssAtStartMb} → peak ${result.peakRssMb} MB`);
  return result;
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

async function withDatabase<T>(db: Db, name: string, args: BenchArgs, fn: (url: string) => Promise<T>): Promise<T> {
  const url = await freshDatabase(db, name, args);
  try {
    return await fn(url);
  } finally {
    await dropDatabase(db, url, args);
  }
}

/** Runs `fn` against a server started for it alone, so that its peak RSS is that phase's. */
async function withServer<T>(name: string, url: string, args: BenchArgs, fn: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await ServerProcess.start(name, url, args.dataDir, args.cpuProf);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

const ALL_FEEDS: FeedName[] = ['timezones', 'business_hours', 'polls'];

interface MainResult {
  database: Db;
  dataSet: string;
  stores: number;
  import: ImportResult;
  report: ReportResult;
  /** max(peak of the import's server, peak of the reports' server): the service's peak RSS. */
  peakRssMb: number;
}

/**
 * Import into a fresh database with one server process, then the reports with another one on
 * the same database: each phase's peak RSS is its own, not what the one before left in the heap.
 */
async function mainRun(db: Db, set: DataSet, name: string, runs: number, args: BenchArgs): Promise<MainResult> {
  return withDatabase(db, name, args, async (url) => {
    const imported = await withServer(`${name}-import`, url, args, (server) => importPhase(server, db, set, ALL_FEEDS, args));
    const report = await withServer(`${name}-report`, url, args, (server) => reportPhase(server, set.name, set.options.stores, runs, args));
    return {
      database: db,
      dataSet: set.name,
      stores: set.options.stores,
      import: imported,
      report,
      peakRssMb: Math.max(imported.peakRssMb, report.peakRssMb),
    };
  });
}

interface HistoryResult {
  database: Db;
  stores: number;
  weeks: number;
  oneWeek: { polls: number; import: ImportResult; reportMedianMs: number; report: ReportResult };
  history: { polls: number; olderImport: ImportResult; reportMedianMs: number; report: ReportResult };
  /** Report time with all the history / with one week. */
  ratio: number;
}

/** The last week alone, then the same database with the weeks before it added: same stores, same last week. */
async function historyRun(db: Db, week: DataSet, older: DataSet, args: BenchArgs): Promise<HistoryResult> {
  const name = `${db}-history`;
  return withDatabase(db, name, args, async (url) => {
    const weekImport = await withServer(`${name}-import-week`, url, args, (server) => importPhase(server, db, week, ALL_FEEDS, args));
    const oneWeek = await withServer(`${name}-report-week`, url, args, (server) => reportPhase(server, '1 week', week.options.stores, Math.max(args.reportRuns, 5), args));
    const olderImport = await withServer(`${name}-import-older`, url, args, (server) => importPhase(server, db, older, ['polls'], args));
    const history = await withServer(`${name}-report-${args.historyWeeks}w`, url, args, (server) =>
      reportPhase(server, `${args.historyWeeks} weeks`, week.options.stores, Math.max(args.reportRuns, 5), args),
    );
    return {
      database: db,
      stores: week.options.stores,
      weeks: args.historyWeeks,
      oneWeek: { polls: week.rows.polls, import: weekImport, reportMedianMs: oneWeek.medianMs, report: oneWeek },
      history: { polls: week.rows.polls + older.rows.polls, olderImport, reportMedianMs: history.medianMs, report: history },
      ratio: round(history.medianMs / oneWeek.medianMs, 2),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Floors: what the parts cost alone, outside the service

interface Rate {
  ms: number;
  rowsPerSec: number;
}

interface Floors {
  rows: number;
  readFile: { ms: number; mbPerSec: number };
  /** fast-csv alone, with the import's options: the parser the import uses. */
  fastCsvParse: Rate;
  /** The import's row validation (POLLS_FEED.parse) alone, on rows already split. */
  validate: Rate;
  /** fast-csv + validation: the import's CPU floor before any database work. */
  fastCsvParseAndValidate: Rate;
  /** Lines split with String.split (valid for this file: no quotes) + validation. */
  plainSplitAndValidate: Rate;
  mysql?: {
    /** LOAD DATA LOCAL of 100,000-row batches in file order: what the MySQL writer sends. */
    loadDataFileOrder: Rate;
    /** The same batches, each sorted by primary key first. */
    loadDataBatchSorted: Rate;
  };
  sqlite?: {
    /** Prepared INSERT, 20,000-row transactions, default cache, file order: the SQLite writer's shape without its SELECT. */
    insert20kTransactions: Rate;
    /** Prepared INSERT, 250,000-row transactions, 128 MiB cache, WAL checkpoint every 32,768 pages. */
    insert250kTransactionsBigCache: Rate;
  };
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

const rate = (rows: number, ms: number): Rate => ({ ms: Math.round(ms), rowsPerSec: Math.round(rows / (ms / 1000)) });

/**
 * What each part of the import costs alone, outside the service, on the main set's polls: reading
 * the file, parsing it, validating rows, and each database's own bulk load of the same rows into an
 * empty table with the poll table's schema.
 */
async function measureFloors(set: DataSet, dbs: Db[], args: BenchArgs): Promise<Floors> {
  const path = set.files.polls;
  log(`floors: reading and parsing ${path}…`);
  let started = now();
  await new Promise<void>((r, reject) => createReadStream(path, { highWaterMark: 1 << 20 }).on('data', () => undefined).on('end', r).on('error', reject));
  const readMs = now() - started;

  started = now();
  const csvRows = (await parseFile(path, () => undefined)) - 1;
  const fastCsvMs = now() - started;

  // Plain split + validation; the rows are kept (columnar) for the database floors.
  const ids: string[] = [];
  const times: number[] = [];
  const actives: number[] = [];
  let validateMs = 0;
  started = now();
  const text = await readFile(path, 'latin1');
  let at = text.indexOf('\n') + 1;
  while (at < text.length) {
    let next = text.indexOf('\n', at);
    if (next < 0) next = text.length;
    const values = text.slice(at, next).split(',');
    at = next + 1;
    const t = now();
    const p = POLLS_FEED.parse(values.map((v) => v.trim()));
    validateMs += now() - t;
    if (typeof p === 'string') throw new Error(`floor: a row is refused: ${p}`);
    ids.push(p.storeId);
    times.push(p.timestampUs);
    actives.push(p.active ? 1 : 0);
  }
  const splitMs = now() - started;
  const rows = ids.length;
  if (rows !== csvRows) throw new Error(`floor: fast-csv read ${csvRows} rows, the split ${rows}`);
  const floors: Floors = {
    rows,
    readFile: { ms: Math.round(readMs), mbPerSec: round(set.bytes.polls / 2 ** 20 / (readMs / 1000)) },
    fastCsvParse: rate(rows, fastCsvMs),
    validate: rate(rows, validateMs),
    fastCsvParseAndValidate: rate(rows, fastCsvMs + validateMs),
    plainSplitAndValidate: rate(rows, splitMs),
  };

  const byKey = (a: number, b: number) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : times[a] - times[b]);
  const batches = (size: number, sorted: boolean): number[][] => {
    const out: number[][] = [];
    for (let i = 0; i < rows; i += size) {
      const batch = Array.from({ length: Math.min(size, rows - i) }, (_, k) => i + k);
      if (sorted) batch.sort(byKey);
      out.push(batch);
    }
    return out;
  };

  if (dbs.includes('mysql')) {
    floors.mysql = await mysqlAdmin(args, async (conn) => {
      const db = `${MYSQL_DB}_floor`;
      const load = async (label: string, sorted: boolean): Promise<Rate> => {
        log(`floors: MariaDB LOAD DATA LOCAL INFILE, 100,000-row batches, ${label}…`);
        await conn.query(`DROP DATABASE IF EXISTS ${db}`);
        await conn.query(`CREATE DATABASE ${db}`);
        await conn.query(
          `CREATE TABLE ${db}.poll (
             store_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
             timestamp_us BIGINT NOT NULL,
             active BOOLEAN NOT NULL,
             PRIMARY KEY (store_id, timestamp_us)
           ) ENGINE=InnoDB`,
        );
        // The TSV is built before the clock starts: this is the server's cost alone.
        const tsv = batches(100_000, sorted).map((b) => Buffer.from(b.map((i) => `${ids[i]}\t${times[i]}\t${actives[i]}\n`).join(''), 'latin1'));
        const t = now();
        for (const buffer of tsv) {
          await conn.query({
            sql: `LOAD DATA LOCAL INFILE 'polls.tsv' IGNORE INTO TABLE ${db}.poll CHARACTER SET ascii
                  FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (store_id, timestamp_us, active)`,
            infileStreamFactory: () => Readable.from(chunksOf(buffer, 1 << 20)),
          } as never);
        }
        return rate(rows, now() - t);
      };
      try {
        return { loadDataFileOrder: await load('file order', false), loadDataBatchSorted: await load('each sorted by key', true) };
      } finally {
        await conn.query(`DROP DATABASE IF EXISTS ${db}`);
      }
    });
  }

  if (dbs.includes('sqlite')) {
    const Database = (await import('better-sqlite3')).default;
    const file = resolve(args.dataDir, 'db', 'floor.db');
    await mkdir(join(args.dataDir, 'db'), { recursive: true });
    const insert = (label: string, size: number, pragmas: string[]): Rate => {
      log(`floors: SQLite prepared INSERT, ${label}…`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      const sqlite = new Database(file);
      try {
        for (const p of ['journal_mode = WAL', 'synchronous = NORMAL', ...pragmas]) sqlite.pragma(p);
        sqlite.exec(`CREATE TABLE poll (store_id VARCHAR(64) NOT NULL, timestamp_us BIGINT NOT NULL, active BOOLEAN NOT NULL,
                     PRIMARY KEY (store_id, timestamp_us)) WITHOUT ROWID`);
        const stmt = sqlite.prepare('INSERT OR IGNORE INTO poll (store_id, timestamp_us, active) VALUES (?, ?, ?)');
        const batch = sqlite.transaction((from: number, to: number) => {
          for (let i = from; i < to; i++) stmt.run(ids[i], times[i], actives[i]);
        });
        const t = now();
        for (let i = 0; i < rows; i += size) batch(i, Math.min(rows, i + size));
        return rate(rows, now() - t);
      } finally {
        sqlite.close();
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      }
    };
    floors.sqlite = {
      insert20kTransactions: insert('20,000-row transactions, default cache, file order', 20_000, []),
      insert250kTransactionsBigCache: insert('250,000-row transactions, 128 MiB cache, file order', 250_000, [
        'cache_size = -131072',
        'wal_autocheckpoint = 32768',
      ]),
    };
  }
  return floors;
}

function* chunksOf(buffer: Buffer, size: number) {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
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
    /** 1-minute load average when the bench started: other work on the machine skews every figure. */
    loadAverageAtStart: round(os.loadavg()[0], 2),
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
    row('peak RSS of the import (MB)', (r) => fmt(r.import.peakRssMb), ''),
    row('report trigger→Complete, median (s)', (r) => fmt(r.report.medianMs / 1000, 2), '≤ 3 (10x: ≤ 30)'),
    row('report min / max (s)', (r) => `${fmt(r.report.minMs / 1000, 2)} / ${fmt(r.report.maxMs / 1000, 2)}`, ''),
    row('RSS at start → peak of the reports (MB)', (r) => `${fmt(r.report.rssAtStartMb)} → ${fmt(r.report.peakRssMb)}`, ''),
    row('peak RSS of the service (MB)', (r) => fmt(r.peakRssMb), '≤ 400 (10x: ≤ 1,024)'),
    row('GET /get_report while running, p50 / p99 (ms)', (r) => `${fmt(r.report.getReport.p50Ms, 1)} / ${fmt(r.report.getReport.p99Ms, 1)}`, 'p99 ≤ 50'),
  ];
  if (history.length > 0) {
    const h0 = history[0];
    const cells = all.map((r) => {
      const h = r === big ? undefined : history.find((x) => x.database === r.database);
      return h ? `${fmt(h.oneWeek.reportMedianMs / 1000, 2)} → ${fmt(h.history.reportMedianMs / 1000, 2)} (${fmt(h.ratio, 2)}×)` : '';
    });
    rows.push([`report, 1 week → ${h0.weeks} weeks of polls, ${h0.stores} stores (s)`, ...cells, '≤ 1.3×']);
    rows.push([
      `import of the ${h0.weeks - 1} older weeks into a populated table, polls/s`,
      ...all.map((r) => {
        const h = r === big ? undefined : history.find((x) => x.database === r.database);
        return h ? fmt(h.history.olderImport.pollsPerSec) : '';
      }),
      '',
    ]);
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
  const historyStores = args.historyStores ?? Math.min(args.stores, DEFAULT_HISTORY_STORES);
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
  const commit = gitCommit();
  const builtAt = statSync(MAIN_JS).mtime.toISOString();
  const snapshot = await snapshotDist(args.dataDir);
  SNAPSHOT = snapshot.dir;
  const build = { commit, builtAt, distSha256: snapshot.sha256, distFiles: snapshot.files, distChangedDuringRun: false };
  log(`code under test: commit ${commit?.slice(0, 12)}, dist built ${builtAt}, digest ${snapshot.sha256} (running from ${snapshot.dir})`);

  // A phase that fails is recorded and the others still run.
  const failures: Array<{ phase: string; error: string }> = [];
  const attempt = async <T>(phase: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`FAILED: ${phase}: ${message}`);
      failures.push({ phase, error: message });
      return null;
    }
  };
  const mainResults: MainResult[] = [];
  const historyResults: HistoryResult[] = [];
  for (const db of dbs) {
    const m = await attempt(`${db} main`, () => mainRun(db, mainSet, `${db}-main`, args.reportRuns, args));
    if (m) mainResults.push(m);
    if (weekSet && olderSet) {
      const h = await attempt(`${db} history`, () => historyRun(db, weekSet, olderSet, args));
      if (h) historyResults.push(h);
    }
  }
  const big = bigSet ? await attempt(`mysql ${args.scale}x`, () => mainRun('mysql', bigSet, `mysql-${args.scale}x`, Math.min(args.reportRuns, 2), args)) : null;
  const floors = args.skipFloors ? null : await attempt('floors', () => measureFloors(mainSet, dbs, args));

  build.distChangedDuringRun = (await digestJs(join(ROOT, 'dist'))).sha256 !== snapshot.sha256;
  if (build.distChangedDuringRun) log('NOTE: dist/ was rebuilt during the run; the figures are of the snapshot taken at the start');
  const targetChecks = checks(mainResults, historyResults, big);
  for (const f of failures) targetChecks.push({ what: `${f.phase}: failed`, database: f.phase.split(' ')[0], value: Number.NaN, unit: '', target: 'runs', met: false });
  const dataSets = [mainSet, weekSet, olderSet, bigSet]
    .filter((s): s is DataSet => s !== null)
    .map(({ name, options, rows, bytes, generatedMs }) => ({ name, options, rows, bytes, generatedMs }));
  const results = {
    machine: info,
    build,
    args,
    dataSets,
    main: mainResults,
    history: historyResults,
    large: big,
    floors,
    failures,
    /** Both databases gave the same CSV for the main set (SPEC: both stores give identical reports). */
    reportsAgree: mainResults.length < 2 ? null : new Set(mainResults.map((m) => m.report.csvSha256)).size === 1,
    targets: targetChecks,
    benchWallS: round((now() - benchStarted) / 1000, 1),
    loadAverageAtEnd: round(os.loadavg()[0], 2),
  };
  await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);

  const out: string[] = [];
  out.push(`Store Monitor benchmark, ${info.date}: ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}` +
    (info.mariadb ? `, MariaDB ${info.mariadb} (buffer pool ${info.innodbBufferPoolMiB} MiB)` : '') + `, SQLite ${info.sqlite}`);
  out.push(`code: commit ${build.commit?.slice(0, 12) ?? 'unknown'}, dist built ${build.builtAt}, digest ${build.distSha256}${build.distChangedDuringRun ? ' (dist/ rebuilt during the run; the snapshot was measured)' : ''}`);
  out.push(`main set: ${fmt(mainSet.rows.polls)} polls, ${fmt(mainSet.rows.business_hours)} hours rows, ${fmt(mainSet.rows.timezones)} zones, ${mainSet.options.stores} stores, ${mainSet.options.days} days`);
  out.push('');
  out.push(resultTable(mainResults, historyResults, big));
  if (floors) {
    const r = (x: Rate) => [fmt(x.ms / 1000, 2), fmt(x.rowsPerSec)];
    out.push('');
    out.push(
      table(
        [`floor: ${fmt(floors.rows)} polls of the main set, outside the service`, 'time (s)', 'rows/s'],
        [
          [`read the ${round(mainSet.bytes.polls / 2 ** 20)} MiB file`, fmt(floors.readFile.ms / 1000, 2), `${fmt(floors.readFile.mbPerSec)} MiB/s`],
          ['fast-csv parse (the import\'s parser)', ...r(floors.fastCsvParse)],
          ['row validation alone (POLLS_FEED.parse)', ...r(floors.validate)],
          ['fast-csv parse + validation', ...r(floors.fastCsvParseAndValidate)],
          ['String.split lines + validation', ...r(floors.plainSplitAndValidate)],
          ...(floors.mysql
            ? [
                ['MariaDB LOAD DATA, 100k-row batches, file order', ...r(floors.mysql.loadDataFileOrder)],
                ['MariaDB LOAD DATA, 100k-row batches, each sorted by key', ...r(floors.mysql.loadDataBatchSorted)],
              ]
            : []),
          ...(floors.sqlite
            ? [
                ['SQLite INSERT, 20k-row transactions, default cache', ...r(floors.sqlite.insert20kTransactions)],
                ['SQLite INSERT, 250k-row transactions, 128 MiB cache', ...r(floors.sqlite.insert250kTransactionsBigCache)],
              ]
            : []),
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
  for (const f of failures) out.push('', `FAILED ${f.phase}: ${f.error}`);
  for (const r of [...mainResults, ...(big ? [big] : [])]) {
    if (r.import.firstAttempt) out.push('', `NOTE ${r.dataSet} on ${r.database}: the import in one request failed (${r.import.firstAttempt}); measured with the hours file in parts.`);
  }
  if (results.reportsAgree !== null) out.push('', `main-set reports identical on both databases: ${results.reportsAgree ? 'yes' : 'NO'}`);
  out.push('', `results written to ${args.out} (bench took ${fmt(results.benchWallS, 0)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
