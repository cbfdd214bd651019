import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, saveScreenshot, watchForPageErrors } from './browser.js';
import { startE2eServer, type E2eServer } from './e2e-server.js';
import { dropFiles, rowNames, signUp, visible } from './helpers.js';

let server: E2eServer;
let browser: Browser;
beforeAll(async () => {
  server = await startE2eServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await server.stop();
});

test('a large file goes over tus: paused mid-way, resumed from the server offset, then done', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  const tusRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/uploads')) tusRequests.push(request.method());
  });
  await signUp(page, server.baseUrl, 'tus@example.com');

  // A slow uplink, so there is time to pause.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 3 * 1024 * 1024,
  });

  await dropFiles(page, [{ name: 'video.bin', size: 12 * 1024 * 1024 }]);
  await expect
    .poll(
      async () => Number(await page.getByLabel('video.bin upload progress').getAttribute('value')),
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Pause video.bin' }).click();
  await visible(page, '.upload-status:text-is("Paused")');
  await saveScreenshot(page, 'upload-paused');

  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await page.getByRole('button', { name: 'Resume video.bin' }).click();
  await expect
    .poll(() => page.locator('#upload-panel-title').textContent(), { timeout: 30_000 })
    .toBe('Uploads: 1 of 1 done');
  expect(tusRequests[0]).toBe('POST');
  expect(tusRequests).toContain('HEAD');
  await expect.poll(() => rowNames(page)).toEqual(['video.bin']);
  await visible(page, '.col-size:text-is("12.6 MB")');
  expect(errors).toEqual([]);
  await context.close();
});

test('a name conflict is resolved by the server and the panel says what the file became', async () => {
  const page = await browser.newPage();
  await signUp(page, server.baseUrl, 'conflict@example.com');
  await dropFiles(page, [{ name: 'report.txt', size: 10 }]);
  await expect.poll(() => rowNames(page)).toEqual(['report.txt']);
  await dropFiles(page, [{ name: 'report.txt', size: 20 }]);
  await visible(page, '.upload-status:text-is("Uploaded as “report (1).txt”")');
  await expect.poll(() => rowNames(page)).toEqual(['report (1).txt', 'report.txt']);
  await page.close();
});
