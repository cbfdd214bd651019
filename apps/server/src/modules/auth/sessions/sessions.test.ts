import type { ErrorBody } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { createPruneAuthDataHandler } from '../auth.housekeeping.js';
import {
  cookieHeaderOf,
  cookiesFrom,
  createPersonalToken,
  getPreSessionCsrf,
  signUpAndSignIn,
} from '../auth.test-utils.js';

type SessionView = {
  id: string;
  device: string;
  ip: string | null;
  current: boolean;
  lastSeenAt: string;
  createdAt: string;
};

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('sessions and personal access tokens', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const inject = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => testApp.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  const signInAgain = async (email: string, password: string) => {
    const pre = await getPreSessionCsrf(testApp.app);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '198.51.100.7',
      headers: {
        cookie: cookieHeaderOf(pre.jar),
        'x-csrf-token': pre.csrfToken,
        'user-agent': FIREFOX,
      },
      payload: { email, password },
    });
    const jar = cookiesFrom(response.headers['set-cookie'], pre.jar);
    return {
      cookie: cookieHeaderOf(jar),
      'x-csrf-token': response.json<{ csrfToken: string }>().csrfToken,
    };
  };

  const sessionsOf = async (headers: Record<string, string>) =>
    (await inject('GET', '/api/auth/sessions', headers)).json<{ sessions: SessionView[] }>()
      .sessions;

  test('lists my sessions with device, IP, times and which one is current', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const firefox = await signInAgain(user.email, user.password);
    const sessions = await sessionsOf(firefox);
    expect(sessions).toHaveLength(2);
    const current = sessions.find((session) => session.current);
    expect(current).toMatchObject({ device: 'Firefox on Linux', ip: '198.51.100.7' });
    expect(Date.parse(current?.lastSeenAt ?? '')).not.toBeNaN();
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
  });

  test('revoking one of my sessions ends it at once', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const other = await signInAgain(user.email, user.password);
    expect((await inject('GET', '/api/auth/me', other)).statusCode).toBe(200);
    const target = (await sessionsOf(other)).find((session) => session.current);
    const response = await inject('DELETE', `/api/auth/sessions/${target?.id ?? ''}`, user.headers);
    expect(response.statusCode).toBe(204);
    expect((await inject('GET', '/api/auth/me', other)).statusCode).toBe(401);
    expect((await inject('GET', '/api/auth/me', user.headers)).statusCode).toBe(200);
  });

  test("another user's session id cannot be revoked: 404, and it stays alive", async () => {
    const alice = await signUpAndSignIn(testApp.app);
    const mallory = await signUpAndSignIn(testApp.app);
    const aliceSession = (await sessionsOf(alice.headers))[0];
    const response = await inject(
      'DELETE',
      `/api/auth/sessions/${aliceSession?.id ?? ''}`,
      mallory.headers,
    );
    expect(response.statusCode).toBe(404);
    expect(response.json<ErrorBody>().error.code).toBe('not_found');
    expect((await inject('GET', '/api/auth/me', alice.headers)).statusCode).toBe(200);
  });

  test('sign out everywhere else keeps only the current session', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const second = await signInAgain(user.email, user.password);
    const third = await signInAgain(user.email, user.password);
    const response = await inject('DELETE', '/api/auth/sessions', user.headers);
    expect(response.json()).toEqual({ revoked: 2, revokedTokens: 0 });
    expect((await inject('GET', '/api/auth/me', second)).statusCode).toBe(401);
    expect((await inject('GET', '/api/auth/me', third)).statusCode).toBe(401);
    expect(await sessionsOf(user.headers)).toHaveLength(1);
  });

  test('a personal token is shown once, stored hashed, and listed without its value', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read']);
    expect(token).toMatch(/^mfp_[A-Za-z0-9_-]{43}$/);
    const rows = await testApp.context.database.db
      .selectFrom('personal_tokens')
      .selectAll()
      .where('user_id', '=', user.userId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).not.toContain(token.slice(4));
    const listed = await inject('GET', '/api/auth/tokens', user.headers);
    expect(listed.body).not.toContain(token);
    expect(listed.json<{ tokens: { scopes: string[] }[] }>().tokens[0]?.scopes).toEqual(['read']);
    const events = await inject('GET', '/api/auth/events', user.headers);
    expect(
      events.json<{ events: { type: string }[] }>().events.map((event) => event.type),
    ).toContain('token_created');
  });

  test('a read-scoped token can read but cannot write; a write token can', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const reader = await createPersonalToken(testApp.app, user, ['read']);
    const writer = await createPersonalToken(testApp.app, user, ['read', 'write']);
    const me = await inject('GET', '/api/auth/me', { authorization: `Bearer ${reader}` });
    expect(me.statusCode).toBe(200);
    const write = await inject(
      'POST',
      '/api/auth/password/change',
      { authorization: `Bearer ${reader}` },
      { currentPassword: user.password, newPassword: 'new long password here' },
    );
    expect(write.statusCode).toBe(403);
    expect(write.json<ErrorBody>().error.code).toBe('forbidden');
    const asWriter = await inject(
      'POST',
      '/api/auth/password/change',
      { authorization: `Bearer ${writer}` },
      { currentPassword: user.password, newPassword: 'new long password here' },
    );
    // Password changes are for browser sessions only, but the scope check passed.
    expect(asWriter.json<ErrorBody>().error.message).toContain('Sign in with a browser session');
  });

  test('a personal token is never accepted from a cookie, nor an access cookie as Bearer', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read', 'write']);
    expect((await inject('GET', '/api/auth/me', { cookie: `mf_access=${token}` })).statusCode).toBe(
      401,
    );
    const access =
      cookiesFrom(user.cookieHeader.split('; ').map((pair) => `${pair}; Path=/`)).mf_access ?? '';
    expect(
      (await inject('GET', '/api/auth/me', { authorization: `Bearer ${access}` })).statusCode,
    ).toBe(401);
    expect(
      (await inject('GET', '/api/auth/me', { authorization: `Basic ${token}` })).statusCode,
    ).toBe(401);
  });

  test('a revoked or expired token is refused at once', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read']);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await inject('GET', '/api/auth/me', bearer)).statusCode).toBe(200);
    const [listed] = (await inject('GET', '/api/auth/tokens', user.headers)).json<{
      tokens: { id: string }[];
    }>().tokens;
    expect(
      (await inject('DELETE', `/api/auth/tokens/${listed?.id ?? ''}`, user.headers)).statusCode,
    ).toBe(204);
    expect((await inject('GET', '/api/auth/me', bearer)).statusCode).toBe(401);

    const other = await createPersonalToken(testApp.app, user, ['read']);
    await testApp.context.database.db
      .updateTable('personal_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('revoked_at', 'is', null)
      .where('user_id', '=', user.userId)
      .execute();
    expect(
      (await inject('GET', '/api/auth/me', { authorization: `Bearer ${other}` })).statusCode,
    ).toBe(401);
  });

  test("another user's token id cannot be revoked", async () => {
    const alice = await signUpAndSignIn(testApp.app);
    const mallory = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, alice, ['read']);
    const [listed] = (await inject('GET', '/api/auth/tokens', alice.headers)).json<{
      tokens: { id: string }[];
    }>().tokens;
    expect(
      (await inject('DELETE', `/api/auth/tokens/${listed?.id ?? ''}`, mallory.headers)).statusCode,
    ).toBe(404);
    expect(
      (await inject('GET', '/api/auth/me', { authorization: `Bearer ${token}` })).statusCode,
    ).toBe(200);
  });

  test('a token cannot mint tokens or list sessions', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read', 'write']);
    const bearer = { authorization: `Bearer ${token}` };
    expect(
      (await inject('POST', '/api/auth/tokens', bearer, { name: 'x', scopes: ['write'] }))
        .statusCode,
    ).toBe(403);
    expect((await inject('GET', '/api/auth/sessions', bearer)).statusCode).toBe(403);
  });

  const bearerStatus = async (token: string) =>
    (await inject('GET', '/api/auth/me', { authorization: `Bearer ${token}` })).statusCode;

  test('sign out everywhere keeps tokens by default and revokes them with ?tokens=true', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read']);
    const kept = await inject('DELETE', '/api/auth/sessions', user.headers);
    expect(kept.json()).toEqual({ revoked: 0, revokedTokens: 0 });
    expect(await bearerStatus(token)).toBe(200);
    const other = await signInAgain(user.email, user.password);
    const all = await inject('DELETE', '/api/auth/sessions?tokens=true', user.headers);
    expect(all.json()).toEqual({ revoked: 1, revokedTokens: 1 });
    expect(await bearerStatus(token)).toBe(401);
    expect((await inject('GET', '/api/auth/me', other)).statusCode).toBe(401);
  });

  test('a password change revokes every personal token', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const token = await createPersonalToken(testApp.app, user, ['read', 'write']);
    const changed = await inject('POST', '/api/auth/password/change', user.headers, {
      currentPassword: user.password,
      newPassword: 'an entirely new passphrase 42',
    });
    expect(changed.statusCode).toBe(200);
    expect(await bearerStatus(token)).toBe(401);
    expect((await inject('GET', '/api/auth/me', user.headers)).statusCode).toBe(200);
  });

  test('logout needs the refresh secret: a session id alone signs nobody out', async () => {
    const victim = await signUpAndSignIn(testApp.app);
    const [session] = await sessionsOf(victim.headers);
    // The attacker knows the id (a log, a screenshot) and mints a CSRF token bound to it.
    const forged = { mf_refresh: `${session?.id ?? ''}.not-the-secret` };
    const pre = await getPreSessionCsrf(testApp.app, forged);
    const response = await inject('POST', '/api/auth/logout', {
      cookie: cookieHeaderOf(pre.jar),
      'x-csrf-token': pre.csrfToken,
    });
    expect(response.statusCode).toBe(200);
    expect((await inject('GET', '/api/auth/me', victim.headers)).statusCode).toBe(200);
    const revoked = await testApp.context.database.db
      .selectFrom('sessions')
      .select('revoked_at')
      .where('id', '=', session?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(revoked.revoked_at).toBeNull();
  });

  test('logout with the real refresh cookie ends the session', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const jar = cookiesFrom(user.cookieHeader.split('; ').map((pair) => `${pair}; Path=/`));
    // Only the refresh cookie: the access cookie could have expired.
    const refreshOnly = cookieHeaderOf({ mf_refresh: jar.mf_refresh ?? '' });
    const response = await inject('POST', '/api/auth/logout', {
      cookie: refreshOnly,
      'x-csrf-token': user.csrfToken,
    });
    expect(response.statusCode).toBe(200);
    expect((await inject('GET', '/api/auth/me', user.headers)).statusCode).toBe(401);
  });

  test('unauthenticated requests are 401 in the error shape', async () => {
    const response = await inject('GET', '/api/auth/sessions', {});
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      error: { code: 'unauthenticated', message: 'Sign in to continue.' },
    });
  });
});

