import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  startTestProvider,
  type TestProvider,
} from '../../server/src/test-support/oidc-provider.js';
import { launchBrowser, watchForPageErrors } from './browser.js';
import { freePort, startE2eServer, type E2eServer } from './e2e-server.js';
import { visible } from './helpers.js';

let provider: TestProvider | undefined;
let server: E2eServer | undefined;
let browser: Browser | undefined;

/**
 * The built app with password sign-in off and one OpenID provider, a real `oidc-provider` on a
 * loopback port (the one the server's tests use), whose development login page is clicked
 * through like any provider's.
 */
beforeAll(async () => {
  // The provider must know our callback URL before it starts, and we its issuer.
  const port = await freePort();
  provider = await startTestProvider({
    clients: [
      {
        client_id: 'myfile-e2e',
        client_secret: 'myfile-e2e-secret',
        redirect_uris: [`http://127.0.0.1:${port}/api/auth/oidc/corp/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    accounts: { ada: { email: 'ada@corp.example', email_verified: true, name: 'Ada' } },
  });
  // A second provider nobody answers for: nothing listens on its port.
  const deadPort = await freePort();
  server = await startE2eServer({
    port,
    env: {
      PASSWORD_SIGNIN: 'false',
      OIDC_ALLOW_SIGNUP: 'true',
      OIDC_PROVIDERS: 'corp,partner',
      OIDC_PARTNER_ISSUER: `http://127.0.0.1:${deadPort}`,
      OIDC_PARTNER_CLIENT_ID: 'myfile-e2e',
      OIDC_PARTNER_CLIENT_SECRET: 'myfile-e2e-secret',
      OIDC_PARTNER_LABEL: 'Partner SSO',
      OIDC_CORP_ISSUER: provider.issuer,
      OIDC_CORP_CLIENT_ID: 'myfile-e2e',
      OIDC_CORP_CLIENT_SECRET: 'myfile-e2e-secret',
      OIDC_CORP_LABEL: 'Corp SSO',
    },
  });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.close();
});

const started = () => {
  if (!server || !browser || !provider) throw new Error('not started');
  return { server, browser, provider };
};

/** The provider's own pages: its login form, then its consent screen. */
const signInAtProvider = async (page: Page, account: string) => {
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
};

test('password sign-in off: only the provider buttons; a provider sign-in lands signed in on ?next=, the account lists it and keeps it as the last way in', async () => {
  const { server: app, browser: chromium } = started();
  const page = await chromium.newPage();
  const errors = watchForPageErrors(page);
  await page.goto(`${app.baseUrl}/sign-in?next=/account`);
  await visible(page, 'a:text-is("Sign in with Corp SSO")');
  expect(await page.getByLabel('Email').count()).toBe(0);
  expect(await page.getByRole('link', { name: 'Create an account' }).count()).toBe(0);
  await visible(page, 'text=Password sign-in is turned off here');

  await page.getByRole('link', { name: 'Sign in with Corp SSO' }).click();
  await signInAtProvider(page, 'ada');
  await visible(page, 'h1:text-is("Account")');
  expect(new URL(page.url()).pathname).toBe('/account');
  await visible(page, 'text=Signed in as ada@corp.example');
  const linked = page.getByRole('list', { name: 'Linked providers' });
  await expect.poll(() => linked.textContent()).toContain('Corp SSO');
  await visible(page, 'text=Signed in with a sign-in provider');

  // It is the account's only way in: unlinking is refused, and says why.
  await page.getByRole('button', { name: 'Unlink Corp SSO' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
  const dialog = page.getByRole('dialog');
  await expect
    .poll(() => dialog.getByRole('alert').textContent(), { timeout: 15_000 })
    .toContain('last way to sign in');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  expect(await linked.textContent()).toContain('Corp SSO');

  // The sign-up page does not offer a password account either.
  await page.context().clearCookies();
  await page.goto(`${app.baseUrl}/sign-up`);
  await visible(page, 'text=Accounts here are made by signing in with a sign-in provider');
  expect(errors).toEqual([]);
  await page.close();
});

test('a provider that is down: its button leads to a clear page with a way back, not a stack trace', async () => {
  const { server: app, browser: chromium } = started();
  const page = await chromium.newPage();
  await page.goto(`${app.baseUrl}/sign-in`);
  await page.getByRole('link', { name: 'Sign in with Partner SSO' }).click();
  await visible(page, 'h1:text-is("The sign-in provider cannot be reached")');
  expect(await page.locator('body').textContent()).toContain('Partner SSO cannot be reached');
  await page.getByRole('link', { name: 'Back to My File' }).click();
  await visible(page, 'a:text-is("Sign in with Partner SSO")');
  await page.close();
});
