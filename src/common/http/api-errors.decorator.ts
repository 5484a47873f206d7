import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** Every error answer: `{statusCode, message, error}`. */
export class ErrorDto {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode: number;

  @ApiProperty({
    type: String,
    example: 'report_id is malformed',
    description: 'what is wrong, in a sentence (never internal detail)',
  })
  message: string;

  @ApiPropertyOptional({ type: String, example: 'Bad Request' })
  error?: string;
}

type ErrorStatus = 400 | 401 | 404 | 413 | 429 | 503;

const WHY: Record<ErrorStatus, string> = {
  400: 'the request is not acceptable (the message says why)',
  401: 'an API key is required (x-api-key or Authorization: Bearer), or the one given is not valid',
  404: 'no such thing',
  413: 'a file is larger than UPLOAD_LIMIT_BYTES',
  429: 'this instance has as many imports as it takes (running and waiting): send it again after Retry-After seconds',
  503: 'the database is unavailable, or the service is stopping: try again shortly',
};

/** One answer of each status, as the service gives it. */
const EXAMPLE: Record<ErrorStatus, ErrorDto> = {
  400: { statusCode: 400, message: 'report_id is malformed', error: 'Bad Request' },
  401: {
    statusCode: 401,
    message: 'an API key is required: send it as x-api-key or Authorization: Bearer',
    error: 'Unauthorized',
  },
  404: { statusCode: 404, message: 'no report sV1u4m4lY2k0c2hQd0ZqNA', error: 'Not Found' },
  413: { statusCode: 413, message: 'request file too large', error: 'Payload Too Large' },
  429: {
    statusCode: 429,
    message: 'this instance is busy with imports: send it again after Retry-After seconds',
    error: 'Too Many Requests',
  },
  503: { statusCode: 503, message: 'the service is stopping: try again shortly', error: 'Service Unavailable' },
};

/**
 * Documents the error answers a route gives (401 and 503 on every route), each as JSON with the
 * ErrorDto schema and an example of its own status: an error is JSON even where the route's
 * success is CSV or text.
 */
export function ApiErrors(...statuses: Array<400 | 404 | 413 | 429>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorDto),
    ...[...statuses, 401 as const, 503 as const].map((status) =>
      ApiResponse({
        status,
        description: WHY[status],
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorDto) }, example: EXAMPLE[status] } },
      }),
    ),
  );
}
