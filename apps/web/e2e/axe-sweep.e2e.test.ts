import { expect, test } from 'vitest';
import { seriousAxeViolations } from './axe.js';
import { useAppAndBrowser } from './e2e-suite.js';
import { setUp, signUp, visible } from './helpers.js';

const suite = useAppAndBrowser();

/**
 * Every main screen, in the light and the dark theme: the serious and critical axe findings
 * of each, gathered so one run names them all.
 */
test('axe finds nothing serious on any main screen, light or dark', async () => {
  const page = await (
    await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })
  ).newPage();
  const found: Record<string, unknown[]> = {};
  const check = async (screen: string) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      const violations = await seriousAxeViolations(page);
      if (violations.length > 0) found[`${screen} (${colorScheme})`] = violations;
    }
    await page.emulateMedia({ colorScheme: 'light' });
  };
  const open = async (path: string, selector: string, screen: string) => {
    await page.goto(`${suite.server.baseUrl}${path}`);
    await visible(page, selector);
    await check(screen);
  };

  await open('/sign-in', 'h1:text-is("Sign in")', 'sign-in');
  // The first account is the administrator: the admin page is among the screens.
  await signUp(page, suite.server.baseUrl, 'axe-sweep@example.com');
  const ids = await setUp(page, [
    { name: '', files: ['notes.txt', 'plan.txt'] },
    { name: 'Projects', files: ['report.txt'] },
  ]);
  const link = await page.evaluate(async (folderId) => {
    const csrf = ((await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string })
      .csrfToken;
    const response = await fetch(`/api/nodes/${folderId}/links`, {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'viewer' }),
    });
    return ((await response.json()) as { url: string }).url;
  }, ids.Projects ?? '');

  await open('/', '.file-row .node-name:text-is("notes.txt")', 'folder list');
  await page.getByRole('button', { name: 'Star notes.txt' }).click();
  await visible(page, 'button[aria-label="Unstar notes.txt"]');
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'Grid' }).click();
  await visible(page, '.file-tile .node-name:text-is("notes.txt")');
  await check('folder grid');
  await page.getByRole('group', { name: 'View' }).getByRole('button', { name: 'List' }).click();
  await visible(page, '.file-row .node-name:text-is("notes.txt")');

  // The preview of a text file, then the share dialog of the folder open.
  await page.locator('.node-name:text-is("plan.txt")').dblclick();
  await visible(page, 'dialog[open]');
  await check('preview dialog');
  await page.keyboard.press('Escape');
  await page.locator('.node-name:text-is("Projects")').dblclick();
  await visible(page, 'h1:text-is("Projects")');
  await page.getByRole('button', { name: 'Share…' }).click();
  await visible(page, 'dialog[open] >> text=Email of the person to share with');
  await check('share dialog');
  await page.keyboard.press('Escape');

  await open('/search?q=report', '.node-name:text-is("report.txt")', 'search');
  await open('/recent', 'h1', 'recent');
  await open('/starred', 'text=notes.txt', 'starred');
  await open('/trash', 'h1', 'trash');
  await open('/shared', 'h1', 'shared with me');
  await open('/shared-by-me', 'h1', 'shared by me (links)');
  await open('/account', 'h1', 'account');
  await open('/admin', 'h1:text-is("Administration")', 'admin');
  await open(new URL(link).pathname, 'text=report.txt', 'public link page');

  expect(found).toEqual({});
  await page.close();
});
