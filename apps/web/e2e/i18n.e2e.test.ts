import { expect, test } from 'vitest';
import { watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test('switching to German turns the folder page German, and a reload keeps it', async () => {
  const page = await suite.browser.newPage({ locale: 'en-US' });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'sprache@example.com');
  const ids = await setUp(page, [{ name: 'Berichte', files: ['a.txt', 'b.txt'] }]);
  await page.goto(`${suite.server.baseUrl}/folders/${ids.Berichte ?? ''}`);
  await visible(page, 'nav a:text-is("Trash")');

  await page.getByRole('combobox', { name: 'Language' }).selectOption('de');
  await visible(page, 'nav a:text-is("Papierkorb")');
  await visible(page, 'nav a:text-is("Dateien")');
  await visible(page, '.usage:has-text("Dateien")');
  expect(await page.locator('html').getAttribute('lang')).toBe('de');

  await page.reload();
  await visible(page, 'nav a:text-is("Papierkorb")');
  await visible(page, 'nav a:text-is("Für mich freigegeben")');
  expect(await page.getByRole('combobox', { name: 'Sprache' }).inputValue()).toBe('de');
  expect(await page.locator('nav a:text-is("Trash")').count()).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});

test('a first visit from a German browser is German without asking', async () => {
  const context = await suite.browser.newContext({ locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto(suite.server.baseUrl);
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('de');
  expect(await page.getByRole('combobox', { name: 'Sprache' }).inputValue()).toBe('de');
  await context.close();
});
