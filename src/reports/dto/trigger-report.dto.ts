import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class TriggerReportDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2023-03-13T15:00:00Z',
    description:
      "The report's now, an ISO 8601 instant such as `2023-03-13T15:00:00Z` (or with an offset, or microseconds). " +
      'Between 1970 and 2099. Leave it out for the latest poll in the database (null is refused).',
  })
  // Checked by parseAsOfUs alone, so that whatever is wrong (null, a number, an array, an
  // over-long string) gets the one message: not an ISO 8601 instant.
  @Allow()
  as_of?: string;
}

export class ReportAcceptedDto {
  @ApiProperty({ example: 'sV1u4m4lY2k0c2hQd0ZqNA' })
  report_id: string;

  @ApiProperty({ enum: ['Running'], example: 'Running' })
  status: 'Running';
}

export class ReportRunningDto {
  @ApiProperty({ example: 'sV1u4m4lY2k0c2hQd0ZqNA' })
  report_id: string;

  @ApiProperty({ example: 'Running', enum: ['Running', 'Failed'] })
  status: 'Running' | 'Failed';

  @ApiPropertyOptional({ type: Number, example: 0.42, description: 'share of stores done, 0..1 (while Running)' })
  progress?: number;

  @ApiPropertyOptional({ type: String, example: 'the report could not be built', description: 'why it failed (when Failed)' })
  error?: string;
}

export class ReportInfoDto {
  @ApiProperty({ example: 'sV1u4m4lY2k0c2hQd0ZqNA' })
  report_id: string;

  @ApiProperty({ enum: ['Running', 'Complete', 'Failed'] })
  status: string;

  @ApiProperty({ type: Number, example: 1, description: '0..1' })
  progress: number;

  @ApiProperty({
    type: String,
    example: '2023-03-13T15:00:00.000000Z',
    nullable: true,
    description: "the report's now, fixed when triggered",
  })
  as_of: string | null;

  @ApiProperty({ type: 'integer', example: 4512, nullable: true, description: 'stores in the report, once complete' })
  row_count: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'why it failed' })
  error: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'something the reader should know, e.g. an as_of before every poll' })
  warning: string | null;

  @ApiProperty({ type: String, example: '2026-11-23T18:00:00.000Z' })
  created_at: string;

  @ApiProperty({ type: String, example: '2026-11-23T18:00:02.000Z', nullable: true })
  completed_at: string | null;

  @ApiProperty({
    example: 'web-1-4242-9f3a1c2e',
    nullable: true,
    type: String,
    description: 'the instance building it (null while it waits for a free slot, and once finished)',
  })
  instance: string | null;

  @ApiProperty({
    example: '2026-11-23T18:00:00.500Z',
    nullable: true,
    type: String,
    description: 'when its builder started (the last one, if another took it over); null while it waits',
  })
  started_at: string | null;
}

export class ReportListDto {
  @ApiProperty({ type: [ReportInfoDto], description: 'newest first' })
  reports: ReportInfoDto[];

  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last one' })
  next_cursor: string | null;
}

export class ListReportsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `next_cursor` of the page before' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['Running', 'Complete', 'Failed'] })
  @IsOptional()
  @IsIn(['Running', 'Complete', 'Failed'])
  status?: string;
}
