import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type ConfiguredLogLevel = (typeof LOG_LEVELS)[number];

const TTL_PATTERN = /^[1-9]\d*[smhd]$/;
const TTL_MESSAGE = 'must be a number followed by s, m, h or d (e.g. 15m)';

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
  @Matches(TTL_PATTERN, { message: `ACCESS_TOKEN_TTL ${TTL_MESSAGE}` })
  ACCESS_TOKEN_TTL?: string;

  @IsOptional()
  @Matches(TTL_PATTERN, { message: `REFRESH_TOKEN_TTL ${TTL_MESSAGE}` })
  REFRESH_TOKEN_TTL?: string;

  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[\w.:/-]+(\s*,\s*[\w.:/-]+)*)$/, {
    message:
      'TRUST_PROXY must be true, false, a hop count or a comma-separated list of addresses/subnets',
  })
  TRUST_PROXY?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_ATTEMPTS_PER_IP?: number;

  @IsOptional()
  @Matches(TTL_PATTERN, { message: `LOGIN_ATTEMPTS_WINDOW ${TTL_MESSAGE}` })
  LOGIN_ATTEMPTS_WINDOW?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_FAILURES_BEFORE_LOCK?: number;

  @IsOptional()
  @Matches(TTL_PATTERN, { message: `LOGIN_FAILURES_WINDOW ${TTL_MESSAGE}` })
  LOGIN_FAILURES_WINDOW?: string;

  @IsOptional()
  @Matches(TTL_PATTERN, { message: `ACCOUNT_LOCK_DURATION ${TTL_MESSAGE}` })
  ACCOUNT_LOCK_DURATION?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  PASSWORD_HASH_CONCURRENCY?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  WEB_DIST_DIR?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: ConfiguredLogLevel;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s,/]+(,\s*https?:\/\/[^\s,/]+)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins like https://chat.example.com',
  })
  CORS_ORIGINS?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  REST_RATE_LIMIT_PER_MINUTE?: number;

  /** `send_message` per user: this many per 10 s sustained, plus as many again in a burst. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  SEND_MESSAGES_PER_10_SECONDS?: number;

  /** Socket events of any kind per user: this many per 10 s sustained, plus as many again in a burst. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  SOCKET_EVENTS_PER_10_SECONDS?: number;

  /** How long after a user's last connection closes they are announced offline. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  PRESENCE_GRACE_MS?: number;

  /** Largest file one upload may carry, in bytes (`POST /api/rooms/{id}/files`). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  MAX_UPLOAD_BYTES?: number;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, {
    message: 'REDIS_URL must be a redis:// or rediss:// connection string',
  })
  REDIS_URL?: string;
}
