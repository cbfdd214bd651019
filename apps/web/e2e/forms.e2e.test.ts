import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { rowNames, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();
const PASSWORD = 'correct horse battery staple';

test('a deep link opened signed out comes back to that page after signing in', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'next@example.com');
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill('Reports');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('.node-name:text-is("Reports")').dblclick();
  await visible(page, 'h1:text-is("Reports")');
  const deepLink = new URL(page.url());
  deepLink.search = '?sort=size';

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await visible(page, 'h1:text-is("Sign in")');
  await page.goto(deepLink.href);
  await visible(page, 'h1:text-is("Sign in")');
  expect(new URL(page.url()).searchParams.get('next')).toBe(deepLink.pathname + deepLink.search);
  await page.getByLabel('Email').fill('next@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page, 'h1:text-is("Reports")');
  expect(page.url()).toBe(deepLink.href);

  // Another site is never a destination.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.goto(`${suite.server.baseUrl}/sign-in?next=${encodeURIComponent('//evil.example/')}`);
  await page.getByLabel('Email').fill('next@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page, 'h1:text-is("My files")');
  expect(new URL(page.url()).host).toBe(new URL(suite.server.baseUrl).host);
  expect(errors).toEqual([]);
  await page.close();
});

test('sign-up names every field problem at once, in words', async () => {
  const page = await suite.browser.newPage();
  await page.goto(`${suite.server.baseUrl}/sign-up`);
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('shorter');
  await page.getByRole('button', { name: 'Create account' }).click();
  await visible(page, '.field-error');
  expect(await page.locator('.field-error').allTextContents()).toEqual([
    'Enter an email address like name@example.com.',
    'Use at least 10 characters (5 so far).',
    'The passwords do not match.',
  ]);
  expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'sign-up-field-errors');
  await page.close();
});

test('a wrong current password is sent once and named as such; revoking asks first; signing out everywhere can take the tokens too', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'change@example.com');
  await page.getByRole('link', { name: 'Account' }).click();
  await visible(page, 'h2:text-is("Password")');
  const sent: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/auth/password') || pathname === '/api/auth/refresh') {
      sent.push(`${request.method()} ${pathname}`);
    }
  });

  await page.getByLabel('Current password', { exact: true }).fill('not my password at all');
  await page.getByLabel('New password', { exact: true }).fill('another long passphrase 42');
  await page.getByLabel('Confirm new password').fill('another long passphrase 43');
  await page.getByRole('button', { name: 'Change password' }).click();
  await visible(page, '.field-error:text-is("The passwords do not match.")');
  expect(sent).toEqual([]);

  await page.getByLabel('Confirm new password').fill('another long passphrase 42');
  await page.getByRole('button', { name: 'Change password' }).click();
  await visible(page, '.field-error:text-is("The current password is incorrect.")');
  expect(await page.locator('[role="alert"]').count()).toBe(0);
  expect(sent).toEqual(['POST /api/auth/password/change']);
  await saveScreenshot(page, 'change-password-wrong-current');

  await page.getByLabel('Token name').fill('nightly backup');
  await page.getByRole('button', { name: 'Create token' }).click();
  await visible(page, '.token-value');
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Revoke nightly backup' }).click();
  const confirm = page.getByRole('dialog', { name: 'Revoke “nightly backup”?' });
  await visible(page, 'dialog[open]');
  // Focus starts on Cancel: Enter right away changes nothing.
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
  expect(await page.locator('ul[aria-label="Tokens"] li').count()).toBe(1);
  await page.getByRole('button', { name: 'Revoke nightly backup' }).click();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'revoke-token-confirm');
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await visible(page, '.toast:has-text("Revoked “nightly backup”.")');
  await expect.poll(() => page.locator('ul[aria-label="Tokens"] li').count()).toBe(0);
  await page.getByLabel('Token name').fill('sync script');
  await page.getByRole('button', { name: 'Create token' }).click();
  await visible(page, '.token-value');
  await page.getByRole('button', { name: 'Done' }).click();

  // A second device, so "Sign out everywhere else" is offered; it asks before acting.
  const other = await suite.browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`${suite.server.baseUrl}/sign-in`);
  await otherPage.getByLabel('Email').fill('change@example.com');
  await otherPage.getByLabel('Password').fill(PASSWORD);
  await otherPage.getByRole('button', { name: 'Sign in' }).click();
  await visible(otherPage, 'h1:text-is("My files")');
  await page.reload();
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  const everywhere = page.getByRole('dialog', { name: 'Sign out everywhere else?' });
  expect(await everywhere.textContent()).toMatch(/Every other device \(1\)/);
  // Tokens stay unless asked; asked, the script's token goes with the other devices.
  const alsoTokens = everywhere.getByLabel(/Also revoke personal access tokens and app passwords/);
  expect(await alsoTokens.isChecked()).toBe(false);
  await alsoTokens.check();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await everywhere.getByRole('button', { name: 'Sign out other devices' }).click();
  await visible(page, '.toast:has-text("Every other device is signed out and 1 token revoked.")');
  await expect.poll(() => page.locator('ul[aria-label="Tokens"] li').count()).toBe(0);
  await other.close();
  expect(errors).toEqual([]);
  await page.close();
});

test('dialogs start where typing belongs: New folder in its name, Move on its action', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'focus@example.com');
  await page.getByRole('button', { name: 'New folder' }).click();
  await visible(page, 'dialog[open]');
  await page.keyboard.type('Typed straight away');
  await page.keyboard.press('Enter');
  await expect.poll(() => rowNames(page)).toEqual(['Typed straight away']);

  await page.getByRole('button', { name: 'New folder' }).click();
  await page.keyboard.type('Target');
  await page.keyboard.press('Enter');
  await expect.poll(() => rowNames(page)).toEqual(['Target', 'Typed straight away']);

  await page.locator('.node-name:text-is("Typed straight away")').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Move…' }).click();
  await visible(page, 'dialog[open]');
  const focused = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { textContent: string } | null } })
          .document.activeElement?.textContent,
    );
  expect(await focused()).toBe('Move here');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});
