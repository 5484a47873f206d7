import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: HTTP requests, reports, imports, rows imported, the process' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors()
  async show(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
