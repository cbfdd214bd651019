import fs from 'node:fs/promises';
import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { rowNames, setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

/** The smallest PDF a viewer accepts: one empty page. */
const tinyPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

test('with the access cookie lapsed, Download and "Open the PDF in a new tab" still work; a signed-out download asks to sign in', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'idle@example.com');
  await page.getByLabel('Files to upload').setInputFiles([
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello after a break') },
    { name: 'doc.pdf', mimeType: 'application/pdf', buffer: tinyPdf },
  ]);
  await expect.poll(() => rowNames(page), { timeout: 15_000 }).toEqual(['doc.pdf', 'notes.txt']);

  // What the browser does when the access cookie's 15 minutes are up: it stops sending it.
  const lapse = () => context.clearCookies({ name: 'mf_access' });
  await lapse();
  await page.locator('.node-name:text-is("notes.txt")').click({ button: 'right' });
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Download' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('notes.txt');
  expect(await fs.readFile(await saved.path(), 'utf8')).toBe('hello after a break');

  await lapse();
  const pdfAnswers: { status: number; type: string | undefined }[] = [];
  context.on('response', (response) => {
    if (response.url().includes('/content')) {
      pdfAnswers.push({ status: response.status(), type: response.headers()['content-type'] });
    }
  });
  await page.locator('.node-name:text-is("doc.pdf")').dblclick();
  const tab = context.waitForEvent('page');
  await page.getByRole('link', { name: 'Open the PDF in a new tab' }).click();
  await (await tab).waitForLoadState('domcontentloaded').catch(() => undefined);
  await expect.poll(() => pdfAnswers).toContainEqual({ status: 200, type: 'application/pdf' });
  expect(pdfAnswers.filter((answer) => answer.status === 401)).toEqual([]);
  await page.keyboard.press('Escape');

  // Signed out altogether: the link leads to the sign-in page, never to a page of JSON.
  await context.clearCookies();
  const stale = await context.newPage();
  await stale.goto(`${suite.server.baseUrl}/api/folders/root/zip`);
  await visible(stale, 'h1:text-is("Sign in")');
  expect(new URL(stale.url()).pathname).toBe('/sign-in');
  expect(errors).toEqual([]);
  await context.close();
});

test('a file clicked in search results opens its preview, its row selected and scrolled into view', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'finder@example.com');
  // Beyond the first page of 200, so the folder has to page to reach it.
  const names = Array.from(
    { length: 230 },
    (_, index) => `a-${String(index).padStart(3, '0')}.txt`,
  );
  await setUp(page, [{ name: 'Big', files: [...names, 'zebra-notes.txt'] }]);

  await page.goto(`${suite.server.baseUrl}/search?q=zebra`);
  await page.getByRole('link', { name: 'zebra-notes.txt' }).click();
  const preview = page.getByRole('dialog', { name: 'zebra-notes.txt' });
  await expect.poll(() => preview.isVisible(), { timeout: 15_000 }).toBe(true);
  expect(new URL(page.url()).search).toBe('');
  await page.keyboard.press('Escape');
  const row = page.locator('[role="row"]:has(.node-name:text-is("zebra-notes.txt"))');
  await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
  await expect.poll(() => row.isVisible()).toBe(true);
  expect(errors).toEqual([]);
});

test('each page has its own tab title; an unknown folder offers the way home', async () => {
  const page = await suite.browser.newPage();
  await signUp(page, suite.server.baseUrl, 'titles@example.com');
  await expect.poll(() => page.title()).toBe('My files – My File');
  // Storage in binary units, with the file count.
  await expect
    .poll(() => page.locator('.usage').textContent())
    .toMatch(/^0 B of \d+(\.\d)? [KMGT]iB used · 0 files$/);
  await page.getByRole('link', { name: 'Trash' }).click();
  await expect.poll(() => page.title()).toBe('Trash – My File');
  await page.goto(`${suite.server.baseUrl}/folders/01900000-0000-7000-8000-000000000000`);
  await visible(page, 'h1:text-is("Folder unavailable")');
  await expect.poll(() => page.title()).toBe('Folder unavailable – My File');
  await page.getByRole('link', { name: 'Back to My files' }).click();
  await visible(page, 'h1:text-is("My files")');
});

