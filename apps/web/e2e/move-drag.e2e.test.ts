import { expect, test } from 'vitest';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { rowNames, setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

const row = (name: string) => `.file-row:has(.node-name:text-is("${name}"))`;

test('rows dragged onto a folder row move into it (one, then a selection of two); Ctrl+Z undoes the move', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'dragger@example.com');
  await setUp(page, [
    { name: 'Inbox', files: [] },
    { name: 'Sealed', files: [] },
    { name: '', files: ['a.txt', 'b.txt', 'c.txt'] },
  ]);
  await page.reload();
  await expect.poll(() => rowNames(page)).toEqual(['Inbox', 'Sealed', 'a.txt', 'b.txt', 'c.txt']);

  // A file is no drop target: nothing moves.
  await page.dragAndDrop(row('a.txt'), row('b.txt'));
  await expect.poll(() => rowNames(page)).toEqual(['Inbox', 'Sealed', 'a.txt', 'b.txt', 'c.txt']);

  await page.dragAndDrop(row('a.txt'), row('Inbox'));
  await expect.poll(() => rowNames(page)).toEqual(['Inbox', 'Sealed', 'b.txt', 'c.txt']);
  await visible(page, '.toast:has-text("Moved 1 item.")');

  // Two selected rows go together, dragged by either of them.
  await page.locator(`${row('b.txt')} .node-name`).click();
  await page.locator(`${row('c.txt')} .node-name`).click({ modifiers: ['Control'] });
  await page.dragAndDrop(row('c.txt'), row('Sealed'));
  await expect.poll(() => rowNames(page)).toEqual(['Inbox', 'Sealed']);
  await visible(page, '.toast:has-text("Moved 2 items.")');
  await saveScreenshot(page, 'drag-selection-onto-folder');

  await page.locator('.file-grid').focus();
  await page.keyboard.press('Control+z');
  await expect.poll(() => rowNames(page)).toEqual(['Inbox', 'Sealed', 'b.txt', 'c.txt']);
  expect(errors).toEqual([]);
});

test('a row dragged onto a breadcrumb moves up there; a name taken there asks what to do; Alt+↑ goes to the parent folder', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'crumbs@example.com');
  const ids = await setUp(page, [
    { name: 'Outer', files: [] },
    { name: '', files: ['same.txt'] },
  ]);
  // Outer/Inner holds two files, one named as a file at the top.
  await page.evaluate(async (outerId) => {
    const csrf = ((await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string })
      .csrfToken;
    const inner = (await (
      await fetch('/api/folders', {
        method: 'POST',
        headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Inner', parentId: outerId }),
      })
    ).json()) as { id: string };
    const form = new FormData();
    form.append('file', new Blob(['deep']), 'deep.txt');
    form.append('file', new Blob(['inner copy']), 'same.txt');
    await fetch(`/api/folders/${inner.id}/files`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf },
      body: form,
    });
  }, ids.Outer);
  await page.goto(`${suite.server.baseUrl}/folders/${ids.Outer ?? ''}`);
  await page.locator(`${row('Inner')} .node-name`).dblclick();
  await visible(page, 'h1:text-is("Inner")');
  await expect.poll(() => rowNames(page)).toEqual(['deep.txt', 'same.txt']);

  // Onto "My files", two levels up.
  const crumb = (name: string) => `nav[aria-label="Breadcrumb"] a:text-is("${name}")`;
  await page.dragAndDrop(row('deep.txt'), crumb('My files'));
  await expect.poll(() => rowNames(page)).toEqual(['same.txt']);

  // A clash: the existing move rules ask (Keep both keeps the two).
  await page.dragAndDrop(row('same.txt'), crumb('My files'));
  const clash = page.getByRole('dialog');
  await expect.poll(() => clash.isVisible(), { timeout: 15_000 }).toBe(true);
  await saveScreenshot(page, 'drag-onto-breadcrumb-clash');
  await clash.getByRole('button', { name: /Keep both/ }).click();
  await expect.poll(() => rowNames(page)).toEqual([]);

  // Alt+↑ from the list: the parent folder, then the one above it.
  await page.goto(`${suite.server.baseUrl}/folders/${ids.Outer ?? ''}`);
  await expect.poll(() => rowNames(page)).toEqual(['Inner']);
  await page.locator('.file-grid').focus();
  await page.keyboard.press('Alt+ArrowUp');
  await visible(page, 'h1:text-is("My files")');
  await expect
    .poll(async () => (await rowNames(page)).sort())
    .toEqual(['Outer', 'deep.txt', 'same (1).txt', 'same.txt']);
  expect(errors).toEqual([]);
});

