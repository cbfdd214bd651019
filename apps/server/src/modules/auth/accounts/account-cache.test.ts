import { randomBytes } from 'node:crypto';
import type { Account } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { createPersonalToken, mailedLinkToken } from '../auth.test-utils.js';

/** `/me` is answered from a cache: each change to what it says must be seen on the next call. */
describe('the account behind /me is cached, and every change to it is seen at once', () => {
  let testApp: TestApp;
  let fixtures: Fixtures;
  let admin: FixtureUser;
  beforeAll(async () => {
    testApp = await createTestApp({ env: { ADMIN_EMAILS: 'listed@example.com' } });
    fixtures = fixturesOf(testApp.context);
    admin = await fixtures.newUser();
  });
  afterAll(() => testApp.close());

  const me = (headers: Record<string, string>) =>
    testApp.app.inject({ method: 'GET', url: '/api/auth/me', headers });
  const db = () => testApp.context.database.db;

  test('a second /me reads no account row', async () => {
    const user = await fixtures.newUser();
    expect((await me(user.headers)).statusCode).toBe(200);
    // Changed behind the use cases' back, so only a database read could see it.
    await db()
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', user.userId)
      .execute();
    expect((await me(user.headers)).json<Account>().emailVerified).toBe(true);
  });

  test('verifying the address: emailVerified, and an ADMIN_EMAILS address becomes an administrator', async () => {
    const user = await fixtures.newUser({ email: 'listed@example.com' });
    await db()
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', user.userId)
      .execute();
    const bearer = {
      authorization: `Bearer ${await createPersonalToken(testApp.app, user, ['read'])}`,
    };
    expect((await me(bearer)).json<Account>()).toMatchObject({
      emailVerified: false,
      isAdmin: false,
    });
    const token = mailedLinkToken(testApp.context.keys.current(), {
      p: 'verify-email',
      sub: user.userId,
    });
    const verified = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      headers: user.headers,
      payload: { token },
    });
    expect(verified.statusCode).toBe(200);
    expect((await me(bearer)).json<Account>()).toMatchObject({
      emailVerified: true,
      isAdmin: true,
    });
  });

  test('disabling and enabling an account: it signs in again to what it is now', async () => {
    const user = await fixtures.newUser();
    expect((await me(user.headers)).statusCode).toBe(200);
    const set = (disabled: boolean) =>
      testApp.app.inject({
        method: 'POST',
        url: `/api/admin/users/${user.userId}/${disabled ? 'disable' : 'enable'}`,
        headers: admin.headers,
      });
    expect((await set(true)).statusCode).toBe(200);
    expect((await me(user.headers)).statusCode).toBe(401);
    // Changed while disabled; the enable must not bring back what was cached before.
    await db()
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', user.userId)
      .execute();
    expect((await set(false)).statusCode).toBe(200);
    const again = await fixtures.newSession(user);
    expect((await me(again.headers)).json<Account>().emailVerified).toBe(false);
  });

  test('a password reset verifies the address, and the next session sees it', async () => {
    const user = await fixtures.newUser();
    const row = await db()
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', user.userId)
      .returning('password_changed_at')
      .executeTakeFirstOrThrow();
    expect((await me(user.headers)).json<Account>().emailVerified).toBe(false);
    const token = mailedLinkToken(testApp.context.keys.current(), {
      p: 'password-reset',
      sub: user.userId,
      pwd: row.password_changed_at.getTime(),
    });
    const reset = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/password/reset',
      headers: user.headers,
      payload: { token, newPassword: `a new passphrase ${randomBytes(6).toString('hex')}` },
    });
    expect(reset.statusCode).toBe(200);
    const again = await fixtures.newSession(user);
    expect((await me(again.headers)).json<Account>().emailVerified).toBe(true);
  });
});
