import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { pendingMigrations } from '../database/connect-database';
import { SqlClient } from '../database/sql-client';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(private readonly sql: SqlClient) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (the database is not asked)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({
    summary: 'Readiness: the database answers and every migration is applied',
    description:
      'On MySQL, `node` is the server this instance uses now (it moves to the next one of DATABASE_URL when it loses it).',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'mysql', node: '10.0.0.5:3306' } } })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer, or its schema is not current' })
  async ready() {
    let pending: string[];
    try {
      await this.sql.ping();
      pending = await pendingMigrations(this.sql);
    } catch (error) {
      // What failed goes to the server's log, not into the answer.
      this.logger.warn(`not ready: the database does not answer (${(error as Error).message})`);
      throw new ServiceUnavailableException('not ready');
    }
    if (pending.length > 0) {
      this.logger.warn(`not ready: ${pending.length} migration(s) not applied`);
      throw new ServiceUnavailableException('not ready');
    }
    return { status: 'ok', ...this.sql.describe() };
  }
}
