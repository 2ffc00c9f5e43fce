import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { closeGracefully, createApp } from './app';
import { ConfigValidationError } from './config/app-config';

/** Drain (at most 5 s) plus closing the HTTP server and the database. */
const SHUTDOWN_DEADLINE_MS = 15_000;

async function bootstrap(): Promise<void> {
  // A local `.env` is optional; real deployments set the environment directly.
  try {
    process.loadEnvFile();
  } catch {
    // No .env file: nothing to load.
  }
  const { app, config } = await createApp();
  await app.listen(config.port, config.host);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    // Bounded: whatever hangs, the process is gone within the deadline.
    setTimeout(() => {
      Logger.error(
        `${signal}: shutdown took over ${SHUTDOWN_DEADLINE_MS} ms; exiting`,
        'Bootstrap',
      );
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    closeGracefully(app, signal).then(
      () => process.exit(0),
      (error: unknown) => {
        Logger.error(`${signal}: shutdown failed: ${String(error)}`, 'Bootstrap');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
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