test('keyboard: sort headers by Tab, type-to-jump, Shift+↓ from the focused row, Enter keeps focus, Backspace goes up, ? lists shortcuts', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 640 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'keys@example.com');
  const filler = Array.from(
    { length: 60 },
    (_, index) => `m-${String(index).padStart(2, '0')}.txt`,
  );
  await setUp(page, [
    { name: 'Keys', files: ['inner.txt'] },
    { name: '', files: ['apple.txt', 'banana.txt', 'cherry.txt', ...filler] },
  ]);
  await page.reload();
  await visible(page, '.node-name:text-is("apple.txt")');
  const grid = page.locator('.file-grid');
  const activeName = () => page.locator('.file-row.active .node-name').textContent();
  const focusedClass = () =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { className: string } | null } })
          .document.activeElement?.className ?? '',
    );

  // The scrolling list passes axe (scrollable-region-focusable included).
  expect(await seriousAxeViolations(page)).toEqual([]);

  await grid.focus();
  await page.keyboard.press('Tab');
  expect(await focusedClass()).toBe('sort-button');
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort'))
    .toBe('descending');
  await page.keyboard.press('Enter');
  await grid.focus();

  await page.keyboard.type('ch');
  await expect.poll(activeName).toBe('cherry.txt');

  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowDown');
  await visible(page, '.selection-bar:has-text("2 selected")');
  await page.keyboard.press('Escape');

  await page.keyboard.type('k');
  await saveScreenshot(page, 'keyboard-type-to-jump');
  await expect.poll(activeName).toBe('Keys');
  await page.keyboard.press('Enter');
  await visible(page, 'h1:text-is("Keys")');
  await expect.poll(focusedClass).toBe('file-grid');
  await page.keyboard.press('Backspace');
  await visible(page, 'h1:text-is("My files")');
  await expect.poll(focusedClass).toBe('file-grid');

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect.poll(() => help.isVisible()).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  expect(errors).toEqual([]);
});

test('undo: a rename from its toast, a move and a trash with Ctrl+Z', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'undo@example.com');
  await setUp(page, [
    { name: 'Dest', files: [] },
    { name: '', files: ['a.txt', 'b.txt'] },
  ]);
  await page.reload();
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'a.txt', 'b.txt']);

  await page.locator('.node-name:text-is("a.txt")').click();
  await page.keyboard.press('F2');
  await page.getByLabel('New name').fill('renamed.txt');
  await page.keyboard.press('Enter');
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'b.txt', 'renamed.txt']);
  await page.locator('.toast:has-text("Renamed to")').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'a.txt', 'b.txt']);

  await page.locator('.node-name:text-is("a.txt")').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Move…' }).click();
  await page.locator('dialog').getByRole('button', { name: 'Dest' }).click();
  await visible(page, 'dialog nav button:text-is("Dest")');
  await page.getByRole('button', { name: 'Move here' }).click();
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'b.txt']);
  await visible(page, '.toast:has-text("Moved 1 item.") button:text-is("Undo")');
  await page.locator('.file-grid').focus();
  await page.keyboard.press('Control+z');
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'a.txt', 'b.txt']);

  await page.locator('.node-name:text-is("b.txt")').click();
  await page.keyboard.press('Delete');
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'a.txt']);
  await page.keyboard.press('Control+z');
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'a.txt', 'b.txt']);
  await visible(page, '.toast:has-text("Undid the move of 1 item to the trash.")');
  expect(await seriousAxeViolations(page)).toEqual([]);

  // The sort chosen is the one the next visit starts with.
  await page.getByRole('button', { name: 'Size' }).click();
  await page.reload();
  await expect
    .poll(() => page.getByRole('columnheader', { name: 'Size' }).getAttribute('aria-sort'))
    .toBe('ascending');
  expect(errors).toEqual([]);
});

test('on a 390 × 844 phone the header takes at most 12 % of the height', async () => {
  const page = await suite.browser.newPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await signUp(page, suite.server.baseUrl, 'phone@example.com');
  const box = await page.locator('.shell-header').boundingBox();
  expect(box?.height ?? Infinity).toBeLessThanOrEqual(844 * 0.12);
  await saveScreenshot(page, 'phone-header');
  // Each row has its own action button: the menu without a right click or a long press.
  await setUp(page, [{ name: '', files: ['phone.txt'] }]);
  await page.reload();
  await page.getByRole('button', { name: 'Actions for phone.txt' }).tap();
  await expect.poll(() => page.getByRole('menuitem', { name: 'Rename' }).isVisible()).toBe(true);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  // Every section is still one tap (or a sideways scroll) away.
  await page.getByRole('link', { name: 'Trash' }).click();
  await visible(page, 'h1:text-is("Trash")');
  expect(await seriousAxeViolations(page)).toEqual([]);
});
