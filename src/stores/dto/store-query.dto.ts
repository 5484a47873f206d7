import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../utils/parse-store-page.util';

/**
 * GET /stores' query. Named, so that a parameter the route does not know (`limit[]`, a typo)
 * is refused (400) instead of ignored; the values are checked by parseStorePage.
 */
export class StoreListQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @IsString()
  limit?: string;

  @ApiPropertyOptional({
    type: String,
    description: "the previous page's next_cursor (its last store_id)",
    example: '1481966498820158979',
  })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** GET /stores/:store_id's query (an unknown parameter, such as `asof`, is refused). */
export class StoreViewQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: "the view's now (an ISO instant); default: the latest poll in the database, as the report's",
    example: '2023-03-13T15:00:00Z',
  })
  @IsOptional()
  @IsString()
  as_of?: string;
}
