import { afterEach, expect, test, vi } from 'vitest';
import { ApiError } from './api-error.js';
import { json } from '../test-support/fetch-stub.js';
import { api, setCsrfToken } from './http.js';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(undefined);
});

const stubFetch = (
  answer: (url: string, init: RequestInit | undefined, calls: string[]) => Response,
) => {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const csrf = new Headers(init?.headers).get('x-csrf-token');
    calls.push(`${init?.method ?? 'GET'} ${url}${csrf ? ` [${csrf}]` : ''}`);
    return answer(url, init, calls);
  });
  return calls;
};

test('an expired access token is refreshed once and the request replayed', async () => {
  let refreshed = false;
  const calls = stubFetch((url) => {
    if (url === '/api/auth/csrf') return json(200, { csrfToken: 'pre' });
    if (url === '/api/auth/refresh') {
      refreshed = true;
      return json(200, { csrfToken: 'fresh' });
    }
    return refreshed
      ? json(200, { ok: true })
      : json(401, { error: { code: 'unauthenticated', message: 'Sign in.' } });
  });
  await expect(api('/api/folders', { method: 'POST', body: { name: 'a' } })).resolves.toEqual({
    ok: true,
  });
  expect(calls).toEqual([
    'GET /api/auth/csrf',
    'POST /api/folders [pre]',
    'POST /api/auth/refresh [pre]',
    'POST /api/folders [fresh]',
  ]);
});

test('a wrong current password (401 invalid_credentials) is sent once, never refreshed', async () => {
  const calls = stubFetch((url) =>
    url === '/api/auth/csrf'
      ? json(200, { csrfToken: 'pre' })
      : json(401, {
          error: { code: 'invalid_credentials', message: 'The email or password is incorrect.' },
        }),
  );
  await expect(
    api('/api/auth/password/change', { method: 'POST', body: { currentPassword: 'x' } }),
  ).rejects.toMatchObject({ code: 'invalid_credentials' });
  expect(calls).toEqual(['GET /api/auth/csrf', 'POST /api/auth/password/change [pre]']);
});

test('a rejected CSRF token is replaced and the request sent again', async () => {
  let tokens = 0;
  const calls = stubFetch((url, init) => {
    if (url === '/api/auth/csrf') return json(200, { csrfToken: `t${++tokens}` });
    return new Headers(init?.headers).get('x-csrf-token') === 't2'
      ? json(200, { ok: true })
      : json(403, { error: { code: 'csrf_invalid', message: 'Reload the page.' } });
  });
  await api('/api/folders/x', { method: 'DELETE' });
  expect(calls.filter((call) => call.startsWith('DELETE'))).toEqual([
    'DELETE /api/folders/x [t1]',
    'DELETE /api/folders/x [t2]',
  ]);
});

test('errors carry the code, the field and a sentence; a page that is not JSON gets one too', async () => {
  stubFetch((url) =>
    url === '/api/a'
      ? json(409, {
          error: {
            code: 'name_conflict',
            message: 'A file named a.txt is already here',
            field: 'name',
          },
        })
      : new Response('<html>Bad gateway</html>', { status: 502 }),
  );
  const conflict = await api('/api/a').catch((error: unknown) => error);
  expect(conflict).toBeInstanceOf(ApiError);
  expect(conflict).toMatchObject({
    code: 'name_conflict',
    field: 'name',
    message: 'A file named a.txt is already here.',
  });
  await expect(api('/api/b')).rejects.toMatchObject({
    code: 'unavailable',
    message: 'The server is unavailable right now. Please try again in a moment.',
  });
});

test('a network failure is a sentence, not a TypeError', async () => {
  vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
  await expect(api('/api/usage')).rejects.toMatchObject({
    code: 'network',
    message: 'Could not reach the server. Check your connection and try again.',
  });
});
