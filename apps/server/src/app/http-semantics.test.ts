import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAuthDeps } from '../modules/auth/auth.deps.js';
import { createPersonalToken } from '../modules/auth/tokens/personal-tokens.usecases.js';
import { fixturesOf, type FixtureUser } from '../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

/** What generic HTTP clients (curl, SDKs, proxies) expect of any API, checked on ours. */
let testApp: TestApp;
let user: FixtureUser;
let fileId: string;
const tokenOf = async (scopes: ('read' | 'write')[]) =>
  (
    await createPersonalToken({
      ...createAuthDeps(testApp.context),
      userId: user.userId,
      name: `http ${scopes.join('+')}`,
      scopes,
      expiresInDays: 1,
      origin: { ip: '198.18.0.1', userAgent: 'test' },
    })
  ).token;

beforeAll(async () => {
  testApp = await createTestApp();
  user = await fixturesOf(testApp.context).newUser();
  fileId = (await fixturesOf(testApp.context).newFile(user, { name: 'a.txt', content: 'hello' }))
    .id;
});
afterAll(async () => testApp.close());

describe('401 and the Bearer scheme', () => {
  test('a 401 without credentials carries a Bearer challenge', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/usage' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="My File"');
  });

  test('a refused token is told so: error="invalid_token"', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/api/usage',
      headers: { authorization: 'Bearer mf_pat_not_a_real_token_0000000000' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="My File", error="invalid_token"/,
    );
  });

  test('a wrong password at sign-in is a 401 with a challenge too', async () => {
    const csrf = await testApp.app.inject({ method: 'GET', url: '/api/auth/csrf' });
    const cookie = csrf.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: {
        cookie,
        'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken,
        origin: 'http://localhost:8080',
      },
      payload: { email: user.email, password: 'not the password at all' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="My File"');
  });

  test('the scheme name is case-insensitive: `bearer` works', async () => {
    const token = await tokenOf(['read']);
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await testApp.app.inject({
        method: 'GET',
        url: '/api/usage',
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(response.statusCode, scheme).toBe(200);
    }
  });

  test('a token without the scope: 403 with error="insufficient_scope"', async () => {
    const token = await tokenOf(['read']);
    const response = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/files/${fileId}`,
      headers: { authorization: `bearer ${token}` },
      payload: { name: 'b.txt' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(response.headers['www-authenticate']).toContain('scope="write"');
  });
});

describe('methods and bodies', () => {
  test('a known path with the wrong method is 405 with Allow; an unknown path stays 404', async () => {
    const response = await testApp.app.inject({
      method: 'PUT',
      url: `/api/files/${fileId}`,
      headers: user.headers,
    });
    expect(response.statusCode).toBe(405);
    expect(response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    const allow = (response.headers.allow as string).split(', ');
    expect(allow).toEqual(expect.arrayContaining(['GET', 'HEAD', 'PATCH', 'DELETE']));
    expect(allow).not.toContain('PUT');
    const unknown = await testApp.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });

  test.each(['files', 'folders'])('PATCH /api/%s/:id refuses an unknown field', async (kind) => {
    const id =
      kind === 'files'
        ? fileId
        : (await fixturesOf(testApp.context).newFolder(user, { name: `f-${Date.now()}` })).id;
    const response = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/${kind}/${id}`,
      headers: user.headers,
      payload: { name: `renamed-${kind}`, nmae: 'typo' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const after = await testApp.app.inject({
      method: 'GET',
      url: `/api/${kind}/${id}`,
      headers: user.headers,
    });
    expect(after.json<{ name: string }>().name).not.toBe(`renamed-${kind}`);
  });
});

describe('conditional requests', () => {
  test('HEAD with a matching If-None-Match is 304 without a false Content-Length', async () => {
    const url = `/api/files/${fileId}/content`;
    const first = await testApp.app.inject({ method: 'GET', url, headers: user.headers });
    const etag = first.headers.etag as string;
    for (const method of ['GET', 'HEAD'] as const) {
      const response = await testApp.app.inject({
        method,
        url,
        headers: { ...user.headers, 'if-none-match': etag },
      });
      expect(response.statusCode, method).toBe(304);
      expect(response.headers['content-length'], method).toBeUndefined();
    }
  });
});

describe('optimistic concurrency on PATCH', () => {
  test.each(['files', 'folders'] as const)(
    '%s: If-Match with a stale ETag is 412 and changes nothing',
    async (kind) => {
      const fixtures = fixturesOf(testApp.context);
      const node =
        kind === 'files'
          ? await fixtures.newFile(user, { name: `cc-${kind}.txt`, content: 'x' })
          : await fixtures.newFolder(user, { name: `cc-${kind}` });
      const url = `/api/${kind}/${node.id}`;
      const loaded = await testApp.app.inject({ method: 'GET', url, headers: user.headers });
      const seen = loaded.headers.etag as string;
      expect(seen).toMatch(/^"[A-Za-z0-9_-]+"$/);

      const first = await testApp.app.inject({
        method: 'PATCH',
        url,
        headers: { ...user.headers, 'if-match': seen },
        payload: { name: `first-${kind}` },
      });
      expect(first.statusCode).toBe(200);
      expect(first.headers.etag).not.toBe(seen);

      // A second client still holding the old version loses, instead of overwriting.
      const second = await testApp.app.inject({
        method: 'PATCH',
        url,
        headers: { ...user.headers, 'if-match': seen },
        payload: { name: `second-${kind}` },
      });
      expect(second.statusCode).toBe(412);
      expect(second.json()).toMatchObject({ error: { code: 'precondition_failed' } });
      const now = await testApp.app.inject({ method: 'GET', url, headers: user.headers });
      expect(now.json<{ name: string }>().name).toBe(`first-${kind}`);
      expect(now.headers.etag).toBe(first.headers.etag);

      for (const ifMatch of ['*', `"other", ${now.headers.etag as string}`]) {
        const allowed = await testApp.app.inject({
          method: 'PATCH',
          url,
          headers: { ...user.headers, 'if-match': ifMatch },
          payload: { name: `first-${kind}` },
        });
        expect(allowed.statusCode, ifMatch).toBe(200);
      }
    },
  );
});

test('two PATCHes racing with the same If-Match: exactly one wins', async () => {
  const file = await fixturesOf(testApp.context).newFile(user, { name: 'race.txt', content: 'r' });
  const url = `/api/files/${file.id}`;
  const seen = (await testApp.app.inject({ method: 'GET', url, headers: user.headers })).headers
    .etag as string;
  const answers = await Promise.all(
    ['race-a.txt', 'race-b.txt'].map((name) =>
      testApp.app.inject({
        method: 'PATCH',
        url,
        headers: { ...user.headers, 'if-match': seen },
        payload: { name },
      }),
    ),
  );
  expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 412]);
});
