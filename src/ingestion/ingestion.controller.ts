import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import type { EnvironmentVariables } from '../config/env.validation';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FEED_NAMES } from '../common/types/feed-rows.types';
import { ImportAcceptedDto, ImportQueryDto, ImportRunDto, ImportRunListDto, ListImportsQueryDto } from './dto/import-run.dto';
import { ImportSummaryDto } from './dto/import-summary.dto';
import { ImportRunsService } from './import-runs.service';
import { TooBusyError } from '../common/errors/domain-errors';
import { ImportTicket } from './import-admission';
import { dropBody, spoolFeedFiles } from './spool-feed-files';

/** How long the body of an upload refused for load is read and dropped before the 429. */
const REFUSED_BODY_DROP_MS = 10_000;
import { importRunView } from './utils/import-run-view.util';

@ApiTags('ingestion')
@Controller()
export class IngestionController {
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly runs: ImportRunsService,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.idleTimeoutMs = config.get('UPLOAD_IDLE_TIMEOUT_S', { infer: true }) * 1000;
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import feed files',
    description:
      'Multipart upload of any of the fields `polls`, `business_hours`, `timezones` (CSV with a header row). ' +
      'Uploads are streamed to temporary files, never held in memory. Bad rows are rejected and reported; ' +
      'a file whose header lacks a required column refuses the whole request, and nothing is written. ' +
      'Every import is recorded (GET /imports). With `async=true` the answer is 202 with the import id as soon as ' +
      'the files are received, and the import runs in the background. ' +
      'A body without a boundary, malformed, ending before its closing boundary or sending nothing for ' +
      'UPLOAD_IDLE_TIMEOUT_S (30 s) is answered 400, and nothing of it is written. ' +
      'An instance runs IMPORT_CONCURRENCY imports at once and lets IMPORT_QUEUE more wait (Running, progress 0); ' +
      'an upload beyond both is answered 429 with Retry-After before its body is read, and nothing of it is written.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: Object.fromEntries(FEED_NAMES.map((f) => [f, { type: 'string', format: 'binary' }])),
    },
  })
  @ApiOkResponse({ type: ImportSummaryDto, description: 'a summary per feed given' })
  @ApiAcceptedResponse({ type: ImportAcceptedDto, description: 'with async=true: the import runs in the background' })
  @ApiErrors(400, 413, 429)
  async import(
    @Req() request: FastifyRequest,
    @Query() query: ImportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ImportSummaryDto | ImportAcceptedDto> {
    // Admitted (a slot, or a place in the queue) before a byte of the body is read, or refused:
    // then its body is dropped as it comes (bounded), so that the client reads its 429.
    let ticket: ImportTicket;
    try {
      ticket = this.runs.admission.admit();
    } catch (error) {
      if (error instanceof TooBusyError) await dropBody(request, REFUSED_BODY_DROP_MS);
      throw error;
    }
    // Hours and zones start importing as soon as they have arrived, while the polls still come.
    const early = this.runs.earlyStarts(ticket);
    const spooled = await spoolFeedFiles(request, reply, this.idleTimeoutMs, early.onFile).catch(async (error: Error) => {
      await early.cancel();
      ticket.release();
      throw error;
    });
    const started = await this.runs.start('http', spooled.files, ticket, early.started).catch(async (error: Error) => {
      ticket.release();
      await spooled.dispose();
      throw error;
    });
    const done = started.done.finally(() => spooled.dispose());
    if (query.async === 'true' || query.async === '1') {
      done.catch(() => undefined); // recorded in the run
      reply.status(202);
      return { import_id: started.id, status: 'Running' };
    }
    return done;
  }

  @Get('imports')
  @ApiOperation({ summary: 'Imports (HTTP, CLI, inbox), newest first, paged' })
  @ApiOkResponse({ type: ImportRunListDto })
  @ApiErrors(400)
  async list(@Query() query: ListImportsQueryDto): Promise<ImportRunListDto> {
    const page = await this.runs.list(query.limit ?? 50, query.cursor);
    return { imports: page.runs.map(importRunView), next_cursor: page.next_cursor };
  }

  @Get('imports/:import_id')
  @ApiOperation({ summary: 'One import: its files, status, progress (bytes read of the total) and summary' })
  @ApiOkResponse({ type: ImportRunDto })
  @ApiErrors(400, 404)
  async find(@Param('import_id') id: string): Promise<ImportRunDto> {
    return importRunView(await this.runs.find(id));
  }
}
