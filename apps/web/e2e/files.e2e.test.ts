import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { dropFiles, rowNames, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

/** How far the page scrolls sideways (0 when it fits the screen). */
const overflowX = (page: Page) =>
  page.evaluate(() => {
    const view = globalThis as unknown as {
      innerWidth: number;
      document: { documentElement: { scrollWidth: number } };
    };
    return view.document.documentElement.scrollWidth - view.innerWidth;
  });

/** Archive (confirm) → read-only inside → restore → the live toast → downloadable again. */
const archiveAndRestoreProjects = async (page: Page) => {
  const projectsUrl = page.url();
  await page.getByRole('link', { name: 'My files' }).click();
  await page.locator('.node-name:text-is("Projects")').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Archive…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Archive “Projects”?' });
  await visible(page, 'dialog:has-text("read-only")');
  // This server keeps archives on its own disk: restores are quick, and it says so (once the
  // server's cold tier has loaded: until then the dialog words a restore as the slow case).
  await expect
    .poll(() => confirm.textContent())
    .toMatch(/this server’s disk, so a restore takes seconds/);
  expect(await confirm.textContent()).not.toMatch(/hours/);
  await saveScreenshot(page, 'archive-confirm');
  await confirm.getByRole('button', { name: 'Archive' }).click();
  await visible(page, '.toast:has-text("Folder “Projects” archived.")');
  const badge = page.locator('.file-row:has(.node-name:text-is("Projects")) .badge');
  await expect.poll(() => badge.textContent()).toBe('Archived');

  await page.locator('.node-name:text-is("Projects")').dblclick();
  await visible(page, '.archive-banner:has-text("Archived.")');
  expect(page.url()).toBe(projectsUrl);
  expect(await page.getByRole('button', { name: 'Upload files' }).isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'New folder' }).isDisabled()).toBe(true);
  expect(
    await page.getByRole('button', { name: 'Upload files' }).getAttribute('aria-describedby'),
  ).toBeTruthy();
  await page.locator('.node-name:text-is("big.txt")').click({ button: 'right' });
  expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Open']);
  await page.keyboard.press('Escape');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'folder-archived');

  await page.getByRole('button', { name: 'Restore…' }).click();
  const restore = page.getByRole('dialog', { name: 'Restore “Projects”?' });
  // S3 Glacier's retrieval speeds mean nothing for a disk tier: no choice is offered.
  expect(await restore.getByRole('radio').count()).toBe(0);
  await restore.getByRole('button', { name: 'Restore' }).click();
  await visible(page, '.toast:has-text("Folder “Projects” restored.")');
  await visible(page, '.toast a:text-is("Open")');
  await saveScreenshot(page, 'restore-toast');
  await expect
    .poll(() => page.getByRole('button', { name: 'Upload files' }).isEnabled())
    .toBe(true);
  expect(await page.locator('.archive-banner').count()).toBe(0);

  const folderId = projectsUrl.split('/').at(-1) ?? '';
  const sizes = await page.evaluate(async (id) => {
    const children = (await (await fetch(`/api/folders/${id}/children`)).json()) as {
      items: { id: string; name: string }[];
    };
    const big = children.items.find((item) => item.name === 'big.txt');
    const response = await fetch(`/api/files/${big?.id ?? ''}/content`);
    return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
  }, folderId);
  expect(sizes).toEqual({ status: 200, bytes: 3_000_000 });
};

