import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { REPORT_HEADER } from '../engine/utils';
import {
  ListReportsQueryDto,
  ReportAcceptedDto,
  ReportInfoDto,
  ReportListDto,
  ReportRunningDto,
  TriggerReportDto,
} from './dto/trigger-report.dto';
import { ReportsService } from './reports.service';

const CSV_EXAMPLE = `${REPORT_HEADER}\n1481966498820158979,60.00,20.50,140.25,0.00,3.50,27.75\n`;

@ApiTags('reports')
@ApiExtraModels(ReportRunningDto)
@Controller()
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post('trigger_report')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a report in the background', description: 'Returns at once with the id to poll.' })
  @ApiBody({ type: TriggerReportDto, required: false })
  @ApiAcceptedResponse({ type: ReportAcceptedDto })
  @ApiErrors(400)
  async trigger(@Body() body: TriggerReportDto = {}): Promise<ReportAcceptedDto> {
    const report = await this.reports.trigger(body?.as_of);
    return { report_id: report.id, status: 'Running' };
  }

  @Get('get_report')
  @ApiOperation({ summary: 'Status of a report, or its CSV once complete' })
  @ApiQuery({ name: 'report_id', required: true, type: String, example: 'sV1u4m4lY2k0c2hQd0ZqNA' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description:
      'Running: JSON with progress. Complete: the CSV (text/csv, X-Report-Status: Complete, attachment). Failed: JSON with error.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ReportRunningDto) } },
      'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
    },
  })
  @ApiErrors(400, 404)
  byQuery(@Query('report_id') id: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.respond(id ?? '', reply);
  }

  @Get('get_report/:report_id')
  @ApiOperation({ summary: 'Same as GET /get_report?report_id=' })
  @ApiParam({ name: 'report_id', type: String, example: 'sV1u4m4lY2k0c2hQd0ZqNA' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'as GET /get_report',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(ReportRunningDto) } },
      'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
    },
  })
  @ApiErrors(400, 404)
  byPath(@Param('report_id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.respond(id, reply);
  }

  @Get('reports')
  @ApiOperation({ summary: 'Reports, newest first (paged, optionally of one status)' })
  @ApiOkResponse({ type: ReportListDto })
  @ApiErrors(400)
  list(@Query() query: ListReportsQueryDto): Promise<ReportListDto> {
    return this.reports.list({ limit: query.limit ?? 50, cursor: query.cursor, status: query.status });
  }

  @Delete('reports/:report_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a report (a Running one stops being built)' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiErrors(400, 404)
  async remove(@Param('report_id') id: string): Promise<void> {
    await this.reports.delete(id);
  }

  @Get('reports/:report_id')
  @ApiOperation({ summary: 'A report as JSON: status, progress, as_of, row count, times (never the CSV)' })
  @ApiOkResponse({ type: ReportInfoDto })
  @ApiErrors(400, 404)
  async info(@Param('report_id') id: string): Promise<ReportInfoDto> {
    return this.reports.info(await this.reports.find(id));
  }

  private async respond(id: string, reply: FastifyReply): Promise<string | ReportRunningDto> {
    const report = await this.reports.find(id, true);
    if (report.status === 'Complete') {
      reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('X-Report-Status', 'Complete')
        .header('Content-Disposition', `attachment; filename="store-report-${report.id}.csv"`);
      return report.csv ?? '';
    }
    if (report.status === 'Failed') return { report_id: report.id, status: 'Failed', error: report.error ?? 'unknown' };
    return { report_id: report.id, status: 'Running', progress: report.progress };
  }
}
