import { expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { rowNames, setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

// A 64 × 48 red PNG.
const redPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAfElEQVRoge2SAQkAQBCDFsf+eQzzMcbxAwPoWITTpG7gAqiv6C7EXVI3cAHUV3QX4i6pG7gA6iu6C3GX1A1cAPUV3YW4S+oGLoD6iu5C3CV1AxdAfUV3Ie6SuoELoL6iuxB3Sd3ABVBf0V2Iu6Ru4AKor+guxF1SN/DzgAf+KBDTau6rOgAAAABJRU5ErkJggg==',
  'base64',
);

/** One empty 200 × 200 page. */
const tinyPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Four seconds of 8 kHz 16-bit mono silence: 64 KB, enough for a seek to need a Range. */
const silentWav = () => {
  const rate = 8000;
  const data = Buffer.alloc(rate * 2 * 4);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
};

const previewTitle = (page: Page) => page.locator('dialog[open] h2').textContent();

test('preview: ← → through a folder, image zoom, PDF, Markdown, code and a seekable audio file (axe in both themes)', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1100, height: 850 } });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'preview@example.com');
  await page.getByLabel('Files to upload').setInputFiles([
    {
      name: 'a-readme.md',
      mimeType: 'text/plain',
      buffer: Buffer.from(
        '# Read me\n\nSome **bold** words and `code`.\n\n<script>window.ranMarkdown = 1</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      ),
    },
    { name: 'b-doc.pdf', mimeType: 'application/pdf', buffer: tinyPdf },
    { name: 'c-red.png', mimeType: 'image/png', buffer: redPng },
    { name: 'd-archive.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0005\u0006') },
    {
      name: 'e-script.ts',
      mimeType: 'text/plain',
      buffer: Buffer.from('export const answer: number = 42; // the answer\n'),
    },
    { name: 'f-silence.wav', mimeType: 'audio/wav', buffer: silentWav() },
  ]);
  await expect
    .poll(() => rowNames(page), { timeout: 20_000 })
    .toEqual([
      'a-readme.md',
      'b-doc.pdf',
      'c-red.png',
      'd-archive.zip',
      'e-script.ts',
      'f-silence.wav',
    ]);
  const contentAnswers: number[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/content')) contentAnswers.push(response.status());
  });

  // Markdown: rendered, its script and its picture's handler never run.
  await page.locator('.node-name:text-is("a-readme.md")').dblclick();
  await visible(page, 'dialog .markdown-preview h1:text-is("Read me")');
  expect(await page.locator('dialog .markdown-preview td').allTextContents()).toEqual(['1', '2']);
  expect(await page.evaluate(() => (globalThis as { ranMarkdown?: number }).ranMarkdown)).toBe(
    undefined,
  );
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'preview-markdown');
  expect(errors).toEqual([]);

  // → : the PDF, drawn by PDF.js onto a canvas (white once the page is rendered).
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => previewTitle(page)).toBe('b-doc.pdf');
  const pdfPage = page.getByRole('img', { name: 'Page 1 of 1' });
  await expect.poll(() => pdfPage.isVisible(), { timeout: 20_000 }).toBe(true);
  await expect
    .poll(
      () =>
        pdfPage.evaluate((canvas) => {
          const element = canvas as unknown as {
            getContext(kind: '2d'): { getImageData(...args: number[]): { data: number[] } };
          };
          return [...element.getContext('2d').getImageData(10, 10, 1, 1).data];
        }),
      { timeout: 20_000 },
    )
    .toEqual([255, 255, 255, 255]);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'preview-pdf');
  expect(errors).toEqual([]);

  // → : the picture; zoom in with the button and +, then fit again with 0.
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect.poll(() => previewTitle(page)).toBe('c-red.png');
  const image = page.locator('dialog img.image-preview');
  await expect
    .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
    .toBe(64);
  const zoomLevel = page.locator('dialog .zoom-level');
  await page.getByRole('button', { name: 'Fit' }).click();
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.keyboard.press('+');
  const zoomed = Number((await zoomLevel.textContent())?.replace('%', ''));
  expect(zoomed).toBeGreaterThan(100);
  expect((await image.boundingBox())?.width).toBeCloseTo((64 * zoomed) / 100, 0);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.keyboard.press('0');
  expect(await page.getByRole('button', { name: 'Fit' }).getAttribute('aria-pressed')).toBe('true');

  // → skips the zip (nothing to show) and lands on the code, highlighted.
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => previewTitle(page)).toBe('e-script.ts');
  await visible(page, 'dialog code.hljs .hljs-keyword');
  expect(await page.locator('dialog code.hljs .hljs-comment').textContent()).toBe('// the answer');
  expect(await seriousAxeViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'preview-code-dark');
  expect(errors).toEqual([]);

  // → : the audio player; a seek to 3 s lands there, served by Range requests.
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => previewTitle(page)).toBe('f-silence.wav');
  const audio = page.locator('dialog audio');
  await expect
    .poll(
      () => audio.evaluate((element) => (element as unknown as { duration: number }).duration),
      {
        timeout: 15_000,
      },
    )
    .toBeCloseTo(4, 1);
  const seekable = await audio.evaluate((element) => {
    const media = element as unknown as { seekable: { length: number; end(i: number): number } };
    return media.seekable.length > 0 ? media.seekable.end(0) : 0;
  });
  expect(seekable).toBeCloseTo(4, 1);
  const landed = await audio.evaluate(
    (element) =>
      new Promise<number>((resolve) => {
        const media = element as unknown as {
          currentTime: number;
          addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
        };
        media.addEventListener('seeked', () => resolve(media.currentTime), { once: true });
        media.currentTime = 3;
      }),
  );
  expect(landed).toBeCloseTo(3, 1);
  expect(contentAnswers).toContain(206);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'preview-audio-dark');

  // The end of the folder: → stays; ← goes back.
  await page.locator('dialog h2').click();
  await page.keyboard.press('ArrowRight');
  expect(await previewTitle(page)).toBe('f-silence.wav');
  expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => previewTitle(page)).toBe('e-script.ts');
  await page.keyboard.press('Escape');
  // The list's selection followed the preview.
  await expect
    .poll(() => page.locator('[role="row"][aria-selected="true"] .node-name').allTextContents())
    .toEqual(['e-script.ts']);
  expect(errors).toEqual([]);
  await context.close();
}, 240_000);

