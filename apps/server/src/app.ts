import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { AppModule } from './app.module';
import { type AppConfig, loadConfig } from './config/app-config';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { createValidationPipe } from './common/validation/validation.pipe';
import { setupOpenApi } from './openapi/openapi';

export const API_PREFIX = 'api';

export interface CreateAppOptions {
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Base for relative paths in the environment (data dir, web dist). Defaults to `process.cwd()`. */
  cwd?: string;
}

export interface ParleyApp {
  app: INestApplication;
  config: AppConfig;
}

/** Builds the whole app without listening, so `main.ts` and the black-box tests boot the same thing. */
export async function createApp(options: CreateAppOptions = {}): Promise<ParleyApp> {
  const config = loadConfig(options.env ?? process.env, options.cwd);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: config.logLevels,
    // Throw instead of exiting the process: tests need the error, main.ts reports it.
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useWebSocketAdapter(new IoAdapter(app));
  setupOpenApi(app);
  return { app, config };
}
