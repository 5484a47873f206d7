import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ErrorDto } from '../common/http/api-errors.decorator';
import { SqlClient } from '../database/sql-client';

export class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ example: 'mysql', description: 'the database driver' })
  database: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly sql: SqlClient,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and database reachability' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer', type: ErrorDto })
  async check(): Promise<HealthDto> {
    try {
      await this.sql.rows('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('the database does not answer');
    }
    return { status: 'ok', database: this.dataSource.options.type };
  }
}
