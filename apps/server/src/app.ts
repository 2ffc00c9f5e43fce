import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Server, ServerOptions } from 'socket.io';
import { AppModule } from './app.module';
import { AckResponder } from './chat/ack-responder';
import { ChatDrain } from './chat/chat-drain';
import { bindPlainMessageHandlers } from './chat/plain-message-handlers';
import { createRedisSocketAdapter, type RedisSocketAdapter } from './chat/socket-adapter';
import { AppConfig, loadConfig } from './config/app-config';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { originAllowed, originCheck, restRateLimit } from './common/rate-limit/http-middleware';
import { RateLimitStore } from './common/rate-limit/rate-limit-store';
import { createValidationPipe } from './common/validation/validation.pipe';
import { DOCS_PATH, setupOpenApi } from './openapi/openapi';

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

type OriginPredicate = (origin: string, host: string | undefined) => boolean;

/**
 * Refuses socket handshakes from foreign origins before any connection exists. With `REDIS_URL`
 * set, sockets of every server process share rooms through Redis (docs/decisions/0008).
 */
class OriginCheckingIoAdapter extends IoAdapter {
  private readonly redisAdapters: RedisSocketAdapter[] = [];
  private acks?: AckResponder;

  constructor(
    private readonly app: INestApplication,
    private readonly isAllowed: OriginPredicate,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const { redisUrl } = this.app.get(AppConfig);
    const redis = redisUrl ? createRedisSocketAdapter(redisUrl) : undefined;
    if (redis) this.redisAdapters.push(redis);
    return super.createIOServer(port, {
      ...options,
      ...(redis ? { adapter: redis.adapter } : {}),
      allowRequest: (
        request: IncomingMessage,
        callback: (error: string | null | undefined, success: boolean) => void,
      ) => {
        const { origin, host } = request.headers;
        callback(null, origin === undefined || this.isAllowed(origin, host));
      },
    }) as Server;
  }

  /** One listener per socket instead of an RxJS pipeline per handler per socket (see there). */
  override bindMessageHandlers(
    ...[socket, handlers]: Parameters<IoAdapter['bindMessageHandlers']>
  ): void {
    this.acks ??= this.app.get(AckResponder, { strict: false });
    bindPlainMessageHandlers(socket, handlers, (payload) => this.mapPayload(payload), this.acks);
  }

  /** Nest calls this after closing every socket server, whose last broadcasts still need Redis. */
  override async dispose(): Promise<void> {
    await Promise.all(this.redisAdapters.splice(0).map((redis) => redis.close()));
    await super.dispose();
  }
}

/**
 * The built SPA is module scripts and one stylesheet from /assets, so everything can be 'self'.
 * Swagger UI inlines its styles, so /api/docs alone allows inline styles.
 */
function securityHeaders(production: boolean) {
  const directives = {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    // blob: for images fetched with the bearer token (`<img src>` cannot send it): /api/files.
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    // 'self' covers same-origin ws:/wss: in CSP Level 3.
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    // Only behind TLS: on plain-http development it would break every asset request.
    upgradeInsecureRequests: production ? [] : null,
  };
  const app = helmet({ contentSecurityPolicy: { useDefaults: false, directives } });
  const docs = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...directives, styleSrc: ["'self'", "'unsafe-inline'"] },
    },
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    (request.path.startsWith(`/${DOCS_PATH}`) ? docs : app)(request, response, next);
  };
}

/** Builds the whole app without listening, so `main.ts` and the black-box tests boot the same thing. */
export async function createApp(options: CreateAppOptions = {}): Promise<ParleyApp> {
  const config = loadConfig(options.env ?? process.env, options.cwd);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: config.logLevels,
    // Throw instead of exiting the process: tests need the error, main.ts reports it.
    abortOnError: false,
  });
  const isAllowedOrigin = originAllowed(config.corsOrigins);
  app.disable('x-powered-by');
  app.use(securityHeaders(config.production));
  app.use(originCheck(isAllowedOrigin));
  app.use(
    `/${API_PREFIX}`,
    restRateLimit(
      app
        .get(RateLimitStore)
        .createRateLimiter('rest', { points: config.restRequestsPerMinute, durationSeconds: 60 }),
    ),
  );
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, maxAge: 600 });
  }
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useWebSocketAdapter(new OriginCheckingIoAdapter(app, isAllowedOrigin));
  setupOpenApi(app);
  return { app, config };
}

/**
 * SIGTERM/SIGINT: drain the sockets (refuse new work, finish writes in flight, make clients
 * reconnect), then let Nest close the HTTP server and the database.
 */
export async function closeGracefully(app: INestApplication, signal?: string): Promise<void> {
  await app.get(ChatDrain, { strict: false }).drain();
  await app.close();
  if (signal) new Logger('Shutdown').log(`${signal}: closed`);
}
