import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MetricsService } from './metrics.service';

const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorDto' } } };

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: HTTP requests, reports, imports, rows imported, the process' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } })
  // The error schema by name: metrics/ imports nothing of the other folders (ErrorDto is common's).
  @ApiResponse({ status: 401, description: 'an API key is required, or the one given is not valid', content: ERROR })
  @ApiResponse({ status: 503, description: 'the service is stopping: try again shortly', content: ERROR })
  async show(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
