import { expect, test } from 'vitest';
import { watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test('deleting the account from the account page signs out, and the address is free again', async () => {
  // The instance's first account administers it, and the last administrator may not leave.
  const first = await suite.browser.newPage();
  await signUp(first, suite.server.baseUrl, 'staying-admin@example.com');
  await first.close();
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'leaving@example.com');
  await page.goto(`${suite.server.baseUrl}/account`);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('button', { name: 'Delete account and files' }).click();
  await visible(page, 'button:text-is("Sign in")');
  // Signed out for good: the old password no longer opens anything.
  await page.getByLabel('Email').fill('leaving@example.com');
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page, '[role="alert"]');
  // The address was freed at once: a new account can take it.
  const again = await suite.browser.newPage();
  await signUp(again, suite.server.baseUrl, 'leaving@example.com');
  expect(errors).toEqual([]);
  await page.close();
  await again.close();
});
