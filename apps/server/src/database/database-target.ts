import { mkdirSync } from 'node:fs';
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
 * `<data dir>/db`, so a fresh checkout works with no database installed.
 */
export async function resolveDatabaseTarget(
  config: AppConfig,
  logger = new Logger('Database'),
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
  const server = await EmbeddedMongo.start({ port: 0, dbPath });
  const dbName = config.mongodbDbName ?? DEFAULT_DATABASE_NAME;
  logger.log(
    `Using embedded MongoDB at ${redactMongoUri(server.uri)} (database "${dbName}", files in ${dbPath})`,
  );
  return new DatabaseTarget('embedded', server.uri, dbName, () => server.stop());
}
