import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { createAuthDeps } from '../auth.deps.js';
import { createPersonalToken, signUpAndSignIn } from '../auth.test-utils.js';
import { authenticatePersonalToken } from './personal-tokens.usecases.js';
import { createTouchLimiter, TOKEN_TOUCH_INTERVAL_MS } from './token-touch.js';

describe('personal token authentication is cached like sessions', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const me = (token: string) =>
    testApp.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });

  const tokenIdOf = async (user: { headers: Record<string, string> }) => {
    const listed = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/tokens',
      headers: user.headers,
    });
    return listed.json<{ tokens: { id: string }[] }>().tokens[0]?.id ?? '';
  };

  test('a cached token is refused on the very next request after its revocation', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read']);
    // Twice: the second answer comes from the cache.
    expect((await me(token)).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(200);
    const revoked = await testApp.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${await tokenIdOf(user)}`,
      headers: user.headers,
    });
    expect(revoked.statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);
  });

  test('revoking every token of an account (sign out everywhere) empties the cache too', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read']);
    expect((await me(token)).statusCode).toBe(200);
    const out = await testApp.app.inject({
      method: 'DELETE',
      url: '/api/auth/sessions?tokens=true',
      headers: user.headers,
    });
    expect(out.json<{ revokedTokens: number }>().revokedTokens).toBe(1);
    expect((await me(token)).statusCode).toBe(401);
  });

  test('last_used_at is written at most once a minute per token', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read']);
    const tokenId = await tokenIdOf(user);
    let now = Date.now();
    const deps = {
      ...createAuthDeps(testApp.context),
      tokenTouches: createTouchLimiter({ now: () => now }),
    };
    const db = testApp.context.database.db;
    const lastUsed = async () =>
      (
        await db
          .selectFrom('personal_tokens')
          .select('last_used_at')
          .where('id', '=', tokenId)
          .executeTakeFirstOrThrow()
      ).last_used_at?.getTime() ?? null;
    const forget = () =>
      db
        .updateTable('personal_tokens')
        .set({ last_used_at: null })
        .where('id', '=', tokenId)
        .execute();

    expect((await authenticatePersonalToken({ ...deps, token }))?.tokenId).toBe(tokenId);
    expect(await lastUsed()).toBe(now);
    // Cleared behind the process's back: only a write the process skipped leaves it empty.
    await forget();
    now += TOKEN_TOUCH_INTERVAL_MS - 1_000;
    expect((await authenticatePersonalToken({ ...deps, token }))?.tokenId).toBe(tokenId);
    expect(await lastUsed()).toBeNull();
    now += 1_000;
    expect((await authenticatePersonalToken({ ...deps, token }))?.tokenId).toBe(tokenId);
    expect(await lastUsed()).toBe(now);
  });
});
