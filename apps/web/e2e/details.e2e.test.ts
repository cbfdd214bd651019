import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

/** Uploads `content` as `name` into `folderId`, replacing a file of that name (from the page). */
const replaceFile = (page: Page, folderId: string, name: string, content: string) =>
  page.evaluate(
    async ({ folderId, name, content }) => {
      const csrf = ((await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string })
        .csrfToken;
      const form = new FormData();
      form.append('file', new Blob([content]), name);
      const response = await fetch(`/api/folders/${folderId}/files?onConflict=replace`, {
        method: 'POST',
        headers: { 'X-CSRF-Token': csrf },
        body: form,
      });
      if (response.status !== 201) throw new Error(`replace failed: ${response.status}`);
    },
    { folderId, name, content },
  );

test('search finds a name by substring and with a typo, and opens the file', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'seeker@example.com');
  await setUp(page, [{ name: 'Trips', files: ['photo-sunset.jpg.txt', 'budget.txt'] }]);

  for (const query of ['sunset', 'sunsat']) {
    await page.goto(`${suite.server.baseUrl}/search?q=${query}`);
    const hit = page.getByRole('link', { name: 'photo-sunset.jpg.txt' });
    await expect.poll(() => hit.isVisible(), { timeout: 15_000 }).toBe(true);
  }
  await page.getByRole('link', { name: 'photo-sunset.jpg.txt' }).click();
  const preview = page.getByRole('dialog', { name: 'photo-sunset.jpg.txt' });
  await expect.poll(() => preview.isVisible(), { timeout: 15_000 }).toBe(true);
  expect(errors).toEqual([]);
});

test('star from the details pane, then it is on Starred; a version restores from the pane', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'details@example.com');
  const ids = await setUp(page, [{ name: 'Work', files: ['plan.txt'] }]);
  const workId = ids['Work'] ?? '';
  // plan.txt's content is its name; two replaces keep two versions.
  await replaceFile(page, workId, 'plan.txt', 'second draft');
  await replaceFile(page, workId, 'plan.txt', 'final text');

  await page.goto(`${suite.server.baseUrl}/folders/${workId}`);
  await page.locator('.node-name:text-is("plan.txt")').click();
  await page.getByRole('button', { name: 'Details' }).click();
  const pane = page.getByRole('complementary', { name: 'plan.txt' });
  await expect.poll(() => pane.isVisible(), { timeout: 15_000 }).toBe(true);
  await visible(page, '.details-facts dd:text-is("My files / Work")');
  await visible(page, '.details-hash');
  const versions = pane.getByRole('list', { name: 'Versions of plan.txt' }).getByRole('listitem');
  await expect.poll(() => versions.count()).toBe(2);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'details-pane');

  await pane.getByRole('button', { name: 'Star plan.txt' }).click();
  await expect
    .poll(() => pane.getByRole('button', { name: 'Unstar plan.txt' }).getAttribute('aria-pressed'))
    .toBe('true');

  // The oldest version (the first content) comes back; the current one is kept as a version.
  await versions
    .last()
    .getByRole('button', { name: /^Restore/ })
    .click();
  await visible(page, '.toast:has-text("Restored the version")');
  await expect.poll(() => versions.count()).toBe(2);
  const current = await page.evaluate(async (folderId) => {
    const listed = (await (await fetch(`/api/folders/${folderId}/children`)).json()) as {
      items: { id: string; name: string }[];
    };
    const file = listed.items.find((item) => item.name === 'plan.txt');
    return (await fetch(`/api/files/${file?.id ?? ''}/content`)).text();
  }, workId);
  expect(current).toBe('plan.txt');

  await page.getByRole('link', { name: 'Starred' }).click();
  await visible(page, 'h1:text-is("Starred")');
  await visible(page, '.item-list .node-name:text-is("plan.txt")');
  expect(errors).toEqual([]);
});

test('the details pane shows what happened to the item: a rename, by you', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'history@example.com');
  const ids = await setUp(page, [{ name: 'Notes', files: ['draft.txt'] }]);
  await page.goto(`${suite.server.baseUrl}/folders/${ids['Notes'] ?? ''}`);
  await page.locator('.node-name:text-is("draft.txt")').click();
  await page.keyboard.press('F2');
  await page.getByLabel('New name').fill('final.txt');
  await page.keyboard.press('Enter');
  await visible(page, '.node-name:text-is("final.txt")');

  await page.locator('.node-name:text-is("final.txt")').click();
  await page.getByRole('button', { name: 'Details' }).click();
  const activity = page
    .getByRole('complementary', { name: 'final.txt' })
    .getByRole('list', { name: 'Activity' })
    .getByRole('listitem');
  await expect.poll(() => activity.first().textContent()).toMatch(/^Renamed from draft\.txt · You/);
  await expect.poll(() => activity.last().textContent()).toMatch(/^Created/);
  expect(await seriousAxeViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});
