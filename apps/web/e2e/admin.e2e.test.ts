import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test('the first account administers: finds an account (axe clean, light and dark), sets its quota, disables and enables it', async () => {
  const admin = await suite.browser.newPage();
  const errors = watchForPageErrors(admin);
  admin.on('dialog', (dialog) => void dialog.accept());
  await signUp(admin, suite.server.baseUrl, 'first-admin@example.com');
  const member = await suite.browser.newPage();
  await signUp(member, suite.server.baseUrl, 'plain-member@example.com');
  await visible(admin, 'nav a:text-is("Admin")');
  expect(await member.locator('nav a:text-is("Admin")').count()).toBe(0);

  await admin.getByRole('link', { name: 'Admin' }).click();
  await visible(admin, 'h1:text-is("Administration")');
  await visible(admin, 'text=No failed jobs.');
  await admin.getByLabel('Find an account').fill('plain-member');
  await visible(admin, 'th:text-is("plain-member@example.com")');
  expect(await admin.locator('table.admin-users tbody tr').count()).toBe(1);
  for (const colorScheme of ['light', 'dark'] as const) {
    await admin.emulateMedia({ colorScheme });
    expect(await seriousAxeViolations(admin), colorScheme).toEqual([]);
  }
  await admin.emulateMedia({ colorScheme: 'light' });

  await admin.getByLabel('Quota (MiB) for plain-member@example.com').fill('5');
  await admin.getByRole('button', { name: 'Save quota' }).click();
  await visible(admin, 'text=Quota of plain-member@example.com set to 5');

  await admin.getByRole('button', { name: 'Disable plain-member@example.com' }).click();
  await visible(admin, 'td:text-is("Disabled")');
  // The member's session ended: the next page load finds them signed out.
  await member.reload();
  await visible(member, 'button:text-is("Sign in")');

  await admin.getByRole('button', { name: 'Enable plain-member@example.com' }).click();
  await visible(admin, 'td:text-is("Active")');
  expect(errors).toEqual([]);
  await admin.close();
  await member.close();
});
