import type { CliCommand } from '../common/cli-command';

/** `report`'s name, description and options: its command class and the CLI's help without Nest read them here. */
export const REPORT_COMMAND = {
  command: { name: 'report', description: 'Build the report now; CSV to --out or stdout' },
  options: {
    asOf: { flags: '--as-of <instant>', description: "the report's now (ISO); default the latest poll" },
    out: { flags: '--out <file>', description: 'write the CSV here instead of stdout' },
  },
} satisfies CliCommand;
