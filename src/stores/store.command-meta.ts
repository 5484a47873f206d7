import type { CliCommand } from '../common/cli-command';

/** `store`'s name, description and options: its command class and the CLI's help without Nest read them here. */
export const STORE_COMMAND = {
  command: { name: 'store', arguments: '<store_id>', description: "One store, live: GET /stores/<store_id>'s JSON on stdout" },
  options: {
    asOf: { flags: '--as-of <instant>', description: "the view's now (ISO); default the latest poll" },
  },
} satisfies CliCommand;
