import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** On a miss, says what the page showed instead: a CI failure must be readable from its log. */
export const visible = async (page: Page, selector: string) => {
  try {
    await expect
      .poll(() => page.locator(selector).first().isVisible(), { timeout: 15_000 })
      .toBe(true);
  } catch (error) {
    const shown = await page
      .locator('body')
      .innerText()
      .catch(() => '(the page is closed)');
    throw new Error(
      `${selector} did not appear at ${page.url()}; the page showed:\n${shown.slice(0, 2000)}`,
      { cause: error },
    );
  }
};

export const signUp = async (page: Page, baseUrl: string, email: string) => {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByLabel('Confirm password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await visible(page, 'h1:text-is("My files")');
};

/** Files of a given name and content, dropped on the folder page as a person would. */
export const dropFiles = async (page: Page, files: { name: string; size: number }[]) => {
  const dataTransfer = await page.evaluateHandle((list) => {
    // Runs in the page; the e2e tsconfig has no DOM types.
    const dom = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
    };
    const transfer = new dom.DataTransfer();
    for (const { name, size } of list) {
      const body = new Uint8Array(size);
      for (let index = 0; index < size; index += 1) body[index] = 97 + (index % 26);
      transfer.items.add(new dom.File([body], name, { type: 'text/plain' }));
    }
    return transfer;
  }, files);
  await page.dispatchEvent('[data-testid="drop-zone"]', 'dragover', { dataTransfer });
  await page.dispatchEvent('[data-testid="drop-zone"]', 'drop', { dataTransfer });
};

export const rowNames = (page: Page) =>
  page.locator('.file-canvas [role="row"] .node-name').allTextContents();

/** Folders and files made through the API from the page (as the page's own session). */
export const setUp = (page: Page, folders: { name: string; files: string[] }[]) =>
  page.evaluate(async (list) => {
    const csrf = ((await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string })
      .csrfToken;
    const headers = { 'X-CSRF-Token': csrf };
    const ids: Record<string, string> = {};
    for (const { name, files } of list) {
      let folderId = 'root';
      if (name !== '') {
        const folder = (await (
          await fetch('/api/folders', {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json' },
            body: JSON.stringify({ name }),
          })
        ).json()) as { id: string };
        folderId = folder.id;
        ids[name] = folder.id;
      }
      for (let start = 0; start < files.length; start += 1000) {
        const form = new FormData();
        for (const file of files.slice(start, start + 1000)) {
          form.append('file', new Blob([file]), file);
        }
        const response = await fetch(`/api/folders/${folderId}/files`, {
          method: 'POST',
          headers,
          body: form,
        });
        if (response.status !== 201) throw new Error(`setup upload failed: ${response.status}`);
      }
    }
    return ids;
  }, folders);
