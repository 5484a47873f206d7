import { Command, CommandRunner, Option } from 'nest-commander';
import { BoardService } from './board.service';
import { BoardStoreDto } from './dto/board.dto';
import { formatBoardLine } from './utils/format-board-line.util';

interface StatusOptions {
  state?: string;
  q?: string;
  asOf?: string;
  json?: boolean;
}

@Command({
  name: 'status',
  description: 'The board: every store’s state now (down first, longest down first); --json for GET /status’s JSON',
})
export class StatusCommand extends CommandRunner {
  constructor(private readonly board: BoardService) {
    super();
  }

  async run(_args: string[], options: StatusOptions): Promise<void> {
    const stores: BoardStoreDto[] = [];
    let cursor: string | undefined;
    let page;
    do {
      page = await this.board.board({ state: options.state, q: options.q, as_of: options.asOf, limit: '500', cursor });
      stores.push(...page.stores);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...page, stores, next_cursor: null }, null, 2)}\n`);
      return;
    }
    const { down, up, closed, no_data } = page.counts;
    const lines = [
      `as_of ${page.as_of}: ${down} down, ${up} up, ${closed} closed, ${no_data} no data`,
      ...stores.map(formatBoardLine),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  @Option({ flags: '--state <state>', description: 'only stores in this state: down, up, closed or no_data' })
  parseState(value: string) {
    return value;
  }

  @Option({ flags: '--q <prefix>', description: 'only store ids starting with this' })
  parseQ(value: string) {
    return value;
  }

  @Option({ flags: '--as-of <instant>', description: 'the board at another instant (ISO); default the latest poll' })
  parseAsOf(value: string) {
    return value;
  }

  @Option({ flags: '--json', description: 'print the JSON of GET /status (all pages)' })
  parseJson() {
    return true;
  }
}
