import type { ErrorBody } from '@myfile/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { FIXTURE_PASSWORD, fixturesOf, type FixtureUser } from '../../../test-support/fixtures.js';
import { createPersonalToken, signUpAndSignIn, type SignedInUser } from '../auth.test-utils.js';
import { PER_ACCOUNT } from '../limits/auth.limits.js';
import { RECENT_AUTH_SECONDS } from './recent-auth.usecases.js';

describe('recent authentication before minting a personal token', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const createToken = (user: SignedInUser, extra: object = {}) =>
    testApp.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: user.headers,
      payload: { name: 'ci', scopes: ['read', 'write'], ...extra },
    });

  /** The session signed in longer ago than the recent-auth window. */
  const ageSession = (user: SignedInUser) =>
    sql`update sessions set created_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)}
        where user_id = ${user.userId}`.execute(testApp.context.database.db);

  const tokensOf = async (user: SignedInUser) =>
    testApp.context.database.db
      .selectFrom('personal_tokens')
      .select('id')
      .where('user_id', '=', user.userId)
      .execute();

  test('a session that signed in minutes ago may mint a token without the password', async () => {
    const user = await signUpAndSignIn(testApp.app);
    expect((await createToken(user)).statusCode).toBe(201);
  });

  test('an older session is refused with reauth_required and nothing is created', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await ageSession(user);
    const response = await createToken(user);
    expect(response.statusCode).toBe(403);
    expect(response.json<ErrorBody>().error).toMatchObject({
      code: 'reauth_required',
      field: 'currentPassword',
    });
    expect(await tokensOf(user)).toHaveLength(0);
  });

  test('an older session with a wrong password is refused; with the right one it may', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await ageSession(user);
    const wrong = await createToken(user, { currentPassword: 'not my password at all' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json<ErrorBody>().error.code).toBe('invalid_credentials');
    expect(await tokensOf(user)).toHaveLength(0);
    const right = await createToken(user, { currentPassword: user.password });
    expect(right.statusCode).toBe(201);
    expect(right.body).not.toContain(user.password);
  });

  test('wrong current passwords are limited per account, then even the right one waits', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const change = (currentPassword: string) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/auth/password/change',
        headers: user.headers,
        payload: { currentPassword, newPassword: 'a brand new long password' },
      });
    // Spread over the two routes that check the current password: one budget per account.
    for (let attempt = 1; attempt <= PER_ACCOUNT.passwordConfirm.max; attempt++) {
      const response =
        attempt % 2
          ? await change(`wrong guess ${attempt}`)
          : await createToken(user, { currentPassword: `wrong guess ${attempt}` });
      expect(response.statusCode).toBe(403);
    }
    const blocked = await change(user.password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json<ErrorBody>().error.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const failures = await testApp.context.database.db
      .selectFrom('security_events')
      .select('type')
      .where('user_id', '=', user.userId)
      .where('type', '=', 'sign_in_failed')
      .execute();
    expect(failures).toHaveLength(PER_ACCOUNT.passwordConfirm.max);
  });

  test('concurrent wrong current passwords cannot all be evaluated past the limit', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const attempts = PER_ACCOUNT.passwordConfirm.max * 3;
    const responses = await Promise.all(
      Array.from({ length: attempts }, (_, index) =>
        testApp.app.inject({
          method: 'POST',
          url: '/api/auth/password/change',
          headers: user.headers,
          payload: { currentPassword: `guess ${index}`, newPassword: 'a brand new long password' },
        }),
      ),
    );
    const evaluated = responses.filter((response) => response.statusCode === 403).length;
    expect(evaluated).toBe(PER_ACCOUNT.passwordConfirm.max);
  });

  test('a right password does not use up the budget', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await ageSession(user);
    for (let attempt = 0; attempt < PER_ACCOUNT.passwordConfirm.max + 2; attempt++) {
      const response = await createToken(user, { currentPassword: user.password });
      expect(response.statusCode).toBe(201);
    }
  });
});

describe('recent authentication before setting a share link password', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const makeLink = (user: FixtureUser, nodeId: string, extra: object = {}) =>
    testApp.app.inject({
      method: 'POST',
      url: `/api/nodes/${nodeId}/links`,
      headers: user.headers,
      payload: { role: 'viewer', ...extra },
    });

  const ageSessionOf = (user: FixtureUser) =>
    sql`update sessions set created_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)}
        where id = ${user.sessionId}`.execute(testApp.context.database.db);

  const linksOf = (nodeId: string) =>
    testApp.context.database.db
      .selectFrom('share_links')
      .select('password_hash')
      .where('node_id', '=', nodeId)
      .execute();

  test('an older session may share without a password, but not set one without proving it is you', async () => {
    const fixtures = fixturesOf(testApp.context);
    const owner = await fixtures.newUser();
    const folder = await fixtures.newFolder(owner, { name: 'Reports' });
    await ageSessionOf(owner);
    expect((await makeLink(owner, folder.id)).statusCode).toBe(201);

    const refused = await makeLink(owner, folder.id, { password: 'a link password' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.code).toBe('reauth_required');
    expect((await linksOf(folder.id)).filter((link) => link.password_hash !== null)).toEqual([]);

    const wrong = await makeLink(owner, folder.id, {
      password: 'a link password',
      currentPassword: 'not the account password',
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json<ErrorBody>().error.code).toBe('invalid_credentials');

    const withPassword = await makeLink(owner, folder.id, {
      password: 'a link password',
      currentPassword: FIXTURE_PASSWORD,
    });
    expect(withPassword.statusCode).toBe(201);
    expect(withPassword.json()).toMatchObject({ hasPassword: true });
  });

  test('after confirming it is you, the same session sets a link password for the usual window', async () => {
    const fixtures = fixturesOf(testApp.context);
    const owner = await fixtures.newUser();
    const file = await fixtures.newFile(owner, { name: 'plan.txt', content: 'plan' });
    await ageSessionOf(owner);
    const reauth = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/reauth',
      headers: owner.headers,
      payload: { method: 'password', password: FIXTURE_PASSWORD },
    });
    expect(reauth.statusCode).toBe(200);
    expect((await makeLink(owner, file.id, { password: 'a link password' })).statusCode).toBe(201);
  });

  test('a personal token cannot set a link password (only a browser that proved it is you can)', async () => {
    const fixtures = fixturesOf(testApp.context);
    const owner = await fixtures.newUser();
    const file = await fixtures.newFile(owner, { name: 'token.txt', content: 'x' });
    const token = await createPersonalToken(testApp.app, owner, ['read', 'write']);
    const byToken = (payload: object) =>
      testApp.app.inject({
        method: 'POST',
        url: `/api/nodes/${file.id}/links`,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
    expect((await byToken({ role: 'viewer' })).statusCode).toBe(201);
    expect((await byToken({ role: 'viewer', password: 'a link password' })).statusCode).toBe(403);
  });
});
