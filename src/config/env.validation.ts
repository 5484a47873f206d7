import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, validateSync } from 'class-validator';
import { DEFAULT_DATABASE_URL } from '../database/database-url';

export const DEFAULT_PORT = 3000;
export const DEFAULT_UPLOAD_LIMIT_BYTES = 1024 ** 3;

/** The environment the service accepts; anything else is refused at boot with a clear message. */
export class EnvironmentVariables {
  @IsOptional()
  @Matches(/^(sqlite:.+|mysql:\/\/.+)$/, {
    message: 'DATABASE_URL must be sqlite:<path> or mysql://user:pass@host:port/db',
  })
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = DEFAULT_PORT;

  @IsOptional()
  @IsInt()
  @Min(1)
  UPLOAD_LIMIT_BYTES: number = DEFAULT_UPLOAD_LIMIT_BYTES;
}

export function validateEnv(config: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, config, { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const why = errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ');
    throw new Error(`Invalid environment: ${why}`);
  }
  return env;
}
