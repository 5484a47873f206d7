import { Command, CommandRunner, Option } from 'nest-commander';
import { STORE_COMMAND } from './store.command-meta';
import { StoreViewService } from './store-view.service';

interface StoreOptions {
  asOf?: string;
}

@Command(STORE_COMMAND.command)
export class StoreCommand extends CommandRunner {
  constructor(private readonly view: StoreViewService) {
    super();
  }

  async run([storeId]: string[], options: StoreOptions): Promise<void> {
    const view = await this.view.view(storeId, options.asOf);
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  }

  @Option(STORE_COMMAND.options.asOf)
  parseAsOf(value: string) {
    return value;
  }
}
