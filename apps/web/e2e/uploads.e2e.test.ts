import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { dropFiles, rowNames, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test('a large file goes over tus: paused mid-way, resumed from the server offset, then done', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  const tusRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/uploads')) tusRequests.push(request.method());
  });
  await signUp(page, suite.server.baseUrl, 'tus@example.com');

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

  // Closing the tab with an unfinished upload asks first (dismissed: the tab stays).
  const prompts: string[] = [];
  page.on('dialog', (dialog) => {
    prompts.push(dialog.type());
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => prompts).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);

  const progress = async () =>
    Number(await page.getByLabel('video.bin upload progress').getAttribute('value'));
  const pausedAt = await progress();
  await page.getByRole('button', { name: 'Resume video.bin' }).click();
  // Still on the slow link: the resumed upload's bar moves on from where it paused.
  await expect.poll(progress, { timeout: 20_000 }).toBeGreaterThan(pausedAt);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await expect
    .poll(() => page.locator('#upload-panel-title').textContent(), { timeout: 30_000 })
    .toBe('Uploads: 1 of 1 done');
  expect(tusRequests[0]).toBe('POST');
  expect(tusRequests).toContain('HEAD');
  await expect.poll(() => rowNames(page)).toEqual(['video.bin']);
  await visible(page, '.col-size:text-is("12 MiB")');
  expect(errors).toEqual([]);
  // Nothing left to upload: closing asks nothing.
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(prompts).toEqual(['beforeunload']);
  await context.close();
});

test('a name conflict is resolved by the server and the panel says what the file became', async () => {
  const page = await suite.browser.newPage();
  await signUp(page, suite.server.baseUrl, 'conflict@example.com');
  await dropFiles(page, [{ name: 'report.txt', size: 10 }]);
  await expect.poll(() => rowNames(page)).toEqual(['report.txt']);
  await dropFiles(page, [{ name: 'report.txt', size: 20 }]);
  await visible(page, '.upload-status:text-is("Uploaded as “report (1).txt”")');
  await expect.poll(() => rowNames(page)).toEqual(['report (1).txt', 'report.txt']);
  await page.close();
});

test('a whole folder uploads with its subfolders, reusing a folder that already exists', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-folder-'));
  const root = path.join(dir, 'Holiday');
  await fs.mkdir(path.join(root, 'day 1'), { recursive: true });
  await fs.writeFile(path.join(root, 'plan.txt'), 'plan');
  await fs.writeFile(path.join(root, 'day 1', 'notes.txt'), 'notes');
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'folders@example.com');
  await page.getByLabel('Folder to upload').setInputFiles(root);
  await expect.poll(() => rowNames(page), { timeout: 15_000 }).toEqual(['Holiday']);
  await page.locator('.node-name:text-is("Holiday")').dblclick();
  await expect.poll(() => rowNames(page)).toEqual(['day 1', 'plan.txt']);
  await page.locator('.node-name:text-is("day 1")').dblclick();
  await expect.poll(() => rowNames(page)).toEqual(['notes.txt']);

  // The same folder again: the folders are reused and the files renamed beside the old ones.
  await page.getByRole('link', { name: 'My files' }).click();
  // The root's own input: set before the folder view changes, the files land on the old one.
  await expect.poll(() => rowNames(page)).toEqual(['Holiday']);
  await page.getByLabel('Folder to upload').setInputFiles(root);
  await visible(page, '.upload-status:text-is("Uploaded as “plan (1).txt”")');
  await expect.poll(() => rowNames(page)).toEqual(['Holiday']);
  expect(errors).toEqual([]);
  await page.close();
  await fs.rm(dir, { recursive: true, force: true });
});
