import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FEED_NAMES } from '../../common/types/feed-rows.types';
import { ImportSummaryDto } from './import-summary.dto';

export class ImportFileDto {
  @ApiProperty({ enum: FEED_NAMES, nullable: true, type: String, description: 'null when the file could not be recognised' })
  feed: string | null;

  @ApiProperty({ example: 'store_status.csv' })
  name: string;

  @ApiProperty({ type: 'integer', example: 106_000_000 })
  bytes: number;
}

export class ImportStoppedAtDto {
  @ApiProperty({ enum: FEED_NAMES, type: String })
  feed: string;

  @ApiProperty({ type: 'integer', example: 4001, description: 'the physical line (the header is line 1)' })
  line: number;
}

export class ImportRunDto {
  @ApiProperty({ example: 'kP0c9lXh2yq3vQ1s7n8R4w' })
  import_id: string;

  @ApiProperty({ enum: ['http', 'cli', 'inbox'] })
  source: string;

  @ApiProperty({ enum: ['Running', 'Complete', 'Failed', 'Interrupted'] })
  status: string;

  @ApiProperty({ type: [ImportFileDto] })
  files: ImportFileDto[];

  @ApiProperty({ type: 'integer' })
  bytes_total: number;

  @ApiProperty({ type: 'integer' })
  bytes_read: number;

  @ApiProperty({ type: Number, example: 0.42, description: 'bytes read of the total, 0..1' })
  progress: number;

  @ApiProperty({
    type: ImportSummaryDto,
    nullable: true,
    description: 'the summary per feed once finished; when Interrupted or Failed, what was written',
  })
  summary: ImportSummaryDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'why it failed or was interrupted' })
  error: string | null;

  @ApiProperty({
    type: ImportStoppedAtDto,
    nullable: true,
    description: 'when it stopped part-way (Failed, Interrupted): the feed, and the line of it up to which rows were written',
  })
  stopped_at: ImportStoppedAtDto | null;

  @ApiProperty({
    type: 'integer',
    description: 'rows sent to the database when it stopped whose write was not confirmed: the database may hold them or not',
  })
  unconfirmed_rows: number;

  @ApiProperty({ type: String, nullable: true, description: 'the instance running it (while Running)' })
  instance: string | null;

  @ApiProperty({ example: '2026-11-23T18:00:00.000Z' })
  created_at: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-11-23T18:00:30.000Z' })
  completed_at: string | null;
}

export class ImportRunListDto {
  @ApiProperty({ type: [ImportRunDto], description: 'newest first' })
  imports: ImportRunDto[];

  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last one' })
  next_cursor: string | null;
}

export class ImportAcceptedDto {
  @ApiProperty({ example: 'kP0c9lXh2yq3vQ1s7n8R4w' })
  import_id: string;

  @ApiProperty({ enum: ['Running'], example: 'Running' })
  status: 'Running';
}

export class ImportQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: answer 202 with the import id at once and import in the background',
  })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'])
  async?: string;
}

export class ListImportsQueryDto {
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
}
