import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import { startE2eServer, type E2eServer } from './e2e-server.js';

/** The built app and one Chromium for a test file: started before its tests, stopped after. */
export const useAppAndBrowser = (
  options: { publicHost?: string; env?: Record<string, string> } = {},
) => {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startE2eServer(options);
    browser = await launchBrowser(
      options.publicHost ? [`--host-resolver-rules=MAP ${options.publicHost} 127.0.0.1`] : [],
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('The e2e server is used before beforeAll started it.');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is used before beforeAll launched it.');
      return browser;
    },
  };
};
