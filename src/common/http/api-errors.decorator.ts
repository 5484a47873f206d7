import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

/** Every error answer: `{statusCode, message, error}`. */
export class ErrorDto {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'report_id is malformed', description: 'what is wrong, in a sentence (never internal detail)' })
  message: string;

  @ApiPropertyOptional({ example: 'Bad Request' })
  error?: string;
}

const WHY: Record<number, string> = {
  400: 'the request is not acceptable (the message says why)',
  401: 'an API key is required (x-api-key or Authorization: Bearer)',
  404: 'no such thing',
  413: 'a file is larger than UPLOAD_LIMIT_BYTES',
  429: 'this instance has as many imports as it takes (running and waiting): send it again after Retry-After seconds',
  503: 'the database is unavailable, or the service is stopping: try again shortly',
};

/** Documents the error answers a route gives, each with the ErrorDto schema (401 and 503 on every route). */
export function ApiErrors(...statuses: Array<400 | 404 | 413 | 429>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...statuses, 401 as const, 503 as const].map((status) =>
      ApiResponse({ status, description: WHY[status], type: ErrorDto }),
    ),
  );
}
