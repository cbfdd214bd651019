import type { ErrorBody } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import {
  cookieHeaderOf,
  createPersonalToken,
  getPreSessionCsrf,
  signUpAndSignIn,
} from '../auth.test-utils.js';

describe('CSRF protection', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const tokenCount = async (userId: string) =>
    (
      await testApp.context.database.db
        .selectFrom('personal_tokens')
        .select('id')
        .where('user_id', '=', userId)
        .execute()
    ).length;

  const createToken = (headers: Record<string, string>) =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers,
      payload: { name: 'csrf probe', scopes: ['read'] },
    });

  test('a cookie-authenticated unsafe request with a missing, forged or foreign token is 403 and changes nothing', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const other = await signUpAndSignIn(testApp.app);
    const [kind, kid, nonce] = user.csrfToken.split('.');
    const attempts: Record<string, Record<string, string>> = {
      missing: { cookie: user.cookieHeader },
      garbage: { cookie: user.cookieHeader, 'x-csrf-token': 'not-a-token' },
      forgedMac: {
        cookie: user.cookieHeader,
        'x-csrf-token': `${kind}.${kid}.${nonce}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
      },
      otherSession: { cookie: user.cookieHeader, 'x-csrf-token': other.csrfToken },
    };
    for (const [name, headers] of Object.entries(attempts)) {
      const response = await createToken(headers);
      expect({ name, status: response.statusCode }).toEqual({ name, status: 403 });
      expect(response.json<ErrorBody>().error.code).toBe('csrf_invalid');
    }
    expect(await tokenCount(user.userId)).toBe(0);
    expect((await createToken(user.headers)).statusCode).toBe(201);
    expect(await tokenCount(user.userId)).toBe(1);
  });

  test('a cross-site unsafe request is refused by Fetch Metadata or Origin even with a valid token', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const extra of crossSite) {
      const response = await createToken({ ...user.headers, ...extra });
      expect(response.statusCode).toBe(403);
      expect(response.json<ErrorBody>().error.code).toBe('csrf_invalid');
    }
    expect(await tokenCount(user.userId)).toBe(0);
    const sameOrigin = await createToken({
      ...user.headers,
      'sec-fetch-site': 'same-origin',
      origin: 'http://localhost:8080',
    });
    expect(sameOrigin.statusCode).toBe(201);
  });

  test('on the embedded default (http://localhost), the loopback aliases are the same site', async () => {
    const user = await signUpAndSignIn(testApp.app);
    for (const origin of ['http://127.0.0.1:8080', 'http://[::1]:8080']) {
      const response = await createToken({
        ...user.headers,
        'sec-fetch-site': 'same-origin',
        origin,
      });
      expect({ origin, status: response.statusCode }).toEqual({ origin, status: 201 });
    }
    // Another port on the same machine is another site.
    const otherPort = await createToken({ ...user.headers, origin: 'http://127.0.0.1:9999' });
    expect(otherPort.statusCode).toBe(403);
  });

  test('a page opened at an address other than PUBLIC_URL is told which address to use', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const response = await createToken({
      ...user.headers,
      'sec-fetch-site': 'same-origin',
      origin: 'http://nas.example.test:8080',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<ErrorBody>().error).toEqual({
      code: 'csrf_invalid',
      message:
        'This page is open at http://nas.example.test:8080, but this server accepts requests only ' +
        'from http://localhost:8080. Open http://localhost:8080 instead, or ask whoever runs it ' +
        'to set PUBLIC_URL to the address you use.',
    });
    expect(await tokenCount(user.userId)).toBe(0);
  });

  test('over plain http no header sends the browser to https (no upgrade-insecure-requests, no HSTS)', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
  });

  test('login needs a CSRF token bound to this browser’s pre-session cookie', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const login = (headers: Record<string, string>) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers,
        payload: { email: user.email, password: user.password },
      });
    expect((await login({})).statusCode).toBe(403);
    const mine = await getPreSessionCsrf(testApp.app);
    const theirs = await getPreSessionCsrf(testApp.app);
    // An attacker's own token does not work with the victim's cookie (login CSRF).
    expect(
      (await login({ cookie: cookieHeaderOf(mine.jar), 'x-csrf-token': theirs.csrfToken }))
        .statusCode,
    ).toBe(403);
    expect(
      (await login({ cookie: cookieHeaderOf(mine.jar), 'x-csrf-token': mine.csrfToken }))
        .statusCode,
    ).toBe(200);
  });

  test('a Bearer request needs no CSRF token and ignores cookies', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read', 'write']);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { authorization: `Bearer ${token}`, cookie: user.cookieHeader },
    });
    // Logout by Bearer does not touch the cookie session: the cookies were never read.
    expect(response.statusCode).toBe(200);
    const me = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: user.cookieHeader },
    });
    expect(me.statusCode).toBe(200);
  });

  test('a Bearer header does not excuse login, register or refresh from CSRF', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read', 'write']);
    for (const url of ['/api/auth/login', '/api/auth/register', '/api/auth/refresh']) {
      const response = await testApp.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}`, cookie: user.cookieHeader },
        payload: { email: user.email, password: user.password },
      });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 403 });
    }
  });

  test('GET /api/auth/csrf is not cacheable and binds to the session once signed in', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/csrf',
      headers: { cookie: user.cookieHeader },
    });
    expect(response.headers['cache-control']).toBe('no-store');
    const { csrfToken } = response.json<{ csrfToken: string }>();
    expect(csrfToken.startsWith('s.')).toBe(true);
    expect(
      (await createToken({ cookie: user.cookieHeader, 'x-csrf-token': csrfToken })).statusCode,
    ).toBe(201);
  });
});
