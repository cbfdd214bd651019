import { expect, test } from 'vitest';
import { totpCodeAt } from '../../server/src/modules/two-factor/totp.models.js';
import { watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();
const STEP = 30_000;

test('the account page turns two-factor on (QR code, first code, recovery codes once) and off', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'account-2fa@example.com');
  await page.goto(`${suite.server.baseUrl}/account`);
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await visible(page, 'img[alt="QR code for your authenticator app"]');
  expect(
    await page.locator('img[alt="QR code for your authenticator app"]').getAttribute('src'),
  ).toMatch(/^data:image\/svg\+xml/);
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel('Code from the app').fill(totpCodeAt({ secret, timestamp: Date.now() }));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await visible(page, 'ul[aria-label="Recovery codes"]');
  expect(await page.locator('ul[aria-label="Recovery codes"] li').count()).toBe(10);
  await page.getByRole('button', { name: 'Done' }).click();
  await visible(page, 'text=10 recovery codes left');

  // Off needs the password and a code: a wrong password is refused.
  const off = page.getByRole('form', { name: 'Turn off two-factor' });
  await off.getByLabel('Password', { exact: true }).fill('not the password at all');
  await off.getByLabel('Code or recovery code').fill('123456');
  await page.getByRole('button', { name: 'Turn off two-factor' }).click();
  await visible(page, '[role="alert"]');
  await off.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await off
    .getByLabel('Code or recovery code')
    .fill(totpCodeAt({ secret, timestamp: Date.now() + STEP }));
  await page.getByRole('button', { name: 'Turn off two-factor' }).click();
  await visible(page, 'button:text-is("Set up an authenticator app")');
  expect(errors).toEqual([]);
  await page.close();
});
