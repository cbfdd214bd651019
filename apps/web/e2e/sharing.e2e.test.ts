import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { dropFiles, rowNames, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

const newFolder = async (page: Page, name: string) => {
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await visible(page, `.node-name:text-is("${name}")`);
};

const openFolder = async (page: Page, name: string) => {
  await page.locator(`.node-name:text-is("${name}")`).dblclick();
  await visible(page, `h1:text-is("${name}")`);
};

const shareWith = async (page: Page, email: string, role: 'viewer' | 'editor') => {
  await page.getByRole('button', { name: 'Share…' }).click();
  await page.getByLabel('Email of the person to share with').fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await visible(page, `.share-list .share-email:text-is("${email}")`);
};

test('the owner shares a folder with an editor, who edits in it while the owner watches live; a viewer is read-only', async () => {
  const owner = await (await suite.browser.newContext()).newPage();
  const sharee = await (await suite.browser.newContext()).newPage();
  const errors = [...watchForPageErrors(owner), ...watchForPageErrors(sharee)];
  await signUp(sharee, suite.server.baseUrl, 'editor@example.com');
  await signUp(owner, suite.server.baseUrl, 'owner@example.com');

  await newFolder(owner, 'Team');
  await openFolder(owner, 'Team');
  await dropFiles(owner, [{ name: 'plan.txt', size: 500 }]);
  await expect.poll(() => rowNames(owner)).toEqual(['plan.txt']);
  await shareWith(owner, 'editor@example.com', 'editor');
  expect(await seriousAxeViolations(owner)).toEqual([]);
  await saveScreenshot(owner, 'share-dialog');
  await owner.getByRole('button', { name: 'Done' }).click();
  await visible(owner, '.live-indicator:text-is("Live")');

  // The sharee finds it under "Shared with me" and opens it with the editor's controls.
  await sharee.goto(`${suite.server.baseUrl}/shared`);
  await visible(sharee, 'a.node-name:text-is("Team")');
  await visible(sharee, '.badge:text-is("Can edit")');
  expect(await seriousAxeViolations(sharee)).toEqual([]);
  await sharee.locator('a.node-name:text-is("Team")').click();
  await visible(sharee, 'h1:text-is("Team")');
  await visible(sharee, '.role-banner');
  expect(await sharee.locator('.breadcrumbs').textContent()).toBe('Shared with meTeam');
  expect(await sharee.getByRole('button', { name: 'Upload files' }).isVisible()).toBe(true);
  expect(await sharee.getByRole('button', { name: 'Share…' }).count()).toBe(0);

  // What the editor does appears in the owner's open folder without a reload.
  await dropFiles(sharee, [{ name: 'notes.txt', size: 300 }]);
  await expect.poll(() => rowNames(owner), { timeout: 15_000 }).toEqual(['notes.txt', 'plan.txt']);
  // The row under the keyboard is picked by position: wait for the sharee's own list to settle.
  await expect.poll(() => rowNames(sharee), { timeout: 15_000 }).toEqual(['notes.txt', 'plan.txt']);
  await sharee.locator('.node-name:text-is("plan.txt")').click();
  await sharee.keyboard.press('F2');
  await sharee.getByLabel('New name').fill('plan v2.txt');
  await sharee.keyboard.press('Enter');
  await expect
    .poll(() => rowNames(owner), { timeout: 15_000 })
    .toEqual(['notes.txt', 'plan v2.txt']);

  // And the other way round: the owner's upload reaches the sharee's page.
  await dropFiles(owner, [{ name: 'budget.txt', size: 200 }]);
  await expect
    .poll(() => rowNames(sharee), { timeout: 15_000 })
    .toEqual(['budget.txt', 'notes.txt', 'plan v2.txt']);

  // Made a viewer, the sharee's open page loses its write controls.
  await owner.getByRole('button', { name: 'Share…' }).click();
  await owner.getByLabel('Role of editor@example.com').selectOption('viewer');
  await visible(owner, 'text=editor@example.com is now a viewer.');
  await owner.getByRole('button', { name: 'Done' }).click();
  await expect
    .poll(() => sharee.getByRole('button', { name: 'Upload files' }).count(), { timeout: 15_000 })
    .toBe(0);
  await visible(sharee, '.role-banner:has-text("viewer")');
  await sharee.locator('.node-name:text-is("notes.txt")').click();
  await sharee.keyboard.press('Delete');
  await sharee.keyboard.press('F2');
  expect(await sharee.getByLabel('New name').count()).toBe(0);
  expect(await rowNames(sharee)).toEqual(['budget.txt', 'notes.txt', 'plan v2.txt']);
  expect(await seriousAxeViolations(sharee)).toEqual([]);
  await saveScreenshot(sharee, 'shared-folder-viewer');

  // The owner's "Shared by me" lists the folder and who can open it.
  await owner.getByRole('link', { name: 'Shared by me' }).click();
  await visible(owner, 'a.node-name:text-is("Team")');
  await visible(owner, 'text=1 person · shared');
  expect(await seriousAxeViolations(owner)).toEqual([]);
  expect(errors).toEqual([]);
});

test('access revoked while the sharee has the folder open: the page says it is gone', async () => {
  const owner = await (await suite.browser.newContext()).newPage();
  const sharee = await (await suite.browser.newContext()).newPage();
  await signUp(sharee, suite.server.baseUrl, 'revoked@example.com');
  await signUp(owner, suite.server.baseUrl, 'revoker@example.com');
  await newFolder(owner, 'Secret');
  await openFolder(owner, 'Secret');
  await dropFiles(owner, [{ name: 'inside.txt', size: 100 }]);
  await shareWith(owner, 'revoked@example.com', 'viewer');

  await sharee.goto(`${suite.server.baseUrl}/shared`);
  await sharee.locator('a.node-name:text-is("Secret")').click();
  await expect.poll(() => rowNames(sharee), { timeout: 15_000 }).toEqual(['inside.txt']);
  await visible(sharee, '.live-indicator:text-is("Live")');

  await owner.getByRole('button', { name: 'Remove access of revoked@example.com' }).click();
  await owner.getByRole('button', { name: 'Remove', exact: true }).click();
  await visible(owner, 'text=Only you can open this folder so far.');

  await visible(sharee, 'h1:text-is("Folder unavailable")');
  expect(await sharee.locator('.file-grid').count()).toBe(0);
  await sharee.goto(`${suite.server.baseUrl}/shared`);
  await visible(sharee, 'text=Nothing has been shared with you yet.');
});

const createLink = async (
  page: Page,
  options: { role: 'viewer' | 'uploader'; password?: string },
): Promise<string> => {
  await page.getByRole('button', { name: 'Share…' }).click();
  await page.getByLabel('Anyone with the link can').selectOption(options.role);
  if (options.password) await page.getByLabel('Password (optional)').fill(options.password);
  await page.getByRole('button', { name: 'Create link' }).click();
  await visible(page, '#new-link-url');
  const url = await page.locator('#new-link-url').inputValue();
  await visible(page, '.share-list[aria-label="Links"] .share-row');
  await page.getByRole('button', { name: 'Done' }).click();
  return url;
};

test('a password-protected link opens in a fresh browser, signed out, on a phone', async () => {
  const owner = await (await suite.browser.newContext()).newPage();
  await signUp(owner, suite.server.baseUrl, 'linker@example.com');
  await newFolder(owner, 'Photos');
  await openFolder(owner, 'Photos');
  await dropFiles(owner, [{ name: 'beach.txt', size: 1_234 }]);
  await expect.poll(() => rowNames(owner)).toEqual(['beach.txt']);
  const url = await createLink(owner, { role: 'viewer', password: 'open sesame' });
  expect(url).toMatch(new RegExp(`^${suite.server.baseUrl}/s/[\\w-]{40,}$`));

  // Later, the owner copies the same link again from the share dialog.
  await owner.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await owner.getByRole('button', { name: 'Share…' }).click();
  await owner.getByRole('button', { name: /^Copy link: Link created/ }).click();
  await visible(owner, '.toast:has-text("Link copied.")');
  expect(await owner.locator('#copied-link-url').inputValue()).toBe(url);
  const clipboard = await owner.evaluate(() =>
    (
      globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
    ).navigator.clipboard.readText(),
  );
  expect(clipboard).toBe(url);
  await owner.getByRole('button', { name: 'Done' }).click();

  const visitorContext = await suite.browser.newContext({ viewport: { width: 375, height: 740 } });
  const visitor = await visitorContext.newPage();
  const errors = watchForPageErrors(visitor);
  await visitor.goto(url);
  await visible(visitor, 'text=This link is protected by a password.');
  await visitor.getByLabel('Password').fill('wrong password');
  await visitor.getByRole('button', { name: 'Open' }).click();
  await visible(visitor, 'text=That password is not right.');
  expect(await visitor.locator('text=beach.txt').count()).toBe(0);
  await visitor.getByLabel('Password').fill('open sesame');
  await visitor.getByRole('button', { name: 'Open' }).click();
  await visible(visitor, '.node-name:text-is("beach.txt")');
  expect(await visitor.locator('h1').textContent()).toBe('Photos');
  const download = visitor.waitForEvent('download');
  await visitor.getByRole('link', { name: 'Download beach.txt' }).click();
  expect((await download).suggestedFilename()).toBe('beach.txt');
  expect(
    await visitor.evaluate(() => {
      const root = (
        globalThis as unknown as {
          document: { documentElement: { scrollWidth: number; clientWidth: number } };
        }
      ).document.documentElement;
      return root.scrollWidth <= root.clientWidth;
    }),
  ).toBe(true);
  expect(await seriousAxeViolations(visitor)).toEqual([]);
  await saveScreenshot(visitor, 'link-page-phone');

  // The link's cookie opens the link, nothing else: the owner's API stays closed.
  const me = await visitor.evaluate(() => fetch('/api/folders/root').then((r) => r.status));
  expect(me).toBe(401);
  expect(errors).toEqual([]);
  await visitorContext.close();
});

test('a link visitor sees the shared folder change live, and the page ends when the link is revoked', async () => {
  const owner = await (await suite.browser.newContext()).newPage();
  await signUp(owner, suite.server.baseUrl, 'live-linker@example.com');
  await newFolder(owner, 'Live album');
  await openFolder(owner, 'Live album');
  await dropFiles(owner, [{ name: 'first.txt', size: 100 }]);
  await expect.poll(() => rowNames(owner)).toEqual(['first.txt']);
  const url = await createLink(owner, { role: 'viewer' });

  const visitorContext = await suite.browser.newContext();
  const visitor = await visitorContext.newPage();
  const errors = watchForPageErrors(visitor);
  await visitor.goto(url);
  await visible(visitor, '.node-name:text-is("first.txt")');
  await visible(visitor, '.live-indicator:text-is("Live")');

  // The owner adds and renames; the visitor's page follows without a reload.
  await dropFiles(owner, [{ name: 'second.txt', size: 200 }]);
  await visible(visitor, '.node-name:text-is("second.txt")');
  await owner.locator('.node-name:text-is("first.txt")').click();
  await owner.keyboard.press('F2');
  await owner.getByLabel('New name').fill('renamed.txt');
  await owner.keyboard.press('Enter');
  await visible(visitor, '.node-name:text-is("renamed.txt")');
  expect(await visitor.locator('.node-name:text-is("first.txt")').count()).toBe(0);

  // Revoked: the open page says so at once.
  await owner.getByRole('button', { name: 'Share…' }).click();
  await owner.getByRole('button', { name: /^Revoke / }).click();
  await visible(visitor, 'h1:text-is("This link has expired")');
  expect(await visitor.locator('.node-name').count()).toBe(0);
  expect(errors).toEqual([]);
  await visitorContext.close();
});

test('a drop box link takes uploads but shows nothing inside', async () => {
  const owner = await (await suite.browser.newContext()).newPage();
  await signUp(owner, suite.server.baseUrl, 'dropper@example.com');
  await newFolder(owner, 'Inbox');
  await openFolder(owner, 'Inbox');
  await dropFiles(owner, [{ name: 'private.txt', size: 100 }]);
  await expect.poll(() => rowNames(owner)).toEqual(['private.txt']);
  const url = await createLink(owner, { role: 'uploader' });
  await visible(owner, '.live-indicator:text-is("Live")');

  const visitorContext = await suite.browser.newContext();
  const visitor = await visitorContext.newPage();
  const errors = watchForPageErrors(visitor);
  await visitor.goto(url);
  await visible(visitor, 'text=Choose files to upload');
  expect(await visitor.locator('text=private.txt').count()).toBe(0);
  await visitor
    .getByLabel('Files to upload')
    .setInputFiles([
      { name: 'from-visitor.txt', mimeType: 'text/plain', buffer: Buffer.from('hello owner') },
    ]);
  await visible(visitor, 'text=1 file uploaded. Thank you!');
  await expect
    .poll(() => rowNames(owner), { timeout: 15_000 })
    .toEqual(['from-visitor.txt', 'private.txt']);

  // Listing through the link is refused by the server, whatever a page might try.
  const token = url.split('/s/')[1] ?? '';
  const listing = await visitor.evaluate(async (linkToken) => {
    const visit = (await (await fetch(`/api/s/${linkToken}`)).json()) as { node: { id: string } };
    return (await fetch(`/api/s/${linkToken}/folders/${visit.node.id}/children`)).status;
  }, token);
  expect(listing).toBe(403);
  expect(await seriousAxeViolations(visitor)).toEqual([]);
  expect(errors).toEqual([]);
  await visitorContext.close();
});
