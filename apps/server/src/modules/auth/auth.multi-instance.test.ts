import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestApp } from '../../test-support/test-app.js';
import { createTwoTestApps, type TwoTestApps } from '../../test-support/two-apps.js';
import { usesRealServices } from '../../test-support/test-services.js';
import { SESSION_CACHE_SECONDS } from '../../session-cache/session-cache.types.js';
import { createPersonalToken, mailedLinkToken, signUpAndSignIn } from './auth.test-utils.js';

/** Two API processes on one database (and, on real services, one Redis), as behind a load balancer. */
describe('several instances agree on revocation', () => {
  let apps: TwoTestApps;
  let first: TestApp;
  let second: TestApp;
  let prefix: string;

  beforeAll(async () => {
    apps = await createTwoTestApps();
    ({ first, second } = apps);
    prefix = first.context.config.REDIS_KEY_PREFIX;
  });
  afterAll(async () => {
    await apps.close();
  });

  const me = (app: TestApp, headers: Record<string, string>) =>
    app.app.inject({ method: 'GET', url: '/api/auth/me', headers });

  test('a session signed out on one instance is refused by the other (at once with Redis)', async () => {
    const user = await signUpAndSignIn(first.app);
    // The second instance has the session cached as alive.
    expect((await me(second, { cookie: user.cookieHeader })).statusCode).toBe(200);
    const out = await first.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: user.headers,
    });
    expect(out.statusCode).toBe(200);
    if (usesRealServices()) {
      expect(first.context.redis).not.toBeNull();
      expect((await me(second, { cookie: user.cookieHeader })).statusCode).toBe(401);
    } else {
      // In-process caches are per process: the documented bound is a few seconds, never more.
      await sleep(SESSION_CACHE_SECONDS * 1000 + 200);
      expect((await me(second, { cookie: user.cookieHeader })).statusCode).toBe(401);
    }
  });

  test('a revoked token is refused everywhere; failed-login counts are shared through Redis', async () => {
    const user = await signUpAndSignIn(first.app);
    const token = await createPersonalToken(first.app, user, ['read']);
    // Personal tokens are cached like sessions: with Redis the cache is one for every instance.
    const bearer = { authorization: `Bearer ${token}` };
    expect((await me(second, bearer)).statusCode).toBe(200);
    expect((await me(second, bearer)).statusCode).toBe(200);
    const [listed] = (
      await first.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: user.headers })
    ).json<{ tokens: { id: string }[] }>().tokens;
    await first.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${listed?.id ?? ''}`,
      headers: user.headers,
    });
    if (usesRealServices()) {
      expect((await me(second, bearer)).statusCode).toBe(401);
    } else {
      // In-process caches are per process: the documented bound is a few seconds, never more.
      await sleep(SESSION_CACHE_SECONDS * 1000 + 200);
      expect((await me(second, bearer)).statusCode).toBe(401);
    }

    const failures = async (app: TestApp, count: number, email: string) => {
      for (let index = 0; index < count; index++) {
        const csrf = await app.app.inject({ method: 'GET', url: '/api/auth/csrf' });
        const cookie = String(csrf.headers['set-cookie']).split(';')[0] ?? '';
        await app.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: `198.51.100.${index + 1}`,
          headers: { cookie, 'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken },
          payload: { email, password: `wrong guess ${index}` },
        });
      }
    };
    const counterOf = (app: TestApp, email: string) =>
      app.context.redis
        ? app.context.redis.get(`${prefix}count:login-fail:${email}`)
        : Promise.resolve(null);
    await failures(first, 3, user.email);
    await failures(second, 2, user.email);
    if (usesRealServices()) expect(await counterOf(second, user.email)).toBe('5');
    else expect(await counterOf(second, user.email)).toBeNull();
  });

  test('a verified address is seen by the other instance (at once with Redis)', async () => {
    const user = await signUpAndSignIn(first.app);
    const db = first.context.database.db;
    await db
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', user.userId)
      .execute();
    const verified = async () =>
      (await me(second, { cookie: user.cookieHeader })).json<{ emailVerified: boolean }>()
        .emailVerified;
    // The second instance has the unverified account cached.
    expect(await verified()).toBe(false);
    const token = mailedLinkToken(first.context.keys.current(), {
      p: 'verify-email',
      sub: user.userId,
    });
    const answer = await first.app.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      headers: user.headers,
      payload: { token },
    });
    expect(answer.statusCode).toBe(200);
    if (!usesRealServices()) await sleep(SESSION_CACHE_SECONDS * 1000 + 200);
    expect(await verified()).toBe(true);
  });
});
