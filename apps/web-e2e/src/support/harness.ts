import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { startServer, type RunningServer } from './server';

export interface BrowserHarness {
  /** Set once `beforeAll` has run. */
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * The lifecycle every browser spec shares: the built app on a free port (with its own database)
 * and one Chromium, started before the file's tests and stopped after them.
 */
export function useServerAndBrowser(env: NodeJS.ProcessEnv = {}): BrowserHarness {
  const started: { server?: RunningServer; browser?: Browser } = {};
  beforeAll(async () => {
    started.server = await startServer(env);
    started.browser = await launchBrowser();
  });
  afterAll(async () => {
    await started.browser?.close();
    await started.server?.stop();
  });
  return {
    get server(): RunningServer {
      if (!started.server) throw new Error('the server starts in beforeAll');
      return started.server;
    },
    get browser(): Browser {
      if (!started.browser) throw new Error('the browser starts in beforeAll');
      return started.browser;
    },
  };
}
