import { Command, CommandRunner, Option } from 'nest-commander';
import { STATUS_COMMAND } from './status.command-meta';
import { BoardService } from './board.service';
import { BoardStoreDto } from './dto/board.dto';
import { formatBoardLine } from './utils/format-board-line.util';

interface StatusOptions {
  state?: string;
  q?: string;
  asOf?: string;
  json?: boolean;
}

@Command(STATUS_COMMAND.command)
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

  @Option(STATUS_COMMAND.options.state)
  parseState(value: string) {
    return value;
  }

  @Option(STATUS_COMMAND.options.q)
  parseQ(value: string) {
    return value;
  }

  @Option(STATUS_COMMAND.options.asOf)
  parseAsOf(value: string) {
    return value;
  }

  @Option(STATUS_COMMAND.options.json)
  parseJson() {
    return true;
  }
}
