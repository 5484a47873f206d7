import type { CliCommand } from '../common/cli-command';

/** `status`'s name, description and options: its command class and the CLI's help without Nest read them here. */
export const STATUS_COMMAND = {
  command: {
    name: 'status',
    description: 'The board: every store’s state now (down first, longest down first); --json for GET /status’s JSON',
  },
  options: {
    state: { flags: '--state <state>', description: 'only stores in this state: down, up, closed or no_data' },
    q: { flags: '--q <prefix>', description: 'only store ids starting with this' },
    asOf: { flags: '--as-of <instant>', description: 'the board at another instant (ISO); default the latest poll' },
    json: { flags: '--json', description: 'print the JSON of GET /status (all pages)' },
  },
} satisfies CliCommand;
