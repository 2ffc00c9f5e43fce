import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { AppConfig } from '../config/app-config';

/**
 * Every GET except `/api…` and `/socket.io…` falls back to index.html. This is a `renderPath`
 * pattern rather than the module's `exclude` option on purpose: `exclude` also installs an error
 * handler that turns ANY error on an excluded path into a 404, which would hide the JSON parser's
 * 400 and 413 answers from the API.
 */
export const SPA_FALLBACK_PATH = /^(?!\/(?:api|socket\.io)(?:\/|$)).*/;

/** Serves the built web app with a SPA fallback, so deep links like `/rooms/abc` load index.html. */
@Module({
  imports: [
    ServeStaticModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('WebModule');
        if (!existsSync(join(config.webDistDir, 'index.html'))) {
          logger.log(`No web app at ${config.webDistDir}; serving the API only`);
          return [];
        }
        logger.log(`Serving the web app from ${config.webDistDir}`);
        return [
          {
            rootPath: config.webDistDir,
            renderPath: SPA_FALLBACK_PATH,
            serveStaticOptions: { index: 'index.html' },
          },
        ];
      },
    }),
  ],
})
export class WebModule {}