test('grid view: thumbnails, remembered per folder, keys and selection, a 2,000-entry folder to its end (axe in both themes)', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'tiles@example.com');
  const ids = await setUp(page, [
    {
      name: 'Many',
      files: Array.from(
        { length: 2000 },
        (_, index) => `entry-${String(index + 1).padStart(4, '0')}.txt`,
      ),
    },
  ]);
  await page
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'red.png', mimeType: 'image/png', buffer: redPng });
  await visible(page, '.node-name:text-is("red.png")');

  // The grid in My files only: its thumbnail is the picture itself, larger than the list's icon.
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Grid' }).click();
  const thumbnail = page.locator('.file-tile').getByRole('img', { name: 'Thumbnail of red.png' });
  await expect.poll(() => thumbnail.isVisible(), { timeout: 20_000 }).toBe(true);
  expect((await thumbnail.boundingBox())?.width).toBeGreaterThan(100);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'grid-view');
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'grid-view-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Another folder keeps the list; back in My files the grid is remembered, after a reload too.
  await page.goto(`${suite.server.baseUrl}/folders/${ids.Many ?? ''}`);
  await visible(page, '.file-row .node-name:text-is("entry-0001.txt")');
  await page.goto(suite.server.baseUrl);
  await visible(page, '.file-tile .node-name:text-is("red.png")');

  // The 2,000 entries in the grid: only the tiles on screen exist, End reaches the last.
  await page.goto(`${suite.server.baseUrl}/folders/${ids.Many ?? ''}`);
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Grid' }).click();
  await visible(page, '.file-tile .node-name:text-is("entry-0001.txt")');
  expect(await page.locator('.file-tile').count()).toBeLessThan(120);
  const grid = page.getByRole('grid');
  await grid.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const columns = Number(await grid.getAttribute('aria-colcount'));
  expect(columns).toBeGreaterThan(1);
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowRight');
  expect(
    await page.locator('.file-tile[aria-selected="true"] .node-name').allTextContents(),
  ).toEqual([
    `entry-${String(columns + 2).padStart(4, '0')}.txt`,
    `entry-${String(columns + 3).padStart(4, '0')}.txt`,
  ]);
  await expect.poll(() => page.locator('.selection-bar').textContent()).toContain('2 selected');
  for (let step = 0; step < 60; step += 1) {
    await page.keyboard.press('End');
    if (await page.locator('.file-tile .node-name:text-is("entry-2000.txt")').isVisible()) break;
    await page.waitForTimeout(200);
  }
  await visible(page, '.file-tile.active .node-name:text-is("entry-2000.txt")');
  expect(await page.locator('.file-tile').count()).toBeLessThan(120);
  await page.keyboard.press('Home');
  await visible(page, '.file-tile.active .node-name:text-is("entry-0001.txt")');
  await page.keyboard.press('Enter');
  await expect.poll(() => previewTitle(page)).toBe('entry-0001.txt');
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => previewTitle(page)).toBe('entry-0002.txt');
  await page.keyboard.press('Escape');
  await visible(page, '.file-tile[aria-selected="true"] .node-name:text-is("entry-0002.txt")');
  await saveScreenshot(page, 'grid-2000');
  expect(errors).toEqual([]);
  await context.close();
}, 240_000);
