import { resolve } from 'node:path';
import type { LogLevel } from '@nestjs/common';
import { flattenValidationErrors, MAX_UPLOAD_BYTES_DEFAULT } from '@parley/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables, LOG_LEVELS, type ConfiguredLogLevel } from './environment';
import { readOrCreateJwtSecret } from './jwt-secret';

/** The built web app, found from this file's place in the repo (same depth in `src/` and `dist/`). */
export const DEFAULT_WEB_DIST_DIR = resolve(__dirname, '../../../web/dist');

const TTL_UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

export interface LoginLimits {
  /** Login and register attempts per client IP per `ipWindowSeconds`. */
  attemptsPerIp: number;
  ipWindowSeconds: number;
  /** Failed logins per account per `failureWindowSeconds` before the account is locked. */
  failuresBeforeLock: number;
  failureWindowSeconds: number;
  lockSeconds: number;
}

/** Typed, validated configuration; the only way the rest of the server sees the environment. */
export class AppConfig {
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  /** Unset means "start the embedded database". */
  readonly mongodbUri: string | undefined;
  readonly mongodbDbName: string | undefined;
  /** Absolute. */
  readonly dataDir: string;
  readonly jwtSecret: string;
  readonly accessTokenTtlSeconds: number;
  /** Sliding: every refresh issues a new token valid this long. */
  readonly refreshTokenTtlSeconds: number;
  /** Express `trust proxy`: decides `req.ip` and `req.secure` behind a reverse proxy. */
  readonly trustProxy: boolean | number | string;
  readonly loginLimits: LoginLimits;
  /** Argon2 hashes running at once (each takes ~19 MiB); the rest wait in a bounded queue. */
  readonly passwordHashConcurrency: number;
  /** Absolute. */
  readonly webDistDir: string;
  readonly logLevels: LogLevel[];
  /** Origins allowed besides the app's own (REST CORS and the socket handshake). */
  readonly corsOrigins: string[];
  /** REST requests per minute per client IP. */
  readonly restRequestsPerMinute: number;
  /** `send_message` per user per 10 s sustained; the burst allowance is as many again. */
  readonly sendMessagesPer10Seconds: number;
  /** Socket events of any kind per user per 10 s sustained; the burst allowance is as many again. */
  readonly socketEventsPer10Seconds: number;
  /** A user whose last connection closed is announced offline this long after (no reload flicker). */
  readonly presenceGraceMs: number;
  /** Unset means "rate-limit counters live in this process's memory". */
  readonly redisUrl: string | undefined;
  /** Largest file one upload may carry; checked while the upload streams in. */
  readonly maxUploadBytes: number;

  constructor(values: AppConfig) {
    this.production = values.production;
    this.port = values.port;
    this.host = values.host;
    this.mongodbUri = values.mongodbUri;
    this.mongodbDbName = values.mongodbDbName;
    this.dataDir = values.dataDir;
    this.jwtSecret = values.jwtSecret;
    this.accessTokenTtlSeconds = values.accessTokenTtlSeconds;
    this.refreshTokenTtlSeconds = values.refreshTokenTtlSeconds;
    this.trustProxy = values.trustProxy;
    this.loginLimits = values.loginLimits;
    this.passwordHashConcurrency = values.passwordHashConcurrency;
    this.webDistDir = values.webDistDir;
    this.logLevels = values.logLevels;
    this.corsOrigins = values.corsOrigins;
    this.restRequestsPerMinute = values.restRequestsPerMinute;
    this.sendMessagesPer10Seconds = values.sendMessagesPer10Seconds;
    this.socketEventsPer10Seconds = values.socketEventsPer10Seconds;
    this.presenceGraceMs = values.presenceGraceMs;
    this.redisUrl = values.redisUrl;
    this.maxUploadBytes = values.maxUploadBytes;
  }
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Validates the environment and derives the typed config. Throws one error listing every problem,
 * so a misconfigured deployment fails at boot with the whole list rather than one at a time.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  // `FOO=` in a .env file means "not set", not "set to the empty string".
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, present);
  const problems = flattenValidationErrors(validateSync(vars, { stopAtFirstError: true })).flatMap(
    (issue) => issue.messages,
  );
  const production = vars.NODE_ENV === 'production';
  if (production && !vars.JWT_SECRET) {
    problems.push('JWT_SECRET is required when NODE_ENV=production');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  const dataDir = resolve(cwd, vars.PARLEY_DATA_DIR ?? '.data');
  return new AppConfig({
    production,
    port: vars.PORT ?? 3000,
    // Listen on every interface in production (containers); only on loopback on a dev machine.
    host: vars.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    mongodbUri: vars.MONGODB_URI,
    mongodbDbName: vars.MONGODB_DB_NAME,
    dataDir,
    jwtSecret: vars.JWT_SECRET ?? readOrCreateJwtSecret(dataDir),
    accessTokenTtlSeconds: parseTtlSeconds(vars.ACCESS_TOKEN_TTL ?? '15m'),
    refreshTokenTtlSeconds: parseTtlSeconds(vars.REFRESH_TOKEN_TTL ?? '30d'),
    trustProxy: parseTrustProxy(vars.TRUST_PROXY ?? 'false'),
    loginLimits: {
      attemptsPerIp: vars.LOGIN_ATTEMPTS_PER_IP ?? 5,
      ipWindowSeconds: parseTtlSeconds(vars.LOGIN_ATTEMPTS_WINDOW ?? '1m'),
      failuresBeforeLock: vars.LOGIN_FAILURES_BEFORE_LOCK ?? 10,
      failureWindowSeconds: parseTtlSeconds(vars.LOGIN_FAILURES_WINDOW ?? '15m'),
      lockSeconds: parseTtlSeconds(vars.ACCOUNT_LOCK_DURATION ?? '15m'),
    },
    passwordHashConcurrency: vars.PASSWORD_HASH_CONCURRENCY ?? 4,
    webDistDir: vars.WEB_DIST_DIR ? resolve(cwd, vars.WEB_DIST_DIR) : DEFAULT_WEB_DIST_DIR,
    logLevels: logLevelsFrom(vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'warn' : 'log')),
    corsOrigins: vars.CORS_ORIGINS
      ? vars.CORS_ORIGINS.split(',').map((origin) => origin.trim())
      : // The Vite dev server and preview proxy to the API from their own origins.
        (vars.NODE_ENV ?? 'development') === 'development'
        ? [
            'http://localhost:4200',
            'http://127.0.0.1:4200',
            'http://localhost:4300',
            'http://127.0.0.1:4300',
          ]
        : [],
    restRequestsPerMinute: vars.REST_RATE_LIMIT_PER_MINUTE ?? 300,
    sendMessagesPer10Seconds: vars.SEND_MESSAGES_PER_10_SECONDS ?? 10,
    socketEventsPer10Seconds: vars.SOCKET_EVENTS_PER_10_SECONDS ?? 100,
    presenceGraceMs: vars.PRESENCE_GRACE_MS ?? 5000,
    redisUrl: vars.REDIS_URL,
    maxUploadBytes: vars.MAX_UPLOAD_BYTES ?? MAX_UPLOAD_BYTES_DEFAULT,
  });
}

export function parseTtlSeconds(ttl: string): number {
  const unit = ttl.slice(-1) as keyof typeof TTL_UNIT_SECONDS;
  return Number(ttl.slice(0, -1)) * TTL_UNIT_SECONDS[unit];
}

/** `true`/`false`, a hop count, or Express's list form (`loopback, 10.0.0.0/8`). */
export function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `LOG_LEVEL=warn` enables warn and everything more severe. */
export function logLevelsFrom(level: ConfiguredLogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}