test('sign up, create a folder, drop three files, sort, rename, delete, restore, sign out', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 860 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'ada@example.com');
  expect(await seriousAxeViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill('Projects');
  await page.getByRole('button', { name: 'Create' }).click();
  await visible(page, '.node-name:text-is("Projects")');
  await page.locator('.node-name:text-is("Projects")').dblclick();
  await visible(page, 'h1:text-is("Projects")');
  await visible(page, 'nav[aria-label="Breadcrumb"] a:text-is("My files")');

  await dropFiles(page, [
    { name: 'notes.txt', size: 300 },
    { name: 'big.txt', size: 3_000_000 },
    { name: 'medium.txt', size: 40_000 },
  ]);
  await visible(page, '.upload-panel progress');
  await expect
    .poll(() => page.locator('#upload-panel-title').textContent(), { timeout: 20_000 })
    .toBe('Uploads: 3 of 3 done');
  expect(await page.locator('.upload-row progress').count()).toBe(3);
  await expect.poll(() => rowNames(page)).toEqual(['big.txt', 'medium.txt', 'notes.txt']);
  await saveScreenshot(page, 'folder-after-upload');

  await page.getByRole('button', { name: 'Size' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['notes.txt', 'medium.txt', 'big.txt']);
  await page.getByRole('button', { name: 'Size' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['big.txt', 'medium.txt', 'notes.txt']);
  expect(await page.getByRole('columnheader', { name: 'Size' }).getAttribute('aria-sort')).toBe(
    'descending',
  );
  await page.getByRole('button', { name: 'Name' }).click();

  // Rename with the keyboard: select the last row, F2, type, Enter.
  await page.locator('.node-name:text-is("notes.txt")').click();
  await page.keyboard.press('F2');
  await page.getByLabel('New name').fill('ideas.txt');
  await page.keyboard.press('Enter');
  await expect.poll(() => rowNames(page)).toEqual(['big.txt', 'ideas.txt', 'medium.txt']);

  // Preview a text file from the keyboard.
  await page.locator('.file-grid').focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await visible(page, 'dialog .text-preview');
  expect(await page.locator('dialog .text-preview').textContent()).toMatch(
    /^abcdefghijklmnopqrstuvwxyz/,
  );
  await saveScreenshot(page, 'preview-text');
  await page.keyboard.press('Escape');

  // Delete from the context menu.
  await page.locator('.node-name:text-is("medium.txt")').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Move to trash' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['big.txt', 'ideas.txt']);

  await page.getByRole('link', { name: 'Trash' }).click();
  await visible(page, 'h1:text-is("Trash")');
  await visible(page, '.node-name:text-is("medium.txt")');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'trash');
  await page.getByRole('button', { name: 'Restore medium.txt' }).click();
  await visible(page, 'p:text-is("The trash is empty.")');

  await page.goBack();
  await expect.poll(() => rowNames(page)).toEqual(['big.txt', 'ideas.txt', 'medium.txt']);

  await archiveAndRestoreProjects(page);

  await page.getByRole('link', { name: 'Account' }).click();
  await visible(page, 'h2:text-is("Signed-in devices")');
  await page.getByLabel('Token name').fill('backup script');
  await page.getByRole('button', { name: 'Create token' }).click();
  await visible(page, '.token-value');
  await visible(page, 'text=Token created');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'account');

  const passwordPanel = page.locator('section[aria-labelledby="password-title"]');
  await page.getByLabel('Current password', { exact: true }).fill('not my password at all');
  await page.getByLabel('New password', { exact: true }).fill('another long passphrase 42');
  await page.getByLabel('Confirm new password').fill('another long passphrase 42');
  await page.getByRole('button', { name: 'Change password' }).click();
  await visible(page, 'section[aria-labelledby="password-title"] :is(.form-alert, .field-error)');
  expect(await passwordPanel.locator(':is(.form-alert, .field-error)').textContent()).toMatch(
    /^[A-Z].*\.$/,
  );
  await page.getByLabel('Current password', { exact: true }).fill('correct horse battery staple');
  await page.getByLabel('New password', { exact: true }).fill('another long passphrase 42');
  await page.getByLabel('Confirm new password').fill('another long passphrase 42');
  await page.getByRole('button', { name: 'Change password' }).click();
  await visible(page, 'text=Your password is changed');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await visible(page, 'h1:text-is("Sign in")');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'sign-in');
  expect(errors).toEqual([]);
  await page.close();
});

test('a wrong password is answered with a sentence, not an error object', async () => {
  const page = await suite.browser.newPage();
  await page.goto(`${suite.server.baseUrl}/sign-in`);
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page, '[role="alert"]');
  const text = (await page.locator('[role="alert"]').textContent()) ?? '';
  expect(text).toMatch(/^[A-Z].*\.$/);
  expect(text).not.toMatch(/\{|Error:|undefined/);
  await page.close();
});

