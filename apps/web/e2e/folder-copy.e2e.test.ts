import { expect, test } from 'vitest';
import { watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { rowNames, setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test('Copy on a folder has the server copy it in a job; the toast follows it and the copy appears whole', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'folder-copy@example.com');
  await setUp(page, [
    { name: 'Album', files: ['one.txt', 'two.txt', 'three.txt'] },
    { name: 'Backup', files: [] },
  ]);
  await page.reload();
  await visible(page, '.node-name:text-is("Album")');

  await page.locator('.node-name:text-is("Album")').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Copy…' }).click();
  await page.locator('dialog').getByRole('button', { name: 'Backup' }).click();
  await visible(page, 'dialog nav button:text-is("Backup")');
  await page.getByRole('button', { name: 'Copy here' }).click();
  await visible(page, '.toast:has-text("Copied “Album”.")');

  await page.locator('.node-name:text-is("Backup")').dblclick();
  await expect.poll(() => rowNames(page)).toEqual(['Album']);
  await page.locator('.node-name:text-is("Album")').dblclick();
  await expect.poll(() => rowNames(page)).toEqual(['one.txt', 'three.txt', 'two.txt']);
  expect(errors).toEqual([]);
  await context.close();
});
