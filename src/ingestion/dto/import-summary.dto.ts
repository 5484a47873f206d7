import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FeedSummary } from '../feed-summary';

export class RowErrorDto {
  @ApiProperty({ type: 'integer', example: 17, description: '1-based line number in the file (the header is line 1)' })
  line: number;

  @ApiProperty({ example: 'status must be active or inactive' })
  reason: string;
}

/** What one feed's import did (SPEC §3): every accepted row is inserted, unchanged or replaced. */
export class FeedSummaryDto implements FeedSummary {
  @ApiProperty({ type: 'integer', example: 1000, description: 'data rows read (the header and blank lines are not counted)' })
  read: number = 0;

  @ApiProperty({ type: 'integer', example: 990 })
  inserted: number = 0;

  @ApiProperty({ type: 'integer', example: 3 })
  unchanged: number = 0;

  @ApiProperty({ type: 'integer', example: 2 })
  replaced: number = 0;

  @ApiProperty({ type: 'integer', example: 5 })
  rejected: number = 0;

  @ApiProperty({ type: [RowErrorDto], description: 'the first 20 rejected rows' })
  errors: RowErrorDto[] = [];
}

export class ImportSummaryDto {
  @ApiPropertyOptional({ type: FeedSummaryDto })
  polls?: FeedSummaryDto;

  @ApiPropertyOptional({ type: FeedSummaryDto })
  business_hours?: FeedSummaryDto;

  @ApiPropertyOptional({ type: FeedSummaryDto })
  timezones?: FeedSummaryDto;
}
