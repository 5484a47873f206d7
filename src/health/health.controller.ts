import { Controller, Get, Logger, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorDto } from '../common/http/api-errors.decorator';
import { pendingMigrations } from '../database/connect-database';
import { SqlClient } from '../database/sql-client';

export class LiveDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class HealthDto {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ enum: ['mysql', 'sqlite'], description: 'the kind of database' })
  database: string;

  @ApiPropertyOptional({
    example: 'db2:3306',
    description: 'MySQL: the server this instance uses now (it moves to the next host of DATABASE_URL when it loses one)',
  })
  node?: string;
}

/** Refused before any route, health's too (an open path still needs a well-formed request). */
const MALFORMED = { description: 'an HTTP/1.1 request without a Host header', type: ErrorDto };

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(private readonly sql: SqlClient) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers (the database is not asked)' })
  @ApiOkResponse({ type: LiveDto })
  @ApiBadRequestResponse(MALFORMED)
  live(): LiveDto {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({ summary: 'Readiness: the database answers and every migration is applied' })
  @ApiOkResponse({ type: HealthDto })
  @ApiBadRequestResponse(MALFORMED)
  @ApiServiceUnavailableResponse({ description: 'the database does not answer, or its schema is not current', type: ErrorDto })
  async ready(): Promise<HealthDto> {
    let pending: string[];
    try {
      // One statement: it reaches the database and reads the migrations applied.
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
