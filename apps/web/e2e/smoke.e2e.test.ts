import { expect, test } from 'vitest';
import { saveScreenshot, watchForPageErrors } from './browser.js';
import { useAppAndBrowser } from './e2e-suite.js';

const suite = useAppAndBrowser();

test('the app loads under the strict CSP, with no script errors, on a desktop and a phone', async () => {
  for (const viewport of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 375, height: 740 },
  ]) {
    const page = await suite.browser.newPage({ viewport });
    const errors = watchForPageErrors(page);
    await page.goto(suite.server.baseUrl);
    await expect.poll(() => page.getByRole('link', { name: 'My File' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await saveScreenshot(page, `home-${viewport.name}`);
    // index.html's inline script (allowed by its hash) asked for the session early.
    expect(
      await page.evaluate(() => typeof (globalThis as { myfileBoot?: unknown }).myfileBoot),
    ).toBe('object');
    expect(errors).toEqual([]);
    await page.close();
  }
});

test('a deep link is answered by the app, which shows its own not-found page', async () => {
  const page = await suite.browser.newPage();
  const response = await page.goto(`${suite.server.baseUrl}/no/such/page`);
  expect(response?.status()).toBe(200);
  await expect
    .poll(() => page.getByRole('heading', { name: 'Page not found' }).isVisible())
    .toBe(true);
  await page.close();
});

test('the API docs page renders under its CSP', async () => {
  const page = await suite.browser.newPage();
  const errors = watchForPageErrors(page);
  await page.goto(`${suite.server.baseUrl}/api/docs`);
  await expect
    .poll(() => page.getByText('My File API').first().isVisible(), { timeout: 15_000 })
    .toBe(true);
  await saveScreenshot(page, 'api-docs');
  expect(errors).toEqual([]);
  await page.close();
});

test('the script goes compressed, API pages too, and no source map is published', async () => {
  const page = await suite.browser.newPage();
  const sent: { url: string; encoding: string | undefined; bytes: number }[] = [];
  page.on('requestfinished', (request) => {
    void (async () => {
      const response = await request.response();
      const sizes = await request.sizes();
      sent.push({
        url: new URL(request.url()).pathname,
        encoding: response?.headers()['content-encoding'],
        bytes: sizes.responseBodySize,
      });
    })();
  });
  await page.goto(suite.server.baseUrl);
  await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
  await expect.poll(() => sent.some((entry) => entry.url.endsWith('.js'))).toBe(true);
  const script = sent.find((entry) => entry.url.endsWith('.js'));
  expect(['br', 'gzip']).toContain(script?.encoding);
  console.log(`first load: ${JSON.stringify(sent)}`);
  expect(script?.bytes).toBeLessThan(200_000);
  const docs = await page.request.get(`${suite.server.baseUrl}/api/openapi.json`, {
    headers: { 'accept-encoding': 'gzip' },
  });
  expect(docs.headers()['content-encoding']).toBe('gzip');
  const map = await page.request.get(`${suite.server.baseUrl}${script?.url ?? ''}.map`);
  expect(map.status()).toBe(404);
  await page.close();
});
