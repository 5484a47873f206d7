import { ApiProperty } from '@nestjs/swagger';

/** One instant, in UTC and on the store's wall clock. */
export class InstantDto {
  @ApiProperty({ example: '2023-03-12T08:00:00.000000Z', description: 'ISO instant in UTC, to the microsecond' })
  utc: string;

  @ApiProperty({
    example: '2023-03-12T03:00:00.000000-05:00',
    description: "the same instant as the store's local time, with the UTC offset in force then",
  })
  local: string;
}

/** A half-open interval [start, end). */
export class IntervalDto {
  @ApiProperty({ type: () => InstantDto })
  start: InstantDto;

  @ApiProperty({ type: () => InstantDto, description: 'exclusive' })
  end: InstantDto;
}

/** A stretch of one status, by the nearest-poll rule. */
export class SegmentDto extends IntervalDto {
  @ApiProperty({ enum: ['active', 'inactive'], example: 'inactive' })
  status: 'active' | 'inactive';
}

/** A downtime incident: a maximal interval that is both open and inactive. */
export class IncidentDto extends IntervalDto {
  @ApiProperty({ type: Number, example: 75.5, description: 'length in minutes, two decimals' })
  duration_minutes: number;
}

/** GET /stores/{store_id}: one store, computed live for an as_of. */
export class StoreViewDto {
  @ApiProperty({ example: '1481966498820158979' })
  store_id: string;

  @ApiProperty({
    example: '2023-03-13T15:00:00.000000Z',
    description: "the view's now (default: the latest poll in the database)",
  })
  as_of: string;

  @ApiProperty({ example: 'America/Chicago', description: 'the zone the figures are computed in' })
  timezone: string;

  @ApiProperty({ description: 'true when the feeds gave no (known) zone and America/Chicago applies' })
  timezone_is_default: boolean;

  @ApiProperty({ description: 'false: no business-hours rows, open all the time' })
  has_business_hours: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2023-03-13T14:58:12.680822Z',
    description: 'the latest poll at or before as_of; null: none, and all six figures are 0',
  })
  last_poll: string | null;

  @ApiProperty({ type: Number, example: 60, description: 'minutes, as the report column' })
  uptime_last_hour: number;

  @ApiProperty({ type: Number, example: 20.5, description: 'hours, as the report column' })
  uptime_last_day: number;

  @ApiProperty({ type: Number, example: 140.25, description: 'hours, as the report column' })
  uptime_last_week: number;

  @ApiProperty({ type: Number, example: 0, description: 'minutes, as the report column' })
  downtime_last_hour: number;

  @ApiProperty({ type: Number, example: 3.5, description: 'hours, as the report column' })
  downtime_last_day: number;

  @ApiProperty({ type: Number, example: 27.75, description: 'hours, as the report column' })
  downtime_last_week: number;

  @ApiProperty({ type: () => IntervalDto, description: 'the week before as_of, which the lists below cover' })
  week: IntervalDto;

  @ApiProperty({ type: () => [IntervalDto], description: 'business hours in the week, merged' })
  open_intervals: IntervalDto[];

  @ApiProperty({
    type: () => [SegmentDto],
    description: 'the status over the whole week (open or not), alternating; empty when no poll is known',
  })
  segments: SegmentDto[];

  @ApiProperty({
    type: () => [IncidentDto],
    description: 'open and inactive, in time order; closed time separates two incidents',
  })
  incidents: IncidentDto[];

  @ApiProperty({ type: 'integer', example: 3 })
  incident_count: number;

  @ApiProperty({ type: Number, example: 27.75, description: 'hours, two decimals: equals downtime_last_week' })
  incident_total_hours: number;
}
