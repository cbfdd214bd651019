import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { totpCodeAt } from '../../server/src/modules/two-factor/totp.models.js';
import { seriousAxeViolations } from './axe.js';
import { watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();
const PASSWORD = 'correct horse battery staple';
const STEP = 30_000;

type Answer = { status: number; body: Record<string, unknown> };

/** A JSON call made by the page itself, with its cookies and CSRF token (no DOM types here). */
const api = (page: Page, path: string, body: object) =>
  page.evaluate<Answer>(`(async () => {
    const csrf = await (await fetch('/api/auth/csrf')).json();
    const response = await fetch(${JSON.stringify(path)}, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf.csrfToken },
      body: ${JSON.stringify(JSON.stringify(body))},
    });
    return { status: response.status, body: await response.json() };
  })()`);

const enrolTotp = async (page: Page) => {
  const enrol = await api(page, '/api/auth/2fa/totp/enrol', {});
  expect(enrol.status).toBe(200);
  const secret = String(enrol.body.secret);
  const confirmed = await api(page, '/api/auth/2fa/totp/confirm', {
    code: totpCodeAt({ secret, timestamp: Date.now() }),
  });
  expect(confirmed.status).toBe(200);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
};

const signInWithPassword = async (page: Page, email: string, path = '/sign-in') => {
  await page.goto(`${suite.server.baseUrl}${path}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page, 'h1:text-is("Two-factor authentication")');
};

const signOut = async (page: Page) => {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await visible(page, 'h1:text-is("Sign in")');
};

test('with two-factor on, the password asks for a code; a wrong one is refused, a right one signs in to ?next=', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  const email = 'totp-web@example.com';
  await signUp(page, suite.server.baseUrl, email);
  const { secret } = await enrolTotp(page);
  await signOut(page);

  await signInWithPassword(page, email, `/sign-in?next=${encodeURIComponent('/recent')}`);
  const code = page.getByLabel('Authentication code');
  expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
  expect(await code.getAttribute('inputmode')).toBe('numeric');
  expect(await seriousAxeViolations(page)).toEqual([]);

  // A code valid at no step within the accepted drift.
  const now = Date.now();
  const valid = [-STEP, 0, STEP, 2 * STEP].map((offset) =>
    totpCodeAt({ secret, timestamp: now + offset }),
  );
  const wrong = ['000000', '111111', '222222', '333333', '444444'].find(
    (candidate) => !valid.includes(candidate),
  );
  await code.fill(wrong ?? '555555');
  await page.getByRole('button', { name: 'Verify' }).click();
  await visible(page, '.field-error');
  expect(await page.locator('.field-error').textContent()).toBe(
    'That code is wrong, expired or already used.',
  );
  expect(await code.getAttribute('aria-invalid')).toBe('true');

  // The step after the one spent on confirming: each step is accepted once.
  await code.fill(totpCodeAt({ secret, timestamp: Date.now() + STEP }));
  await page.getByRole('button', { name: 'Verify' }).click();
  await visible(page, 'h1:text-is("Recent")');
  expect(new URL(page.url()).pathname).toBe('/recent');
  expect(errors).toEqual([]);
  await page.close();
});

test('a recovery code finishes the sign-in in place of the app, once', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  const email = 'recovery-web@example.com';
  await signUp(page, suite.server.baseUrl, email);
  const { recoveryCodes } = await enrolTotp(page);
  expect(recoveryCodes).toHaveLength(10);
  const [first = ''] = recoveryCodes;
  await signOut(page);

  await signInWithPassword(page, email);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill(first);
  await page.getByRole('button', { name: 'Verify' }).click();
  await visible(page, 'h1:text-is("My files")');
  await signOut(page);

  // Spent: the same code again is refused with the server's sentence.
  await signInWithPassword(page, email);
  await page.getByRole('button', { name: 'Use a recovery code' }).click();
  await page.getByLabel('Recovery code').fill(first);
  await page.getByRole('button', { name: 'Verify' }).click();
  await visible(page, '.field-error');
  expect(await page.locator('.field-error').textContent()).toBe(
    'That code is wrong, expired or already used.',
  );
  expect(errors).toEqual([]);
  await page.close();
});
