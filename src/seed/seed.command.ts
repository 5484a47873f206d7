import { Command, CommandRunner, Option } from 'nest-commander';
import { SeedService } from './seed.service';
import { DEFAULT_FEED_OPTIONS, resolveFeedOptions } from './synthetic-feed';

interface SeedOptions {
  stores?: number;
  days?: number;
  end?: string;
  seed?: string;
  interval?: number;
  out?: string;
}

function toNumber(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} must be a number (got "${value}")`);
  return n;
}

@Command({
  name: 'seed',
  description:
    'Generate a realistic synthetic data set (deterministic for a seed). With --out, write the three CSV ' +
    'files there; without, import them and print the import summary JSON.',
})
export class SeedCommand extends CommandRunner {
  constructor(private readonly seeder: SeedService) {
    super();
  }

  async run(_params: string[], options: SeedOptions): Promise<void> {
    const feed = resolveFeedOptions({
      stores: options.stores,
      days: options.days,
      end: options.end,
      seed: options.seed,
      intervalMinutes: options.interval,
    });
    if (options.out) {
      const written = await this.seeder.writeFiles(options.out, feed);
      process.stdout.write(`${JSON.stringify({ options: feed, files: written.files, rows: written.stats }, null, 2)}\n`);
    } else {
      const summary = await this.seeder.seedDatabase(feed);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    }
  }

  @Option({ flags: '--stores <n>', description: `number of stores (default ${DEFAULT_FEED_OPTIONS.stores})` })
  parseStores(value: string) {
    return toNumber('--stores', value);
  }

  @Option({ flags: '--days <d>', description: `days of polls (default ${DEFAULT_FEED_OPTIONS.days})` })
  parseDays(value: string) {
    return toNumber('--days', value);
  }

  @Option({ flags: '--end <instant>', description: `end of the polls window, ISO (default ${DEFAULT_FEED_OPTIONS.end})` })
  parseEnd(value: string) {
    return value;
  }

  @Option({ flags: '--seed <s>', description: `any string or number (default ${DEFAULT_FEED_OPTIONS.seed})` })
  parseSeed(value: string) {
    return value;
  }

  @Option({
    flags: '--interval <minutes>',
    description: `mean minutes between two polls of a store (default ${DEFAULT_FEED_OPTIONS.intervalMinutes}; 60 = hourly)`,
  })
  parseInterval(value: string) {
    return toNumber('--interval', value);
  }

  @Option({ flags: '--out <dir>', description: 'write the CSV files into this folder instead of importing them' })
  parseOut(value: string) {
    return value;
  }
}
