import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { dropFiles, rowNames, signUp, visible } from './helpers.js';

// A NAS on the LAN: plain http under a name that is not localhost (browsers treat localhost
// as secure, so only another name shows what a person at home sees).
const suite = useAppAndBrowser({ publicHost: 'nas.example.test' });

test('over plain http at a LAN name the app loads, signs up, uploads and goes live', async () => {
  expect(suite.server.baseUrl).toMatch(/^http:\/\/nas\.example\.test:\d+$/);
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  const assets: string[] = [];
  page.on('request', (request) => assets.push(request.url()));
  await signUp(page, suite.server.baseUrl, 'nas@example.com');
  expect(assets.filter((url) => url.startsWith('https:'))).toEqual([]);
  await dropFiles(page, [{ name: 'lan.txt', size: 1_000 }]);
  await expect.poll(() => rowNames(page)).toEqual(['lan.txt']);
  await visible(page, '.live-indicator:text-is("Live")');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'lan-host-http');
  expect(errors).toEqual([]);
  await page.close();
});

test('opened at another address than PUBLIC_URL, signing up says which address to use', async () => {
  const page = await suite.browser.newPage();
  const other = suite.server.baseUrl.replace('nas.example.test', '127.0.0.1');
  await page.goto(`${other}/sign-up`);
  await page.getByLabel('Email').fill('elsewhere@example.com');
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByLabel('Confirm password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await visible(page, '[role="alert"]');
  expect(await page.locator('[role="alert"]').textContent()).toBe(
    `This page is open at ${other}, but this server accepts requests only from ` +
      `${suite.server.baseUrl}. Open ${suite.server.baseUrl} instead, or ask whoever runs it ` +
      'to set PUBLIC_URL to the address you use.',
  );
  await saveScreenshot(page, 'lan-host-origin-mismatch');
  await page.close();
});

test('at a LAN name, a share link is made, copied without the Clipboard API and opened signed out', async () => {
  const owner = await (await suite.browser.newContext()).newPage();
  const errors = watchForPageErrors(owner);
  await signUp(owner, suite.server.baseUrl, 'nas-sharer@example.com');
  await owner.getByRole('button', { name: 'New folder' }).click();
  await owner.getByLabel('Folder name').fill('Holiday');
  await owner.getByRole('button', { name: 'Create' }).click();
  await owner.locator('.node-name:text-is("Holiday")').dblclick();
  await visible(owner, 'h1:text-is("Holiday")');
  await dropFiles(owner, [{ name: 'map.txt', size: 700 }]);
  await expect.poll(() => rowNames(owner)).toEqual(['map.txt']);
  await owner.getByRole('button', { name: 'Share…' }).click();
  await owner.getByRole('button', { name: 'Create link' }).click();
  await visible(owner, '#new-link-url');
  const url = await owner.locator('#new-link-url').inputValue();
  expect(url.startsWith(`${suite.server.baseUrl}/s/`)).toBe(true);
  // Plain http at a LAN name is no secure context: the copy falls back to the selection.
  expect(
    await owner.evaluate(
      () => (globalThis as unknown as { isSecureContext: boolean }).isSecureContext,
    ),
  ).toBe(false);
  await owner.getByRole('button', { name: 'Copy link', exact: true }).click();
  await visible(
    owner,
    '.toast:has-text("Link copied."), .toast:has-text("to copy the selected link")',
  );

  const visitor = await (await suite.browser.newContext()).newPage();
  errors.push(...watchForPageErrors(visitor));
  await visitor.goto(url);
  await visible(visitor, '.node-name:text-is("map.txt")');
  expect(await seriousAxeViolations(visitor)).toEqual([]);
  expect(errors).toEqual([]);
});
