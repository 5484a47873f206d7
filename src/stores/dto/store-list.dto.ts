import { ApiProperty } from '@nestjs/swagger';

/** One store of GET /stores. */
export class StoreSummaryDto {
  @ApiProperty({ example: '1481966498820158979' })
  store_id: string;

  @ApiProperty({ example: 'America/Chicago', description: 'the zone its figures are computed in' })
  timezone: string;

  @ApiProperty({ description: 'true when the feeds gave no (known) zone and America/Chicago applies' })
  timezone_is_default: boolean;

  @ApiProperty({ description: 'false: no business-hours rows, open all the time' })
  has_business_hours: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2023-03-13T14:58:12.680822Z',
    description: 'its latest poll in the database; null: never polled',
  })
  last_poll: string | null;
}

/** GET /stores: a page of stores in plain string order of their ids. */
export class StoreListDto {
  @ApiProperty({ type: () => [StoreSummaryDto] })
  stores: StoreSummaryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: '1481966498820158979',
    description: 'pass as cursor for the next page; null on the last page',
  })
  next_cursor: string | null;
}