describe('idle sessions', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ env: { SESSION_IDLE_DAYS: '2' } });
  });
  afterAll(() => testApp.close());

  const idleFor = (userId: string, days: number) =>
    testApp.context.database.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - days * 86_400_000) })
      .where('user_id', '=', userId)
      .execute();
  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>) =>
    testApp.app.inject({ method, url, headers });

  test('a session unused for longer than SESSION_IDLE_DAYS can neither refresh nor be used', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await idleFor(user.userId, 3);
    expect((await call('GET', '/api/auth/me', user.headers)).statusCode).toBe(401);
    const refresh = await call('POST', '/api/auth/refresh', user.headers);
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json<ErrorBody>().error.code).toBe('unauthenticated');
    const row = await testApp.context.database.db
      .selectFrom('sessions')
      .select(['revoked_at', 'revoked_reason'])
      .where('user_id', '=', user.userId)
      .executeTakeFirstOrThrow();
    expect(row.revoked_reason).toBe('idle');
  });

  test('a session used within the idle window keeps refreshing', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await idleFor(user.userId, 1);
    expect((await call('POST', '/api/auth/refresh', user.headers)).statusCode).toBe(200);
    expect((await call('GET', '/api/auth/me', user.headers)).statusCode).toBe(200);
  });
});

describe('auth housekeeping', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  test('prunes long-ended sessions and expired link records, keeps live ones', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const db = testApp.context.database.db;
    await db
      .insertInto('used_links')
      .values([
        {
          jti: 'old-link-000000000',
          purpose: 'verify-email',
          expires_at: new Date(Date.now() - 1000),
        },
        {
          jti: 'live-link-00000000',
          purpose: 'verify-email',
          expires_at: new Date(Date.now() + 60_000),
        },
      ])
      .execute();
    const [session] = await db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.userId)
      .execute();
    const handler = createPruneAuthDataHandler({ db });
    await db
      .updateTable('sessions')
      .set({ revoked_at: new Date(Date.now() - 40 * 86_400_000) })
      .where('id', '=', session?.id ?? '')
      .execute();
    const result = await handler.run(
      {},
      {
        jobId: 'j',
        attempt: 1,
        signal: new AbortController().signal,
        reportProgress: async () => {},
      },
    );
    expect(result).toMatchObject({ links: 1, sessions: 1 });
    expect(await db.selectFrom('used_links').select('jti').execute()).toEqual([
      { jti: 'live-link-00000000' },
    ]);
  });
});
