import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { rowNames, setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

test('Ctrl+A selects the whole folder of 1,050, and moving them all goes in batches', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'bulk@example.com');
  const names = Array.from(
    { length: 1050 },
    (_, index) => `item-${String(index + 1).padStart(4, '0')}.txt`,
  );
  const ids = await setUp(page, [
    { name: 'Dest', files: [] },
    { name: 'Many', files: names },
  ]);
  const moves: number[] = [];
  let listingsSinceMove = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/api/bulk/move')) {
      moves.push((JSON.parse(request.postData() ?? '{}') as { ids: string[] }).ids.length);
    }
    if (moves.length > 0 && request.url().includes(`/api/folders/${ids.Many ?? ''}/children`)) {
      listingsSinceMove += 1;
    }
  });
  await page.goto(`${suite.server.baseUrl}/folders/${ids.Many ?? ''}`);
  await visible(page, '.node-name:text-is("item-0001.txt")');
  await page.locator('.node-name:text-is("item-0001.txt")').click();
  await page.keyboard.press('Control+a');
  await visible(page, '.toast:has-text("Selected all 1,050 items.")');
  await visible(page, '.selection-bar:has-text("1,050 selected")');
  await saveScreenshot(page, 'select-all-1050');

  await page.locator('.selection-bar').getByRole('button', { name: 'Move' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move 1,050 items' });
  await dialog.locator('.picker-path button').first().click();
  await dialog.getByRole('button', { name: 'Dest' }).click();
  await visible(page, 'dialog .picker-path button:text-is("Dest")');
  await dialog.getByRole('button', { name: 'Move here' }).click();
  await expect
    .poll(() => page.locator('.toast:has-text("Moved 1,050 items.")').isVisible(), {
      timeout: 200_000,
      interval: 5_000,
    })
    .toBe(true);
  expect(moves).toEqual([1000, 50]);
  await visible(page, 'p:text-is("This folder is empty.")');
  // The 1,050 pushed moves refresh the open folder a few times, not once each (which flooded
  // the server under load and kept the old listing on screen).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(listingsSinceMove).toBeLessThan(40);
  expect(errors).toEqual([]);
  await page.close();
}, 300_000);

test('moving into a folder that holds the same names asks: keep both, replace, skip', async () => {
  const page = await suite.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchForPageErrors(page);
  await signUp(page, suite.server.baseUrl, 'clash@example.com');
  const ids = await setUp(page, [
    { name: 'Dest', files: ['a.txt', 'b.txt', 'c.txt'] },
    { name: '', files: ['a.txt', 'b.txt', 'c.txt', 'd.txt'] },
  ]);
  await page.reload();
  await visible(page, '.node-name:text-is("d.txt")');
  await page.locator('.node-name:text-is("a.txt")').click();
  await page.locator('.node-name:text-is("d.txt")').click({ modifiers: ['Shift'] });
  await visible(page, '.selection-bar:has-text("4 selected")');
  await page.locator('.selection-bar').getByRole('button', { name: 'Move' }).click();
  const picker = page.getByRole('dialog', { name: 'Move 4 items' });
  await picker.getByRole('button', { name: 'Dest' }).click();
  await visible(page, 'dialog .picker-path button:text-is("Dest")');
  await picker.getByRole('button', { name: 'Move here' }).click();

  // d.txt moved; the three others wait for an answer, the first one in focus.
  const clash = page.getByRole('dialog', { name: 'Name already used' });
  await visible(page, 'dialog:has-text("“a.txt” already exists in “Dest”. 3 items clash in all.")');
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'a.txt', 'b.txt', 'c.txt']);
  expect(await seriousAxeViolations(page)).toEqual([]);
  await saveScreenshot(page, 'move-clash');
  await page.keyboard.press('Enter'); // Keep both
  await visible(page, 'dialog:has-text("“b.txt” already exists in “Dest”.")');
  await clash.getByRole('button', { name: 'Replace' }).click();
  await visible(page, 'dialog:has-text("“c.txt” already exists in “Dest”.")');
  await clash.getByRole('button', { name: 'Skip' }).click();
  await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
  await expect.poll(() => rowNames(page)).toEqual(['Dest', 'c.txt']);

  await page.goto(`${suite.server.baseUrl}/folders/${ids.Dest ?? ''}`);
  await expect
    .poll(() => rowNames(page))
    .toEqual(['a (1).txt', 'a.txt', 'b.txt', 'c.txt', 'd.txt']);
  // The replaced b.txt is in the trash, not gone.
  await page.getByRole('link', { name: 'Trash' }).click();
  await visible(page, '.node-name:text-is("b.txt")');
  // Embedded defaults keep the trash 30 days.
  await visible(
    page,
    '.item-row:has-text("b.txt") .purge-date:text-is("deleted for good in 30 days")',
  );
  expect(errors).toEqual([]);
  await page.close();
});
