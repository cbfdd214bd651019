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
