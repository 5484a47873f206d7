import type { CliCommand } from '../common/cli-command';

/** `import`'s name, description and options: its command class and the CLI's help without Nest read them here. */
export const IMPORT_COMMAND = {
  command: { name: 'import', description: 'Import feed CSV files; prints a JSON summary per feed on stdout' },
  options: {
    polls: { flags: '--polls <file>', description: 'store status polls CSV' },
    businessHours: { flags: '--business-hours <file>', description: 'business hours CSV' },
    timezones: { flags: '--timezones <file>', description: 'store timezones CSV' },
  },
} satisfies CliCommand;
