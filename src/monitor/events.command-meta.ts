import type { CliCommand } from '../common/cli-command';

/** `events`'s name, description and options: its command class and the CLI's help without Nest read them here. */
export const EVENTS_COMMAND = {
  command: { name: 'events', description: 'Incident events newest first, with their delivery state: GET /events’s JSON' },
  options: {
    type: { flags: '--type <type>', description: 'store.down or store.up' },
    storeId: { flags: '--store-id <id>', description: 'only this store’s' },
    limit: { flags: '--limit <n>', description: 'how many, newest first (default 50, at most 500)' },
  },
} satisfies CliCommand;
