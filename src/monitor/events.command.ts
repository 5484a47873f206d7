import { Command, CommandRunner, Option } from 'nest-commander';
import { AlertEventsService } from './alert-events.service';

interface EventsOptions {
  type?: string;
  storeId?: string;
  limit?: string;
}

@Command({ name: 'events', description: 'Incident events newest first, with their delivery state: GET /events’s JSON' })
export class EventsCommand extends CommandRunner {
  constructor(private readonly events: AlertEventsService) {
    super();
  }

  async run(_args: string[], options: EventsOptions): Promise<void> {
    const page = await this.events.list({ type: options.type, store_id: options.storeId, limit: options.limit });
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
  }

  @Option({ flags: '--type <type>', description: 'store.down or store.up' })
  parseType(value: string) {
    return value;
  }

  @Option({ flags: '--store-id <id>', description: 'only this store’s' })
  parseStoreId(value: string) {
    return value;
  }

  @Option({ flags: '--limit <n>', description: 'how many, newest first (default 50, at most 500)' })
  parseLimit(value: string) {
    return value;
  }
}
