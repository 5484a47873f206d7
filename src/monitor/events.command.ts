import { Command, CommandRunner, Option } from 'nest-commander';
import { EVENTS_COMMAND } from './events.command-meta';
import { AlertEventsService } from './alert-events.service';

interface EventsOptions {
  type?: string;
  storeId?: string;
  limit?: string;
}

@Command(EVENTS_COMMAND.command)
export class EventsCommand extends CommandRunner {
  constructor(private readonly events: AlertEventsService) {
    super();
  }

  async run(_args: string[], options: EventsOptions): Promise<void> {
    const page = await this.events.list({ type: options.type, store_id: options.storeId, limit: options.limit });
    process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
  }

  @Option(EVENTS_COMMAND.options.type)
  parseType(value: string) {
    return value;
  }

  @Option(EVENTS_COMMAND.options.storeId)
  parseStoreId(value: string) {
    return value;
  }

  @Option(EVENTS_COMMAND.options.limit)
  parseLimit(value: string) {
    return value;
  }
}
