import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import type { AppConfig } from '../../src/config/app-config';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Boots the real app on an ephemeral port with its own data directory: the embedded database by
 * default, or `MONGODB_URI` (then in a database of its own, dropped on close).
 */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-test-'));
  const externalUri = process.env['MONGODB_URI'];
  const { app, config } = await createApp({
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      PARLEY_DATA_DIR: dataDir,
      // Keep tests independent of whether the web app happens to be built.
      WEB_DIST_DIR: join(dataDir, 'no-web-app'),
      ...(externalUri
        ? { MONGODB_URI: externalUri, MONGODB_DB_NAME: `parley_test_${randomUUID().slice(0, 8)}` }
        : {}),
      ...env,
    },
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = await app.getUrl();
  return {
    app,
    config,
    baseUrl,
    http: request(baseUrl),
    close: async () => {
      if (config.mongodbUri) await app.get<Connection>(getConnectionToken()).dropDatabase();
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
