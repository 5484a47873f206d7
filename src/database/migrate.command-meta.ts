import type { CliCommand } from '../common/cli-command';

/** `migrate`'s name, description and options: its command class and the CLI's help without Nest read them here. */
export const MIGRATE_COMMAND = {
  command: { name: 'migrate', description: 'Apply pending database migrations; prints a JSON summary on stdout' },
  options: {},
} satisfies CliCommand;
