import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { fetchChildren, fetchFolder } from '../files/files-api.js';
import { readSortPreference } from '../files/sort-preference.js';
import { json, stubFetch } from '../test-support/fetch-stub.js';
import { apiFetch } from './http.js';

// The inline script of index.html, run here as the browser runs it before the bundle.
const html = readFileSync(path.resolve(import.meta.dirname, '../../index.html'), 'utf8');
const bootScript = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

afterEach(() => {
  vi.unstubAllGlobals();
  delete window.myfileBoot;
  localStorage.clear();
  window.history.replaceState(null, '', '/');
});

const boot = (path: string) => {
  window.history.replaceState(null, '', path);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the page's own script, under test
  const run = new Function(bootScript) as () => void;
  run();
};

test('a folder page asks early for exactly what the app then asks, and nothing twice', async () => {
  localStorage.setItem('myfile.sort', JSON.stringify({ sort: 'updatedAt', order: 'desc' }));
  const requests = stubFetch(({ url }) => json(200, { url }));
  boot('/folders/a%20b');
  expect(requests.map(({ url }) => url)).toEqual([
    '/api/auth/me',
    '/api/folders/a%20b',
    '/api/folders/a%20b/children?sort=updatedAt&order=desc&limit=200',
  ]);
  await apiFetch('/api/auth/me');
  await fetchFolder('a b');
  await fetchChildren('a b', { ...readSortPreference(), cursor: null });
  expect(requests).toHaveLength(3);
});

test('the root folder and a stored sort the app would refuse match the app as well', async () => {
  localStorage.setItem('myfile.sort', JSON.stringify({ sort: 'owner', order: 'desc' }));
  const requests = stubFetch(({ url }) => json(200, { url }));
  boot('/');
  await apiFetch('/api/auth/me');
  await fetchFolder('root');
  await fetchChildren('root', { ...readSortPreference(), cursor: null });
  expect(requests).toHaveLength(3);
});

test('an early answer that is not a success is asked again, through the usual refresh', async () => {
  let signedIn = false;
  const requests = stubFetch(({ url }) => {
    if (url === '/api/auth/csrf') return json(200, { csrfToken: 'c' });
    if (url === '/api/auth/refresh') {
      signedIn = true;
      return json(200, { csrfToken: 'fresh' });
    }
    return signedIn
      ? json(200, { url })
      : json(401, { error: { code: 'unauthenticated', message: 'Sign in.' } });
  });
  boot('/trash');
  expect((await apiFetch('/api/auth/me')).status).toBe(200);
  expect(requests.map(({ method, url }) => `${method} ${url}`)).toEqual([
    'GET /api/auth/me',
    'GET /api/auth/me',
    'GET /api/auth/csrf',
    'POST /api/auth/refresh',
    'GET /api/auth/me',
  ]);
});

test('an early answer is taken once: the next request goes to the server', async () => {
  const requests = stubFetch(({ url }) => json(200, { url }));
  boot('/trash');
  await apiFetch('/api/auth/me');
  await apiFetch('/api/auth/me');
  expect(requests).toHaveLength(2);
});
