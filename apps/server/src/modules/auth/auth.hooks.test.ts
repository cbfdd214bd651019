import type { ErrorBody } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { getAuth, requireAuth } from './auth.hooks.js';
import { createPersonalToken, signUpAndSignIn } from './auth.test-utils.js';
import { assertOwnedOrNotFound } from './authorization.js';

describe('requireAuth and the authorization helper, as later routes use them', () => {
  let testApp: TestApp;
  const notes = new Map<string, { id: string; ownerId: string; text: string }>();
  beforeAll(async () => {
    testApp = await createTestApp();
    // A stand-in resource route, the way the files module will write one.
    testApp.app.get<{ Params: { id: string } }>(
      '/api/test/notes/:id',
      { preHandler: requireAuth('read') },
      async (request) => assertOwnedOrNotFound(notes.get(request.params.id), getAuth(request)),
    );
    // Declared "read" by mistake: an unsafe method still needs "write".
    testApp.app.post('/api/test/notes', { preHandler: requireAuth('read') }, async (request) => {
      const auth = getAuth(request);
      const id = String(notes.size + 1);
      notes.set(id, { id, ownerId: auth.userId, text: 'hi' });
      return { id };
    });
  });
  afterAll(() => testApp.close());

  test("a resource that isn't yours is 404 not_found, exactly like a missing one", async () => {
    const alice = await signUpAndSignIn(testApp.app);
    const mallory = await signUpAndSignIn(testApp.app);
    const created = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/notes',
      headers: alice.headers,
    });
    const { id } = created.json<{ id: string }>();
    const mine = await testApp.app.inject({
      method: 'GET',
      url: `/api/test/notes/${id}`,
      headers: alice.headers,
    });
    expect(mine.statusCode).toBe(200);
    const theirs = await testApp.app.inject({
      method: 'GET',
      url: `/api/test/notes/${id}`,
      headers: mallory.headers,
    });
    const missing = await testApp.app.inject({
      method: 'GET',
      url: '/api/test/notes/999',
      headers: mallory.headers,
    });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).toBe(missing.body);
  });

  test('an unsafe method needs the write scope even on a route declared read', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const reader = await createPersonalToken(testApp.app, user, ['read']);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/notes',
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<ErrorBody>().error.code).toBe('forbidden');
  });

  test('a cookie-authenticated write to any route needs the CSRF token (enforced app-wide)', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const before = notes.size;
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/test/notes',
      headers: { cookie: user.cookieHeader },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<ErrorBody>().error.code).toBe('csrf_invalid');
    expect(notes.size).toBe(before);
  });

  test('assertOwnedOrNotFound also accepts owner_id rows', () => {
    const row = { owner_id: 'u1', name: 'x' };
    expect(assertOwnedOrNotFound(row, { userId: 'u1' })).toBe(row);
    expect(() => assertOwnedOrNotFound(row, { userId: 'u2' })).toThrow(/Not found/);
    expect(() => assertOwnedOrNotFound(undefined, { userId: 'u1' })).toThrow(/Not found/);
  });
});
