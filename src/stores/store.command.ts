import { Command, CommandRunner, Option } from 'nest-commander';
import { StoreViewService } from './store-view.service';

interface StoreOptions {
  asOf?: string;
}

@Command({
  name: 'store',
  arguments: '<store_id>',
  description: "One store, live: GET /stores/<store_id>'s JSON on stdout",
})
export class StoreCommand extends CommandRunner {
  constructor(private readonly view: StoreViewService) {
    super();
  }

  async run([storeId]: string[], options: StoreOptions): Promise<void> {
    const view = await this.view.view(storeId, options.asOf);
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  }

  @Option({ flags: '--as-of <instant>', description: "the view's now (ISO); default the latest poll" })
  parseAsOf(value: string) {
    return value;
  }
}
