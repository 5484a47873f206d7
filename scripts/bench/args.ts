/** The bench's options: defaults, --help and the parsing of the command line. */
import { DEFAULT_FEED_OPTIONS } from '../../src/seed/synthetic-feed';

/** Stores of the history comparison: 8 weeks of them is 1.8 M polls more to import per database. */
export const DEFAULT_HISTORY_STORES = 1000;

const HELP = `npm run bench -- [options]   (or: node dist/scripts/bench/main.js [options])

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
  --report-runs R     reports per measurement, the median is kept (default 3; also the CLI's)
  --paired-rounds P   MariaDB floor-then-import pairs for the import's ratio to its floor (default 3;
                      0 skips them; with the floors)
  --skip-cli          skip the CLI phase (MariaDB: the report command against a raw scan of the
                      week, under load, and the CLI's start)
  --mysql-url URL     MariaDB server (default mysql://root@127.0.0.1:3306)
  --mysql-db NAME     MariaDB database the bench drops and creates (default store_monitor_bench;
                      NAME_floor for the floors): give each concurrent run on one server its own
  --data-dir DIR      where data sets, databases and logs go (default bench-data)
  --out FILE          JSON results (default bench-data/bench-results.json)
  --cpu-prof          profile each server's main thread (V8 sampler) into DIR/profiles
  --import-timeout S  bound of one import in seconds (default 1800)
  --report-timeout S  bound of one report in seconds (default 600)
  --store-view        instead of the above: the latency of GET /stores/:store_id (store-view.ts),
                      without and with a report running (--out default bench-data/store-view-results.json)
  --view-stores N     random stores asked for in each store-view measurement (default 1000)
  --health-probe      instead of the above: GET /health latency during an import, a re-import and
                      the history's polls, one server per database (health-probe.ts; --out default
                      bench-data/health-probe-results.json; with --cpu-prof, the main thread's long tasks)
  --concurrent-imports  instead of the above: 100 small polls imports at once, peak RSS and time to
                      the last answer (concurrent-imports.ts; --out default bench-data/concurrent-imports-results.json)
  --cli-only          instead of the above: the main set imported into MariaDB, one HTTP report (the
                      CSV to compare), then the CLI phase alone (cli-phase.ts; --out default
                      bench-data/cli-results.json)
`;

export interface BenchArgs {
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
  /** Floor-then-import pairs on MariaDB (paired-floor.ts); 0: none. */
  pairedRounds: number;
  skipCli: boolean;
  cliOnly: boolean;
  mysqlUrl: string;
  mysqlDb: string;
  dataDir: string;
  out: string;
  cpuProf: boolean;
  importTimeoutS: number;
  reportTimeoutS: number;
  storeView: boolean;
  viewStores: number;
  healthProbe: boolean;
  concurrentImports: boolean;
}

export function parseArgs(argv: string[]): BenchArgs {
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
    pairedRounds: 3,
    skipCli: false,
    cliOnly: false,
    mysqlUrl: 'mysql://root@127.0.0.1:3306',
    mysqlDb: 'store_monitor_bench',
    dataDir: 'bench-data',
    out: 'bench-data/bench-results.json',
    cpuProf: false,
    importTimeoutS: 1800,
    reportTimeoutS: 600,
    storeView: false,
    viewStores: 1000,
    healthProbe: false,
    concurrentImports: false,
  };
  let outGiven = false;
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
      case '--stores':
        args.stores = Math.round(num(flag, value(), 1));
        break;
      case '--days':
        args.days = num(flag, value(), 1);
        break;
      case '--interval':
        args.interval = num(flag, value(), 1);
        break;
      case '--seed':
        args.seed = value() ?? args.seed;
        break;
      case '--only': {
        const v = value();
        if (v !== 'sqlite' && v !== 'mysql') throw new Error('--only takes sqlite or mysql');
        args.only = v;
        break;
      }
      case '--scale':
        args.scale = num(flag, value(), 1);
        break;
      case '--skip-10x':
        args.skip10x = true;
        break;
      case '--skip-history':
        args.skipHistory = true;
        break;
      case '--history-weeks':
        args.historyWeeks = Math.round(num(flag, value(), 2));
        break;
      case '--history-stores':
        args.historyStores = Math.round(num(flag, value(), 1));
        break;
      case '--skip-floors':
        args.skipFloors = true;
        break;
      case '--report-runs':
        args.reportRuns = Math.round(num(flag, value(), 1));
        break;
      case '--paired-rounds':
        args.pairedRounds = Math.round(num(flag, value(), 0));
        break;
      case '--skip-cli':
        args.skipCli = true;
        break;
      case '--cli-only':
        args.cliOnly = true;
        break;
      case '--mysql-url':
        args.mysqlUrl = (value() ?? '').replace(/\/+$/, '');
        break;
      case '--mysql-db': {
        const v = value() ?? '';
        if (!/^[A-Za-z0-9_]{1,58}$/.test(v))
          throw new Error('--mysql-db takes a database name of 1-58 characters from [A-Za-z0-9_]');
        args.mysqlDb = v;
        break;
      }
      case '--data-dir':
        args.dataDir = value() ?? args.dataDir;
        break;
      case '--out':
        args.out = value() ?? args.out;
        outGiven = true;
        break;
      case '--cpu-prof':
        args.cpuProf = true;
        break;
      case '--import-timeout':
        args.importTimeoutS = num(flag, value(), 1);
        break;
      case '--report-timeout':
        args.reportTimeoutS = num(flag, value(), 1);
        break;
      case '--store-view':
        args.storeView = true;
        break;
      case '--health-probe':
        args.healthProbe = true;
        break;
      case '--concurrent-imports':
        args.concurrentImports = true;
        break;
      case '--view-stores':
        args.viewStores = Math.round(num(flag, value(), 1));
        break;
      default:
        throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  if ([args.storeView, args.healthProbe, args.concurrentImports, args.cliOnly].filter(Boolean).length > 1)
    throw new Error('--store-view, --health-probe, --concurrent-imports and --cli-only are different runs: give one');
  if (args.cliOnly && args.only === 'sqlite') throw new Error('--cli-only measures on MariaDB: drop --only sqlite');
  if (args.cliOnly && args.skipCli) throw new Error('--cli-only and --skip-cli contradict each other');
  if (args.storeView && !outGiven) args.out = 'bench-data/store-view-results.json';
  if (args.healthProbe && !outGiven) args.out = 'bench-data/health-probe-results.json';
  if (args.concurrentImports && !outGiven) args.out = 'bench-data/concurrent-imports-results.json';
  if (args.cliOnly && !outGiven) args.out = 'bench-data/cli-results.json';
  return args;
}
