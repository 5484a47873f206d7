import type { CliCommand } from '../common/cli-command';
import { MIGRATE_COMMAND } from '../database/migrate.command-meta';
import { IMPORT_COMMAND } from '../ingestion/import.command-meta';
import { EVENTS_COMMAND } from '../monitor/events.command-meta';
import { STATUS_COMMAND } from '../monitor/status.command-meta';
import { REPORT_COMMAND } from '../reports/report.command-meta';
import { SEED_COMMAND } from '../seed/seed.command-meta';
import { STORE_COMMAND } from '../stores/store.command-meta';

/**
 * Every command of the CLI, in the order `--help` lists them (the order of their modules in
 * CliModule). The help is printed from here without starting Nest, so these files import
 * nothing heavy.
 */
export const CLI_COMMANDS = {
  migrate: MIGRATE_COMMAND,
  import: IMPORT_COMMAND,
  store: STORE_COMMAND,
  status: STATUS_COMMAND,
  events: EVENTS_COMMAND,
  report: REPORT_COMMAND,
  seed: SEED_COMMAND,
} satisfies Record<string, CliCommand>;

export type CliCommandName = keyof typeof CLI_COMMANDS;