test('on a 390 × 844 phone, "Select" turns taps into selecting rows; the selection can be deleted; Done leaves the mode', async () => {
  const page = await suite.browser.newPage({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'thumbs@example.com');
  await setUp(page, [{ name: '', files: ['one.txt', 'two.txt', 'three.txt'] }]);
  await page.reload();
  await expect.poll(() => rowNames(page)).toEqual(['one.txt', 'three.txt', 'two.txt']);

  const toggle = page.getByRole('button', { name: 'Select', exact: true });
  await expect.poll(() => toggle.isVisible()).toBe(true);
  await toggle.tap();
  await page.locator(`${row('one.txt')} .node-name`).tap();
  await page.locator(`${row('two.txt')} .node-name`).tap();
  await visible(page, '.selection-bar:has-text("2 selected")');
  // A tap in the mode selects; it does not open a preview.
  expect(await page.getByRole('dialog').count()).toBe(0);
  await page.locator(`${row('one.txt')} .node-name`).tap();
  await visible(page, '.selection-bar:has-text("1 selected")');
  await page.locator(`${row('one.txt')} .node-name`).tap();
  await saveScreenshot(page, 'phone-selection-mode');
  await page.getByRole('button', { name: 'Delete', exact: true }).tap();
  await expect.poll(() => rowNames(page)).toEqual(['three.txt']);

  await page.getByRole('button', { name: 'Done' }).tap();
  await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
  // Out of the mode, a tap opens the file again.
  await page.locator(`${row('three.txt')} .node-name`).tap();
  await expect.poll(() => page.getByRole('dialog', { name: 'three.txt' }).isVisible()).toBe(true);
  expect(errors).toEqual([]);
});

test('an archived folder: the banner leaves the rows on screen with one scroll container, and restore times are worded for a disk tier', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'banner@example.com');
  const names = Array.from({ length: 40 }, (_, index) => `f-${String(index).padStart(2, '0')}.txt`);
  const ids = await setUp(page, [{ name: 'Cold', files: names }]);
  const folderId = ids.Cold ?? '';
  await page.evaluate(async (id) => {
    const csrf = ((await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string })
      .csrfToken;
    await fetch(`/api/folders/${id}/archive`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf },
    });
  }, folderId);
  await expect
    .poll(
      () =>
        page.evaluate(
          async (id) =>
            ((await (await fetch(`/api/folders/${id}`)).json()) as { storageState: string })
              .storageState,
          folderId,
        ),
      { timeout: 30_000 },
    )
    .toBe('archived');

  await page.goto(`${suite.server.baseUrl}/folders/${folderId}`);
  await visible(page, '.archive-banner:has-text("Archived.")');
  await visible(page, '.node-name:text-is("f-00.txt")');
  // The list scrolls inside itself; the page does not scroll as well.
  const overflow = await page.evaluate(() => {
    const view = globalThis as unknown as {
      innerHeight: number;
      document: { documentElement: { scrollHeight: number } };
    };
    return view.document.documentElement.scrollHeight - view.innerHeight;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  const grid = await page.locator('.file-grid').boundingBox();
  expect((grid?.y ?? Infinity) + 120).toBeLessThan(800);
  await saveScreenshot(page, 'archived-banner-one-scroll');

  await page.getByRole('button', { name: 'Restore…' }).click();
  const restore = page.getByRole('dialog', { name: 'Restore “Cold”?' });
  await expect.poll(() => restore.textContent()).toMatch(/seconds to minutes/);
  expect(await restore.textContent()).not.toMatch(/hours/);
  expect(await restore.getByRole('radio').count()).toBe(0);
  await page.keyboard.press('Escape');
  expect(errors).toEqual([]);
});
