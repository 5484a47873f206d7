import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AlertEventsService, EVENTS_MAX_PAGE_SIZE, EVENTS_PAGE_SIZE } from './alert-events.service';
import { BoardService } from './board.service';
import { AlertEventListDto } from './dto/alert-event.dto';
import { BoardDto } from './dto/board.dto';
import { BOARD_STATES } from './utils/evaluate-store.util';
import { BOARD_MAX_PAGE_SIZE, BOARD_PAGE_SIZE } from './utils/parse-board-query.util';

@ApiTags('live monitoring')
@Controller()
export class MonitorController {
  constructor(
    private readonly board: BoardService,
    private readonly events: AlertEventsService,
  ) {}

  @Get('status')
  @ApiOperation({
    summary: 'The board: every store’s state now (down, up, closed, no_data), down stores longest down first',
    description:
      'At the live as_of (the latest poll held) unless as_of is given. counts cover all stores whatever the filter. ' +
      '400: a bad state, q, limit, cursor or as_of.',
  })
  @ApiQuery({ name: 'state', required: false, enum: BOARD_STATES })
  @ApiQuery({ name: 'q', required: false, description: 'only store ids starting with this', example: '148' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: BOARD_MAX_PAGE_SIZE, default: BOARD_PAGE_SIZE },
  })
  @ApiQuery({ name: 'cursor', required: false, description: "the previous page's next_cursor" })
  @ApiQuery({
    name: 'as_of',
    required: false,
    schema: { type: 'string', format: 'date-time' },
    description: 'the board at another instant; default: the latest poll held',
    example: '2023-03-13T15:00:00Z',
  })
  @ApiOkResponse({ type: BoardDto })
  @ApiErrors(400)
  status(
    @Query('state') state?: unknown,
    @Query('q') q?: unknown,
    @Query('limit') limit?: unknown,
    @Query('cursor') cursor?: unknown,
    @Query('as_of') asOf?: unknown,
  ): Promise<BoardDto> {
    return this.board.board({ state, q, limit, cursor, as_of: asOf });
  }

  @Get('events')
  @ApiOperation({
    summary: 'Incident events (store.down, store.up), newest first, each with its webhook delivery state',
    description: '400: a bad type, store_id, limit or cursor.',
  })
  @ApiQuery({ name: 'type', required: false, enum: ['store.down', 'store.up'] })
  @ApiQuery({ name: 'store_id', required: false, example: '1481966498820158979' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: EVENTS_MAX_PAGE_SIZE, default: EVENTS_PAGE_SIZE },
  })
  @ApiQuery({ name: 'cursor', required: false, description: "the previous page's next_cursor" })
  @ApiOkResponse({ type: AlertEventListDto })
  @ApiErrors(400)
  list(
    @Query('type') type?: unknown,
    @Query('store_id') storeId?: unknown,
    @Query('limit') limit?: unknown,
    @Query('cursor') cursor?: unknown,
  ): Promise<AlertEventListDto> {
    return this.events.list({ type, store_id: storeId, limit, cursor });
  }
}
