import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { StoreListDto } from './dto/store-list.dto';
import { StoreViewDto } from './dto/store-view.dto';
import { StoreViewService } from './store-view.service';
import { StoreListQueryDto, StoreViewQueryDto } from './dto/store-query.dto';

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
  @ApiOkResponse({ type: StoreListDto })
  @ApiErrors(400)
  list(@Query() query: StoreListQueryDto): Promise<StoreListDto> {
    return this.view.list(query.limit, query.cursor);
  }

  @Get(':store_id')
  @ApiOperation({
    summary: 'One store, live: its six figures and, for the week before as_of, its open intervals, status and downtime incidents',
    description:
      "Computed from the database at request time with the report's engine: the figures equal the store's report row at the same as_of. " +
      '400: as_of is not an instant, or store_id is malformed. 404: no feed has named this store.',
  })
  @ApiParam({ name: 'store_id', type: String, example: '1481966498820158979' })
  @ApiOkResponse({ type: StoreViewDto })
  @ApiErrors(400, 404)
  one(@Param('store_id') storeId: string, @Query() query: StoreViewQueryDto): Promise<StoreViewDto> {
    return this.view.view(storeId, query.as_of);
  }
}
