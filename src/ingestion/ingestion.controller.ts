import { BadRequestException, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ImportSummaryDto } from './dto/import-summary.dto';
import { FeedFiles, FeedRefusedError, IngestionService } from './ingestion.service';
import { FEED_NAMES, FeedName } from './utils/feed-specs.util';

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
  async import(@Req() request: FastifyRequest): Promise<ImportSummaryDto> {
    if (!request.isMultipart()) {
      throw new BadRequestException('expected multipart/form-data with fields polls, business_hours, timezones');
    }
    const dir = await mkdtemp(join(tmpdir(), 'store-monitor-import-'));
    try {
      const files: FeedFiles = {};
      for await (const part of request.parts()) {
        if (part.type !== 'file') continue;
        if (!FEED_NAMES.includes(part.fieldname as FeedName)) {
          part.file.resume();
          throw new BadRequestException(`unknown field "${part.fieldname}": expected ${FEED_NAMES.join(', ')}`);
        }
        const path = join(dir, part.fieldname);
        await pipeline(part.file, createWriteStream(path));
        files[part.fieldname as FeedName] = path;
      }
      if (Object.keys(files).length === 0) {
        throw new BadRequestException(`no feed file given: send any of ${FEED_NAMES.join(', ')}`);
      }
      return await this.ingestion.importFiles(files);
    } catch (error) {
      if (error instanceof FeedRefusedError) throw new BadRequestException(error.message);
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
