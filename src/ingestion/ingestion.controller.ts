import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { FEED_NAMES } from '../common/types/feed-rows.types';
import { ImportSummaryDto } from './dto/import-summary.dto';
import { IngestionService } from './ingestion.service';
import { withSpooledFeedFiles } from './spool-feed-files';

@ApiTags('ingestion')
@Controller()
export class IngestionController {
  constructor(private readonly ingestion: IngestionService) {}

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import feed files',
    description:
      'Multipart upload of any of the fields `polls`, `business_hours`, `timezones` (CSV with a header row). ' +
      'Uploads are streamed to temporary files, never held in memory. Bad rows are rejected and reported; ' +
      'a file whose header lacks a required column refuses the whole request, and nothing is written.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: Object.fromEntries(FEED_NAMES.map((f) => [f, { type: 'string', format: 'binary' }])),
    },
  })
  @ApiOkResponse({ type: ImportSummaryDto, description: 'a summary per feed given' })
  @ApiBadRequestResponse({ description: 'not multipart, no feed given, an unknown field, or a refused header' })
  import(@Req() request: FastifyRequest): Promise<ImportSummaryDto> {
    return withSpooledFeedFiles(request, (files) => this.ingestion.importFiles(files));
  }
}
