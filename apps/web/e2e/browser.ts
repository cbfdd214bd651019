import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium; the flags keep it from reaching for the network this machine lacks. */
export const launchBrowser = async (extraArgs: string[] = []): Promise<Browser> => {
  await fs.access(CHROMIUM).catch(() => {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (.ci/run does).`,
    );
  });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
};

/** Collects what a person would call a broken page: script errors and CSP violations. */
export const watchForPageErrors = (page: Page) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A 401 from /api/auth/me while signed out is expected; the browser logs every non-2xx.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  return errors;
};

export const screenshotsDir = path.resolve('.test-output', 'screenshots');

export const saveScreenshot = async (page: Page, name: string) => {
  await fs.mkdir(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
};
