import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { ConfigValidationError } from './config/app-config';

async function bootstrap(): Promise<void> {
  // A local `.env` is optional; real deployments set the environment directly.
  try {
    process.loadEnvFile();
  } catch {
    // No .env file: nothing to load.
  }
  const { app, config } = await createApp();
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.port, config.host);
  Logger.log(
    `Parley listening on ${await app.getUrl()} (API at /api, docs at /api/docs)`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // Config errors are the operator's to fix and read best without a stack trace.
  console.error(error instanceof ConfigValidationError ? error.message : error);
  process.exit(1);
});
