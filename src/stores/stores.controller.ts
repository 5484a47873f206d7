import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { StoreListDto } from './dto/store-list.dto';
import { StoreViewDto } from './dto/store-view.dto';
import { StoreViewService } from './store-view.service';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './utils/parse-store-page.util';

@ApiTags('stores')
@Controller('stores')
export class StoresController {
  constructor(private readonly view: StoreViewService) {}

  @Get()
  @ApiOperation({
    summary: 'The known stores, paged by store_id',
    description:
      'Each with its zone, whether it has business hours and its latest poll: a way to find an id. ' +
      '400: limit out of range, or a cursor that is not a store id.',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
  })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: "the previous page's next_cursor (its last store_id)",
    example: '1481966498820158979',
  })
  @ApiOkResponse({ type: StoreListDto })
  @ApiErrors(400)
  list(@Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<StoreListDto> {
    return this.view.list(limit, cursor);
  }

  @Get(':store_id')
  @ApiOperation({
    summary: 'One store, live: its six figures and, for the week before as_of, its open intervals, status and downtime incidents',
    description:
      "Computed from the database at request time with the report's engine: the figures equal the store's report row at the same as_of. " +
      '400: as_of is not an instant, or store_id is malformed. 404: no feed has named this store.',
  })
  @ApiParam({ name: 'store_id', example: '1481966498820158979' })
  @ApiQuery({
    name: 'as_of',
    required: false,
    description: "the view's now (an ISO instant); default: the latest poll in the database, as the report's",
    example: '2023-03-13T15:00:00Z',
  })
  @ApiOkResponse({ type: StoreViewDto })
  @ApiErrors(400, 404)
  one(@Param('store_id') storeId: string, @Query('as_of') asOf?: string): Promise<StoreViewDto> {
    return this.view.view(storeId, asOf);
  }
}
