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
  // The folder page itself: its toolbar, columns, count, the kind of each file, the breadcrumb.
  const toolbar = page.getByRole('toolbar', { name: 'Ordneraktionen' });
  for (const name of ['Neuer Ordner', 'Dateien hochladen', 'Ordner hochladen']) {
    expect(await toolbar.getByRole('button', { name }).isVisible()).toBe(true);
  }
  await visible(page, '.toolbar :text-is("Als ZIP herunterladen")');
  await visible(page, '[role="columnheader"] button:has-text("Größe")');
  await visible(page, '[role="columnheader"] button:has-text("Geändert")');
  await visible(page, '.selection-bar:has-text("2 Elemente")');
  await visible(page, '.col-type:text-is("Reiner Text")');
  await visible(page, 'nav[aria-label="Pfad"] a:text-is("Meine Dateien")');
  expect(await page.getByRole('button', { name: 'New folder' }).count()).toBe(0);
  await page.locator('.node-name:text-is("a.txt")').click({ button: 'right' });
  expect(await page.getByRole('menuitem').allTextContents()).toContain('In den Papierkorb');
  await page.keyboard.press('Escape');

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
