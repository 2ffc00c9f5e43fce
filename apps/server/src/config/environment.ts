import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type ConfiguredLogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable the server reads, validated once at boot. Keep `.env.example` in step
 * with this class: a variable that is not declared here is not read anywhere.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(NODE_ENVS)
  NODE_ENV?: (typeof NODE_ENVS)[number];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST?: string;

  @IsOptional()
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, {
    message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// connection string',
  })
  MONGODB_URI?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,63}$/, {
    message: 'MONGODB_DB_NAME must be 1–63 characters of A–Z, a–z, 0–9, "_" or "-"',
  })
  MONGODB_DB_NAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  PARLEY_DATA_DIR?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @Matches(/^[1-9]\d*[smhd]$/, {
    message: 'ACCESS_TOKEN_TTL must be a number followed by s, m, h or d (e.g. 7d)',
  })
  ACCESS_TOKEN_TTL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  WEB_DIST_DIR?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: ConfiguredLogLevel;
}
