import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigValidationError,
  DEFAULT_WEB_DIST_DIR,
  loadConfig,
  logLevelsFrom,
  parseTrustProxy,
  parseTtlSeconds,
} from './app-config';

describe('loadConfig', () => {
  let cwd: string;

  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'parley-config-'));
  });

  afterEach(() => {
    rmSync(cwd, { recursive: true, force: true });
  });

  it('applies the documented defaults', () => {
    const config = loadConfig({}, cwd);
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      host: '127.0.0.1',
      mongodbUri: undefined,
      dataDir: join(cwd, '.data'),
      accessTokenTtlSeconds: 15 * 60,
      refreshTokenTtlSeconds: 30 * 86400,
      trustProxy: false,
      loginLimits: {
        attemptsPerIp: 5,
        ipWindowSeconds: 60,
        failuresBeforeLock: 10,
        failureWindowSeconds: 15 * 60,
        lockSeconds: 15 * 60,
      },
      passwordHashConcurrency: 4,
      restRequestsPerMinute: 300,
      sendMessagesPer10Seconds: 10,
      socketEventsPer10Seconds: 100,
      presenceGraceMs: 5000,
      webDistDir: DEFAULT_WEB_DIST_DIR,
      logLevels: ['fatal', 'error', 'warn', 'log'],
    });
    expect(DEFAULT_WEB_DIST_DIR).toMatch(/apps[/\\]web[/\\]dist$/);
  });

  it('listens on every interface in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, cwd).host).toBe(
      '0.0.0.0',
    );
  });

  it('reads and converts every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '::',
        MONGODB_URI: 'mongodb://user:pw@db:27017/chat',
        MONGODB_DB_NAME: 'other',
        PARLEY_DATA_DIR: 'var/parley',
        JWT_SECRET: 's'.repeat(40),
        ACCESS_TOKEN_TTL: '12h',
        REFRESH_TOKEN_TTL: '7d',
        TRUST_PROXY: 'loopback, 10.0.0.0/8',
        LOGIN_ATTEMPTS_PER_IP: '20',
        LOGIN_ATTEMPTS_WINDOW: '2m',
        LOGIN_FAILURES_BEFORE_LOCK: '3',
        LOGIN_FAILURES_WINDOW: '1h',
        ACCOUNT_LOCK_DURATION: '30m',
        PASSWORD_HASH_CONCURRENCY: '2',
        WEB_DIST_DIR: 'public',
        LOG_LEVEL: 'debug',
        REST_RATE_LIMIT_PER_MINUTE: '600',
        SEND_MESSAGES_PER_10_SECONDS: '1000',
        SOCKET_EVENTS_PER_10_SECONDS: '500',
        PRESENCE_GRACE_MS: '250',
      },
      cwd,
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '::',
      mongodbUri: 'mongodb://user:pw@db:27017/chat',
      mongodbDbName: 'other',
      dataDir: join(cwd, 'var/parley'),
      jwtSecret: 's'.repeat(40),
      accessTokenTtlSeconds: 12 * 3600,
      refreshTokenTtlSeconds: 7 * 86400,
      trustProxy: 'loopback, 10.0.0.0/8',
      loginLimits: {
        attemptsPerIp: 20,
        ipWindowSeconds: 120,
        failuresBeforeLock: 3,
        failureWindowSeconds: 3600,
        lockSeconds: 1800,
      },
      passwordHashConcurrency: 2,
      restRequestsPerMinute: 600,
      sendMessagesPer10Seconds: 1000,
      socketEventsPer10Seconds: 500,
      presenceGraceMs: 250,
      webDistDir: join(cwd, 'public'),
      logLevels: ['fatal', 'error', 'warn', 'log', 'debug'],
    });
  });

  it('reads REDIS_URL (unset by default) and refuses anything but redis:// or rediss://', () => {
    expect(loadConfig({}, cwd).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'rediss://user:pw@cache:6380/2' }, cwd).redisUrl).toBe(
      'rediss://user:pw@cache:6380/2',
    );
    expect(() => loadConfig({ REDIS_URL: 'http://cache:6379' }, cwd)).toThrow(
      'REDIS_URL must be a redis:// or rediss:// connection string',
    );
  });

  it('reads MAX_UPLOAD_BYTES (25 MiB by default) and refuses anything but a positive integer', () => {
    expect(loadConfig({}, cwd).maxUploadBytes).toBe(25 * 1024 * 1024);
    expect(loadConfig({ MAX_UPLOAD_BYTES: '1048576' }, cwd).maxUploadBytes).toBe(1048576);
    expect(() => loadConfig({ MAX_UPLOAD_BYTES: '0' }, cwd)).toThrow('MAX_UPLOAD_BYTES');
    expect(() => loadConfig({ MAX_UPLOAD_BYTES: '10MB' }, cwd)).toThrow('MAX_UPLOAD_BYTES');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '  ' }, cwd)).toMatchObject({
      port: 3000,
      mongodbUri: undefined,
    });
  });

  it('reports every invalid variable at once', () => {
    const load = () =>
      loadConfig(
        {
          PORT: 'eighty',
          MONGODB_URI: 'postgres://x',
          ACCESS_TOKEN_TTL: '7 days',
          LOG_LEVEL: 'loud',
          NODE_ENV: 'staging',
        },
        cwd,
      );
    expect(load).toThrow(ConfigValidationError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigValidationError).problems).toHaveLength(5);
      expect((error as ConfigValidationError).message).toContain(
        'MONGODB_URI must be a mongodb://',
      );
    }
  });

  it('refuses invalid session and login-limit settings', () => {
    const load = () =>
      loadConfig(
        {
          REFRESH_TOKEN_TTL: 'forever',
          TRUST_PROXY: 'yes please',
          LOGIN_ATTEMPTS_PER_IP: '0',
          LOGIN_FAILURES_BEFORE_LOCK: 'ten',
          ACCOUNT_LOCK_DURATION: '15',
          PASSWORD_HASH_CONCURRENCY: '1000',
        },
        cwd,
      );
    expect(load).toThrow(ConfigValidationError);
    try {
      load();
    } catch (error) {
      expect((error as ConfigValidationError).problems).toHaveLength(6);
    }
  });

  it('requires JWT_SECRET in production, and a long one anywhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, cwd)).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ JWT_SECRET: 'short' }, cwd)).toThrow(/at least 32 characters/);
  });

  it('generates a dev JWT secret once and keeps it in the data directory', () => {
    const first = loadConfig({}, cwd);
    const second = loadConfig({}, cwd);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret).toBe(first.jwtSecret);
    const file = join(cwd, '.data', 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});

describe('parseTtlSeconds / logLevelsFrom / parseTrustProxy', () => {
  it('reads TRUST_PROXY as a boolean, a hop count or a list', () => {
    expect([parseTrustProxy('true'), parseTrustProxy('false'), parseTrustProxy('1')]).toEqual([
      true,
      false,
      1,
    ]);
    expect(parseTrustProxy('loopback')).toBe('loopback');
  });

  it('converts durations', () => {
    expect([
      parseTtlSeconds('30s'),
      parseTtlSeconds('15m'),
      parseTtlSeconds('2h'),
      parseTtlSeconds('7d'),
    ]).toEqual([30, 900, 7200, 604800]);
  });

  it('enables the level and everything more severe', () => {
    expect(logLevelsFrom('fatal')).toEqual(['fatal']);
    expect(logLevelsFrom('verbose')).toHaveLength(6);
  });
});
