import { expect, test } from 'vitest';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { dropFiles, rowNames, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test("a second browser sees the first one's upload, rename and delete appear live", async () => {
  const first = await (await suite.browser.newContext()).newPage();
  const second = await (await suite.browser.newContext()).newPage();
  const errors = [...watchForPageErrors(first), ...watchForPageErrors(second)];
  await signUp(first, suite.server.baseUrl, 'live@example.com');

  await second.goto(`${suite.server.baseUrl}/sign-in`);
  await second.getByLabel('Email').fill('live@example.com');
  await second.getByLabel('Password').fill('correct horse battery staple');
  await second.getByRole('button', { name: 'Sign in' }).click();
  await visible(second, 'h1:text-is("My files")');
  await visible(second, '.live-indicator:text-is("Live")');

  await dropFiles(first, [{ name: 'shared.txt', size: 2_000 }]);
  await expect.poll(() => rowNames(second), { timeout: 15_000 }).toEqual(['shared.txt']);
  await saveScreenshot(second, 'live-second-tab');

  await first.locator('.node-name:text-is("shared.txt")').click();
  await first.keyboard.press('F2');
  await first.getByLabel('New name').fill('renamed.txt');
  await first.keyboard.press('Enter');
  await expect.poll(() => rowNames(second), { timeout: 15_000 }).toEqual(['renamed.txt']);

  await first.locator('.node-name:text-is("renamed.txt")').click();
  await first.keyboard.press('Delete');
  await visible(second, 'text=This folder is empty.');
  expect(errors).toEqual([]);
});
