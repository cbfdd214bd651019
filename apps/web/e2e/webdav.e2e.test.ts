import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test('the account page says how to connect a WebDAV client and mints an app password that works at /dav/', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  const email = 'webdav@example.com';
  await signUp(page, suite.server.baseUrl, email);
  await page.getByRole('link', { name: 'Account' }).click();
  await visible(page, 'h2:text-is("Connect a WebDAV client")');
  const url = `${suite.server.baseUrl}/dav/`;
  expect(await page.getByTestId('webdav-url').textContent()).toBe(url);
  const section = page.locator('section[aria-labelledby="webdav-title"]');
  expect(await section.textContent()).toContain('rclone config create myfile webdav');

  await section.getByRole('button', { name: 'Create an app password' }).click();
  await visible(page, '[data-testid="webdav-password"]');
  const password = (await page.getByTestId('webdav-password').textContent()) ?? '';
  expect(password).toMatch(/^mfp_/);
  // The rclone example now carries the new password; the token list shows it, revocable.
  expect(await section.locator('pre').textContent()).toContain(password);
  await visible(page, 'ul[aria-label="Tokens"] li:has-text("WebDAV")');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'account-webdav');

  // What a WebDAV client would do with what the page showed.
  const listing = await fetch(url, {
    method: 'PROPFIND',
    headers: {
      depth: '0',
      authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`,
    },
  });
  expect(listing.status).toBe(207);
  expect(errors).toEqual([]);
});
