import type { CliCommand } from '../common/cli-command';
import { DEFAULT_FEED_OPTIONS } from './synthetic-feed/resolve-feed-options.util';

/** `seed`'s name, description and options: its command class and the CLI's help without Nest read them here. */
export const SEED_COMMAND = {
  command: {
    name: 'seed',
    description:
      'Generate a realistic synthetic data set (deterministic for a seed). With --out, write the three CSV ' +
      'files there; without, import them and print the import summary JSON.',
  },
  options: {
    stores: { flags: '--stores <n>', description: `number of stores (default ${DEFAULT_FEED_OPTIONS.stores})` },
    days: { flags: '--days <d>', description: `days of polls (default ${DEFAULT_FEED_OPTIONS.days})` },
    end: { flags: '--end <instant>', description: `end of the polls window, ISO (default ${DEFAULT_FEED_OPTIONS.end})` },
    seed: { flags: '--seed <s>', description: `any string or number (default ${DEFAULT_FEED_OPTIONS.seed})` },
    interval: {
      flags: '--interval <minutes>',
      description: `mean minutes between two polls of a store (default ${DEFAULT_FEED_OPTIONS.intervalMinutes}; 60 = hourly)`,
    },
    out: { flags: '--out <dir>', description: 'write the CSV files into this folder instead of importing them' },
  },
} satisfies CliCommand;
