import { ApiProperty } from '@nestjs/swagger';
import { InstantDto } from '../../stores/dto/store-view.dto';
import { BOARD_STATES, BoardState } from '../utils/evaluate-store.util';

/** Stores per state, over all stores whatever the filter. */
export class BoardCountsDto {
  @ApiProperty({ example: 12 }) down: number;
  @ApiProperty({ example: 3120 }) up: number;
  @ApiProperty({ example: 1350 }) closed: number;
  @ApiProperty({ example: 18 }) no_data: number;
}

/** One store on the board. */
export class BoardStoreDto {
  @ApiProperty({ example: '1481966498820158979' })
  store_id: string;

  @ApiProperty({
    enum: BOARD_STATES,
    example: 'down',
    description: 'down: open and inactive now; up: open and active; closed: outside business hours; no_data: no poll yet',
  })
  state: BoardState;

  @ApiProperty({ type: () => InstantDto, nullable: true, description: 'down: when its current incident began; null otherwise' })
  since: InstantDto | null;

  @ApiProperty({ type: Number, nullable: true, example: 5400, description: 'down: seconds from since to as_of; null otherwise' })
  down_for_s: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2023-03-13T14:58:12.680822Z',
    description: 'its latest poll held; null: none',
  })
  last_poll: string | null;
}

/** GET /status: every store's state at the live as_of (or the one asked for). */
export class BoardDto {
  @ApiProperty({
    example: '2023-03-13T15:00:00.000000Z',
    description: 'the board’s now: the latest poll held, unless as_of was given',
  })
  as_of: string;

  @ApiProperty({ type: () => BoardCountsDto })
  counts: BoardCountsDto;

  @ApiProperty({
    type: () => [BoardStoreDto],
    description: 'down first (longest down first), then up, closed, no_data, each by store_id',
  })
  stores: BoardStoreDto[];

  @ApiProperty({ type: String, nullable: true, description: 'pass as cursor for the next page; null on the last page' })
  next_cursor: string | null;
}
