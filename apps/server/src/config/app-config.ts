import { resolve } from 'node:path';
import type { LogLevel } from '@nestjs/common';
import { flattenValidationErrors } from '@parley/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables, LOG_LEVELS, type ConfiguredLogLevel } from './environment';
import { readOrCreateJwtSecret } from './jwt-secret';

/** The built web app, found from this file's place in the repo (same depth in `src/` and `dist/`). */
export const DEFAULT_WEB_DIST_DIR = resolve(__dirname, '../../../web/dist');

const TTL_UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

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
  /** Absolute. */
  readonly webDistDir: string;
  readonly logLevels: LogLevel[];

  constructor(values: AppConfig) {
    this.production = values.production;
    this.port = values.port;
    this.host = values.host;
    this.mongodbUri = values.mongodbUri;
    this.mongodbDbName = values.mongodbDbName;
    this.dataDir = values.dataDir;
    this.jwtSecret = values.jwtSecret;
    this.accessTokenTtlSeconds = values.accessTokenTtlSeconds;
    this.webDistDir = values.webDistDir;
    this.logLevels = values.logLevels;
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
    accessTokenTtlSeconds: parseTtlSeconds(vars.ACCESS_TOKEN_TTL ?? '7d'),
    webDistDir: vars.WEB_DIST_DIR ? resolve(cwd, vars.WEB_DIST_DIR) : DEFAULT_WEB_DIST_DIR,
    logLevels: logLevelsFrom(vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'warn' : 'log')),
  });
}

export function parseTtlSeconds(ttl: string): number {
  const unit = ttl.slice(-1) as keyof typeof TTL_UNIT_SECONDS;
  return Number(ttl.slice(0, -1)) * TTL_UNIT_SECONDS[unit];
}

/** `LOG_LEVEL=warn` enables warn and everything more severe. */
export function logLevelsFrom(level: ConfiguredLogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}