test('move and copy through the folder picker, search with paths, empty the trash (dark theme)', async () => {
  const context = await suite.browser.newContext({
    colorScheme: 'dark',
    viewport: { width: 1100, height: 800 },
  });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'dark@example.com');
  for (const name of ['Inbox', 'Keep']) {
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByLabel('Folder name').fill(name);
    await page.getByRole('button', { name: 'Create' }).click();
    await visible(page, `.node-name:text-is("${name}")`);
  }
  await dropFiles(page, [
    { name: 'draft.txt', size: 100 },
    { name: 'photo-list.txt', size: 200 },
  ]);
  await expect.poll(() => rowNames(page)).toEqual(['Inbox', 'Keep', 'draft.txt', 'photo-list.txt']);

  // A name taken by a sibling is refused with the server's sentence, beside the field.
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill('inbox');
  await page.getByRole('button', { name: 'Create' }).click();
  await visible(page, 'dialog .form-alert, dialog .field-error');
  await page.keyboard.press('Escape');

  await page.locator('.node-name:text-is("draft.txt")').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Move…' }).click();
  await page.locator('dialog').getByRole('button', { name: 'Inbox' }).click();
  await visible(page, 'dialog nav button:text-is("Inbox")');
  await page.getByRole('button', { name: 'Move here' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['Inbox', 'Keep', 'photo-list.txt']);

  await page.locator('.node-name:text-is("photo-list.txt")').click();
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.locator('dialog').getByRole('button', { name: 'Keep' }).click();
  await visible(page, 'dialog nav button:text-is("Keep")');
  await page.getByRole('button', { name: 'Copy here' }).click();
  await visible(page, 'text=Copied 1 file.');

  await page.getByLabel('Search my files').fill('photo');
  await page.keyboard.press('Enter');
  await visible(page, 'h1:text-is("Results for “photo”")');
  await expect.poll(() => page.locator('.item-list li').count()).toBe(2);
  await visible(page, 'text=in My files / Keep');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'search-dark');

  await page.getByRole('link', { name: 'Files' }).click();
  await page.locator('.node-name:text-is("Inbox")').click();
  await page.keyboard.press('Delete');
  await expect.poll(() => rowNames(page)).toEqual(['Keep', 'photo-list.txt']);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'folder-dark');
  await page.getByRole('link', { name: 'Trash' }).click();
  await page.getByRole('button', { name: 'Empty trash' }).click();
  await visible(page, 'dialog h2:text-is("Empty the trash?")');
  await page.locator('dialog').getByRole('button', { name: 'Empty trash' }).click();
  await visible(page, 'p:text-is("The trash is empty.")');
  expect(errors).toEqual([]);
  await context.close();
});

test('forgot password never says whether an account exists; a reset link without its token says so', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await page.goto(`${suite.server.baseUrl}/sign-in`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  // The sign-in page has an Email field too: filling before the route changed fills that one.
  await visible(page, 'h1:text-is("Reset your password")');
  await page.getByLabel('Email').fill('someone@example.com');
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await visible(page, 'text=If an account exists for someone@example.com');
  await page.goto(`${suite.server.baseUrl}/reset-password`);
  await visible(page, '[role="alert"]:has-text("This link is incomplete")');
  await page.goto(`${suite.server.baseUrl}/verify-email#token=not-a-real-token-at-all`);
  await visible(page, '[role="alert"]');
  expect(await page.locator('[role="alert"]').textContent()).toMatch(/^[A-Z][^{}]*\.$/);
  expect(errors).toEqual([]);
  await page.close();
});

