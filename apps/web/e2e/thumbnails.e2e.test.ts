import { expect, test } from 'vitest';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { rowNames, signUp } from './helpers.js';

// A 64 × 48 red PNG.
const redPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAfElEQVRoge2SAQkAQBCDFsf+eQzzMcbxAwPoWITTpG7gAqiv6C7EXVI3cAHUV3QX4i6pG7gA6iu6C3GX1A1cAPUV3YW4S+oGLoD6iu5C3CV1AxdAfUV3Ie6SuoELoL6iuxB3Sd3ABVBf0V2Iu6Ru4AKor+guxF1SN/DzgAf+KBDTau6rOgAAAABJRU5ErkJggg==',
  'base64',
);

const suite = useAppAndBrowser();

test('an uploaded PNG gets its thumbnail in the listing live, without a reload', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'thumbs@example.com');
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });

  await page
    .getByLabel('Files to upload')
    .setInputFiles({ name: 'red.png', mimeType: 'image/png', buffer: redPng });
  await expect.poll(() => rowNames(page), { timeout: 15_000 }).toEqual(['red.png']);

  const thumbnail = page.getByRole('img', { name: 'Thumbnail of red.png' });
  await expect.poll(() => thumbnail.isVisible(), { timeout: 20_000 }).toBe(true);
  // Loaded, not a broken image (which would have fallen back to the icon anyway).
  await expect
    .poll(() =>
      thumbnail.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
    )
    .toBe(64);
  expect(await thumbnail.getAttribute('loading')).toBe('lazy');
  expect(navigations).toEqual([]);
  await saveScreenshot(page, 'thumbnail-live');
  expect(errors).toEqual([]);
});
