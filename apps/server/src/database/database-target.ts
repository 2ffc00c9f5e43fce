import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { DatabaseMode } from '@parley/contracts';
import { EmbeddedMongo } from '@parley/embedded-mongo';
import type { AppConfig } from '../config/app-config';
import { databaseNameFromUri, redactMongoUri } from './redact-mongo-uri';

export const DEFAULT_DATABASE_NAME = 'parley';

/** Which database the app talks to, and how to release it. Resolved once at boot. */
export class DatabaseTarget {
  constructor(
    readonly mode: DatabaseMode,
    readonly uri: string,
    readonly dbName: string,
    private readonly release: () => Promise<void> = () => Promise.resolve(),
  ) {}

  stop(): Promise<void> {
    return this.release();
  }
}

/**
 * `MONGODB_URI` wins; without it Parley runs its own MongoDB-compatible server with its files in
 * `<data dir>/db`, so a fresh checkout works with no database installed. The app talks to that
 * server over a Unix socket where it can (a round trip there costs the kernel less than TCP
 * loopback); the TCP address stays open, for tools, and is the one logged first (`apps/bench`
 * reads it from that line).
 */
export async function resolveDatabaseTarget(
  config: AppConfig,
  logger: Pick<Logger, 'log'> = new Logger('Database'),
): Promise<DatabaseTarget> {
  if (config.mongodbUri) {
    const dbName =
      config.mongodbDbName ?? databaseNameFromUri(config.mongodbUri) ?? DEFAULT_DATABASE_NAME;
    logger.log(
      `Using external MongoDB at ${redactMongoUri(config.mongodbUri)} (database "${dbName}")`,
    );
    return new DatabaseTarget('external', config.mongodbUri, dbName);
  }
  const dbPath = join(config.dataDir, 'db');
  mkdirSync(dbPath, { recursive: true });
  const server = await EmbeddedMongo.start({ port: 0, dbPath, unixSocket: unixSocketFits() });
  const dbName = config.mongodbDbName ?? DEFAULT_DATABASE_NAME;
  const viaSocket = server.socketUri
    ? `; this app connects through ${decodeURIComponent(new URL(server.socketUri).host)}`
    : '';
  logger.log(
    `Using embedded MongoDB at ${redactMongoUri(server.uri)} (database "${dbName}", files in ${dbPath}${viaSocket})`,
  );
  return new DatabaseTarget('embedded', server.socketUri ?? server.uri, dbName, () =>
    server.stop(),
  );
}

/**
 * Whether the embedded server can listen on a Unix socket too: not on Windows, and only where its
 * path (`<tmpdir>/embedded-mongo-<port>.sock`) fits in `sun_path` (104 bytes on macOS, 108 on
 * Linux, each with the closing NUL). The server cannot fall back to TCP alone once that listen has
 * failed, so a long `TMPDIR` means TCP rather than a failed boot.
 */
export function unixSocketFits(platform = process.platform, directory = tmpdir()): boolean {
  if (platform === 'win32') return false;
  return Buffer.byteLength(join(directory, 'embedded-mongo-65535.sock')) < 104;
}