test('a folder of 2,000 entries scrolls to its end', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'grace@example.com');
  const folderId = await page.evaluate(async () => {
    const csrf = ((await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string })
      .csrfToken;
    const headers = { 'X-CSRF-Token': csrf };
    const folder = (await (
      await fetch('/api/folders', {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Many' }),
      })
    ).json()) as { id: string };
    for (let batch = 0; batch < 2; batch += 1) {
      const form = new FormData();
      for (let index = 0; index < 1000; index += 1) {
        const n = String(batch * 1000 + index + 1).padStart(4, '0');
        form.append('file', new Blob([n]), `entry-${n}.txt`);
      }
      const response = await fetch(`/api/folders/${folder.id}/files`, {
        method: 'POST',
        headers,
        body: form,
      });
      if (response.status !== 201) throw new Error(`setup upload failed: ${response.status}`);
    }
    return folder.id;
  });
  await page.goto(`${suite.server.baseUrl}/folders/${folderId}`);
  await visible(page, '.node-name:text-is("entry-0001.txt")');
  // Only what is on screen is in the DOM.
  expect(await page.locator('.file-canvas [role="row"]').count()).toBeLessThan(80);
  for (let step = 0; step < 60; step += 1) {
    const names = await rowNames(page);
    if (names.includes('entry-2000.txt')) break;
    await page
      .locator('[data-testid="file-scroll"]')
      .evaluate((element: { scrollTop: number; scrollHeight: number }) => {
        element.scrollTop = element.scrollHeight;
      });
    await page.waitForTimeout(150);
  }
  await visible(page, '.node-name:text-is("entry-2000.txt")');
  await page.locator('.file-grid').focus();
  await page.keyboard.press('Home');
  await visible(page, '.node-name:text-is("entry-0001.txt")');
  await page.keyboard.press('End');
  await visible(page, '.file-row.active .node-name:text-is("entry-2000.txt")');
  await saveScreenshot(page, 'folder-2000');
  expect(errors).toEqual([]);
  await page.close();
}, 150_000);

test("the owner's “Download as zip” saves the folder, subfolders included, as a zip", async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 860 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'zip@example.com');
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill('Reports é');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('.node-name:text-is("Reports é")').dblclick();
  await visible(page, 'h1:text-is("Reports é")');
  await dropFiles(page, [
    { name: 'q1.txt', size: 1000 },
    { name: 'q2.txt', size: 2000 },
  ]);
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill('Drafts');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['Drafts', 'q1.txt', 'q2.txt']);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download as zip' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('Reports é.zip');
  const dir = await mkdtemp(join(tmpdir(), 'myfile-e2e-zip-'));
  try {
    const file = join(dir, 'folder.zip');
    await saved.saveAs(file);
    // `unzip -Z` reads the central directory: names (UTF-8) and sizes as stored.
    const entries = execFileSync('unzip', ['-Z', '-1', file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(entries).toEqual(['Reports é/Drafts/', 'Reports é/q1.txt', 'Reports é/q2.txt']);
    expect(execFileSync('unzip', ['-p', file, 'Reports é/q2.txt']).length).toBe(2000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(errors).toEqual([]);
  await page.close();
});

test('the folder page works on a 375 px phone', async () => {
  const page = await suite.browser.newPage({
    viewport: { width: 375, height: 740 },
    hasTouch: true,
  });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'linus@example.com');
  await dropFiles(page, [{ name: 'phone.txt', size: 10 }]);
  await visible(page, '.node-name:text-is("phone.txt")');
  expect(await overflowX(page)).toBeLessThanOrEqual(0);
  await saveScreenshot(page, 'folder-phone');
  expect(await seriousAxeViolations(page)).toEqual([]);
  // A tap opens, as there is no double click on a phone.
  await page.locator('.node-name:text-is("phone.txt")').tap();
  await visible(page, 'dialog .text-preview');
  await saveScreenshot(page, 'preview-phone');
  await page.keyboard.press('Escape');

  // Archive from the folder's own toolbar, then look at it in the dark theme.
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByLabel('Folder name').fill('Old photos');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('.node-name:text-is("Old photos")').tap();
  await visible(page, 'h1:text-is("Old photos")');
  await page.getByRole('button', { name: 'Archive folder…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Archive' }).click();
  await visible(page, '.archive-banner:has-text("Archived.")');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('button', { name: 'Restore…' }).click();
  // A disk tier: the restore is quick and offers no speed choice.
  await visible(page, 'dialog:has-text("seconds to minutes")');
  expect(await overflowX(page)).toBeLessThanOrEqual(0);
  await saveScreenshot(page, 'restore-dialog-phone-dark');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  expect(await overflowX(page)).toBeLessThanOrEqual(0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'folder-archived-phone-dark');
  expect(errors).toEqual([]);
  await page.close();
});
