import { Command, CommandRunner, Option } from 'nest-commander';
import { SEED_COMMAND } from './seed.command-meta';
import { SeedService } from './seed.service';
import { resolveFeedOptions } from './synthetic-feed';

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

@Command(SEED_COMMAND.command)
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

  @Option(SEED_COMMAND.options.stores)
  parseStores(value: string) {
    return toNumber('--stores', value);
  }

  @Option(SEED_COMMAND.options.days)
  parseDays(value: string) {
    return toNumber('--days', value);
  }

  @Option(SEED_COMMAND.options.end)
  parseEnd(value: string) {
    return value;
  }

  @Option(SEED_COMMAND.options.seed)
  parseSeed(value: string) {
    return value;
  }

  @Option(SEED_COMMAND.options.interval)
  parseInterval(value: string) {
    return toNumber('--interval', value);
  }

  @Option(SEED_COMMAND.options.out)
  parseOut(value: string) {
    return value;
  }
}
