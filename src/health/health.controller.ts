import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { SqlClient } from '../database/sql-client';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly sql: SqlClient,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and database reachability' })
  @ApiOkResponse({ schema: { example: { status: 'ok', database: 'better-sqlite3' } } })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer' })
  async check() {
    try {
      await this.sql.rows('SELECT 1');
    } catch (error) {
      throw new ServiceUnavailableException(`database unreachable: ${(error as Error).message}`);
    }
    return { status: 'ok', database: this.dataSource.options.type };
  }
}
