import type {
  Account,
  AdminFailedJobs,
  AdminUser,
  AdminUsersPage,
  ErrorBody,
  InstanceTotals,
} from '@myfile/contract';
import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createPersonalToken, signIn } from '../auth/auth.test-utils.js';
import { signLink } from '../auth/links/signed-links.models.js';
import { RECENT_AUTH_SECONDS } from '../auth/recent-auth/recent-auth.usecases.js';
import { openEventSocket } from '../events/events.test-utils.js';
import { uploadFiles } from '../nodes/nodes.test-utils.js';

const PUBLIC_URL = 'http://admin.example.test';

let testApp: TestApp;
let fixtures: Fixtures;
/** The first account of this fresh instance: its administrator. */
let admin: FixtureUser;
let member: FixtureUser;
let wsUrl: string;

beforeAll(async () => {
  testApp = await createTestApp({
    env: { PUBLIC_URL, ADMIN_EMAILS: 'Listed@Example.com, other@example.com' },
  });
  fixtures = fixturesOf(testApp.context);
  admin = await fixtures.newUser();
  member = await fixtures.newUser();
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  wsUrl = `ws://127.0.0.1:${address.port}/api/events`;
});
afterAll(() => testApp.close());

const call = (
  user: { headers: Record<string, string> },
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) =>
  testApp.app.inject({
    method,
    url,
    headers: user.headers,
    ...(payload ? { payload } : {}),
  });

const me = async (user: { headers: Record<string, string> }) =>
  (await call(user, 'GET', '/api/auth/me')).json<Account>();

/** Every operation the served OpenAPI document lists under /api/admin, ids filled in. */
const adminOperations = async () => {
  const document = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, unknown>>;
  }>();
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/admin'))
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({
          method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
          url: path.replace(/\{[^}]+\}/g, member.userId),
        })),
    );
};

describe('who administers', () => {
  test('the first account of a fresh instance is the admin; later ones are not', async () => {
    expect((await me(admin)).isAdmin).toBe(true);
    expect((await me(member)).isAdmin).toBe(false);
  });

  test('a verified address in ADMIN_EMAILS administers too, whatever its case', async () => {
    const listed = await fixtures.newUser({ email: 'listed@example.com' });
    expect((await me(listed)).isAdmin).toBe(true);
    expect((await call(listed, 'GET', '/api/admin/totals')).statusCode).toBe(200);
  });

  test('an unverified ADMIN_EMAILS address does not', async () => {
    const pending = await fixtures.newUser({ email: 'other@example.com' });
    await testApp.context.database.db
      .updateTable('users')
      .set({ email_verified_at: null })
      .where('id', '=', pending.userId)
      .execute();
    expect((await me(pending)).isAdmin).toBe(false);
    expect((await call(pending, 'GET', '/api/admin/totals')).statusCode).toBe(403);
  });
});

/** A second administrator by role, as the instance's first account would be. */
const newAdministrator = async () => {
  const user = await fixtures.newUser();
  await testApp.context.database.db
    .updateTable('users')
    .set({ role: 'admin' })
    .where('id', '=', user.userId)
    .execute();
  return user;
};

/** Sessions signed in longer ago than recent authentication allows, and never confirmed since. */
const ageSessions = (userId: string) =>
  sql`update sessions set created_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)},
      reauthenticated_at = null where user_id = ${userId}`.execute(testApp.context.database.db);

describe('the guard', () => {
  test('every change asks for a recent sign-in; reading does not', async () => {
    const older = await newAdministrator();
    await ageSessions(older.userId);
    const before = await call(
      admin,
      'GET',
      `/api/admin/users?q=${encodeURIComponent(member.email)}`,
    );
    const changes = (await adminOperations()).filter(({ method }) => method !== 'GET');
    expect(changes.length).toBeGreaterThanOrEqual(5);
    for (const { method, url } of changes) {
      const payload = url.endsWith('/quota') ? { quotaBytes: 1 } : undefined;
      const response = await call(older, method, url, payload);
      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 403 });
      expect(response.json<ErrorBody>().error.code).toBe('reauth_required');
    }
    for (const { url } of (await adminOperations()).filter(({ method }) => method === 'GET')) {
      expect((await call(older, 'GET', url)).statusCode, url).toBe(200);
    }
    const after = await call(
      admin,
      'GET',
      `/api/admin/users?q=${encodeURIComponent(member.email)}`,
    );
    expect(after.json<AdminUsersPage>()).toEqual(before.json<AdminUsersPage>());
  });

  test('a non-admin gets 403 on every admin route of the OpenAPI document, before validation', async () => {
    const operations = await adminOperations();
    expect(operations.length).toBeGreaterThanOrEqual(8);
    for (const { method, url } of operations) {
      // No body at all: a route that validated before guarding would answer 400 here.
      const response = await call(member, method, url);
      expect({ method, url, status: response.statusCode }).toEqual({ method, url, status: 403 });
      expect(response.json<ErrorBody>().error.code).toBe('forbidden');
    }
  });

  test("an admin's personal token does not administer; nobody signed out does", async () => {
    const token = await createPersonalToken(testApp.app, admin, ['read', 'write']);
    for (const { method, url } of await adminOperations()) {
      const byToken = await testApp.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(byToken.statusCode, `${method} ${url}`).toBe(403);
      const anonymous = await testApp.app.inject({ method, url });
      expect([401, 403], `${method} ${url}`).toContain(anonymous.statusCode);
    }
  });

  test("an admin cannot read a user's files: the file routes answer 404 as to anyone", async () => {
    const file = await fixtures.newFile(member, { name: 'secret-plan.txt', content: 'secret' });
    for (const url of [`/api/files/${file.id}`, `/api/files/${file.id}/content`]) {
      expect((await call(admin, 'GET', url)).statusCode).toBe(404);
    }
    const listed = await call(admin, 'GET', '/api/admin/users?limit=200');
    const totals = await call(admin, 'GET', '/api/admin/totals');
    for (const body of [listed.body, totals.body]) expect(body).not.toContain('secret-plan');
  });
});

describe('users', () => {
  test('listed with usage, searched by part of the address, paged by cursor', async () => {
    const tag = uuidv7().slice(-8);
    const made = [];
    for (let index = 0; index < 3; index++) {
      made.push(await fixtures.newUser({ email: `page-${tag}-${index}@example.com` }));
    }
    const first = made[0];
    if (!first) throw new Error('no user');
    await fixtures.newFile(first, { name: 'a.txt', content: '12345' });
    const page1 = (
      await call(admin, 'GET', `/api/admin/users?q=${tag}&limit=2`)
    ).json<AdminUsersPage>();
    expect(page1.users.map((user) => user.email)).toEqual([
      `page-${tag}-0@example.com`,
      `page-${tag}-1@example.com`,
    ]);
    expect(page1.users[0]).toMatchObject({ usedBytes: 5, fileCount: 1, disabled: false });
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (
      await call(
        admin,
        'GET',
        `/api/admin/users?q=${tag.toUpperCase()}&limit=2&cursor=${page1.nextCursor ?? ''}`,
      )
    ).json<AdminUsersPage>();
    expect(page2.users.map((user) => user.email)).toEqual([`page-${tag}-2@example.com`]);
    expect(page2.nextCursor).toBeNull();
    const bad = await call(admin, 'GET', '/api/admin/users?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
  });

  test('a quota change holds the very next upload, and usage shows it at once', async () => {
    const user = await fixtures.newUser();
    expect(
      (await uploadFiles(testApp.app, user, { files: [{ name: 'a', content: 'x'.repeat(10) }] }))
        .statusCode,
    ).toBe(201);
    // Read once so a cache (Redis under TEST_SERVICES) holds the old quota.
    expect(
      (await call(user, 'GET', '/api/usage')).json<{ quotaBytes: number }>().quotaBytes,
    ).toBeGreaterThan(100);
    const set = await call(admin, 'PUT', `/api/admin/users/${user.userId}/quota`, {
      quotaBytes: 15,
    });
    expect(set.statusCode).toBe(200);
    expect(set.json<AdminUser>()).toMatchObject({ quotaBytes: 15, usedBytes: 10 });
    expect((await call(user, 'GET', '/api/usage')).json<{ quotaBytes: number }>().quotaBytes).toBe(
      15,
    );
    const refused = await uploadFiles(testApp.app, user, {
      files: [{ name: 'b', content: 'y'.repeat(6) }],
    });
    expect(refused.statusCode).toBe(413);
    expect(refused.json<ErrorBody>().error.code).toBe('quota_exceeded');
    const fits = await uploadFiles(testApp.app, user, {
      files: [{ name: 'c', content: 'z'.repeat(5) }],
    });
    expect(fits.statusCode).toBe(201);
    const events = await testApp.context.database.db
      .selectFrom('security_events')
      .select(['user_id', 'type', 'details'])
      .where('type', 'in', ['quota_changed', 'admin_action'])
      .execute();
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user_id: user.userId, type: 'quota_changed' }),
        expect.objectContaining({
          user_id: admin.userId,
          type: 'admin_action',
          details: expect.objectContaining({
            action: 'quota_changed',
            userId: user.userId,
          }) as unknown,
        }),
      ]),
    );
  });

  test('a quota for an account that never stored anything is kept for its first upload', async () => {
    const user = await fixtures.newUser();
    await testApp.context.database.db
      .deleteFrom('storage_usage')
      .where('user_id', '=', user.userId)
      .execute();
    await testApp.context.database.db
      .deleteFrom('nodes')
      .where('owner_id', '=', user.userId)
      .execute();
    expect(
      (await call(admin, 'PUT', `/api/admin/users/${user.userId}/quota`, { quotaBytes: 3 }))
        .statusCode,
    ).toBe(200);
    const refused = await uploadFiles(testApp.app, user, {
      files: [{ name: 'a', content: 'four' }],
    });
    expect(refused.statusCode).toBe(413);
  });

  test('disabling ends sessions, tokens and live sockets at once; no sign-in until enabled', async () => {
    const user = await fixtures.newUser();
    const token = await createPersonalToken(testApp.app, user, ['read']);
    const socket = await openEventSocket(wsUrl, { cookie: user.cookieHeader, origin: PUBLIC_URL });
    await socket.waitFor((message) => message.type === 'ready');
    const disabled = await call(admin, 'POST', `/api/admin/users/${user.userId}/disable`);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json<AdminUser>().disabled).toBe(true);
    expect((await socket.closed).code).toBe(4401);
    expect((await call(user, 'GET', '/api/usage')).statusCode).toBe(401);
    const byToken = await testApp.app.inject({
      method: 'GET',
      url: '/api/usage',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(401);
    const refused = await signIn(testApp.app, { email: user.email, password: user.password }).catch(
      (error: unknown) => error,
    );
    expect(String(refused)).toContain('account_disabled');
    // Whatever the way in (OIDC, passkey, second factor), a session starts in one place.
    const { startSession } = await import('../auth/sessions/sessions.usecases.js');
    const { createAuthDeps } = await import('../auth/auth.deps.js');
    await expect(
      startSession({
        ...createAuthDeps(testApp.context),
        userId: user.userId,
        origin: { ip: null, userAgent: null },
      }),
    ).rejects.toMatchObject({ code: 'account_disabled' });

    expect(
      (await call(admin, 'POST', `/api/admin/users/${user.userId}/enable`)).json<AdminUser>()
        .disabled,
    ).toBe(false);
    await expect(
      signIn(testApp.app, { email: user.email, password: user.password }),
    ).resolves.toBeDefined();
    const types = await testApp.context.database.db
      .selectFrom('security_events')
      .select('type')
      .where('user_id', '=', user.userId)
      .execute();
    expect(types.map((row) => row.type)).toEqual(
      expect.arrayContaining(['account_disabled', 'account_enabled']),
    );
  });

  test("a disabled owner's share links open nothing until the account is enabled", async () => {
    const owner = await fixtures.newUser();
    const upload = await uploadFiles(testApp.app, owner, {
      files: [{ name: 'public.txt', content: 'for anyone with the link' }],
    });
    const [file] = upload.json<{ files: { id: string }[] }>().files;
    const link = await call(owner, 'POST', `/api/nodes/${file?.id ?? ''}/links`, {
      role: 'viewer',
    });
    expect(link.statusCode).toBe(201);
    const { token } = link.json<{ token: string }>();
    const visit = () => testApp.app.inject({ method: 'GET', url: `/api/s/${token}` });
    expect((await visit()).statusCode).toBe(200);
    await call(admin, 'POST', `/api/admin/users/${owner.userId}/disable`);
    const closed = await visit();
    expect(closed.statusCode).toBe(404);
    expect(closed.json<ErrorBody>().error.code).toBe('not_found');
    await call(admin, 'POST', `/api/admin/users/${owner.userId}/enable`);
    expect((await visit()).statusCode).toBe(200);
  });

  test('an admin cannot disable or reset their own account', async () => {
    expect((await call(admin, 'POST', `/api/admin/users/${admin.userId}/disable`)).statusCode).toBe(
      409,
    );
    expect(
      (await call(admin, 'POST', `/api/admin/users/${admin.userId}/password-reset`)).statusCode,
    ).toBe(409);
  });

  test('the last administrator cannot delete their account; with another one left, they can', async () => {
    const solo = await createTestApp();
    try {
      const soloFixtures = fixturesOf(solo.context);
      const first = await soloFixtures.newUser();
      const deleteMine = (user: FixtureUser) =>
        solo.app.inject({
          method: 'POST',
          url: '/api/account/delete',
          headers: user.headers,
          payload: {},
        });
      const refused = await deleteMine(first);
      expect(refused.statusCode).toBe(409);
      expect(refused.json<ErrorBody>().error.message).toMatch(/last administrator/);
      const meNow = await solo.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: first.headers,
      });
      expect(meNow.statusCode).toBe(200);

      // A disabled administrator does not count: nobody could sign in to administer.
      const second = await soloFixtures.newUser();
      const db = solo.context.database.db;
      await db
        .updateTable('users')
        .set({ role: 'admin', disabled_at: new Date() })
        .where('id', '=', second.userId)
        .execute();
      expect((await deleteMine(first)).statusCode).toBe(409);

      await db
        .updateTable('users')
        .set({ disabled_at: null })
        .where('id', '=', second.userId)
        .execute();
      expect((await deleteMine(first)).statusCode).toBe(202);
      expect((await deleteMine(second)).statusCode).toBe(409);
    } finally {
      await solo.close();
    }
  });

  test('the last administrator cannot move off their ADMIN_EMAILS address; to another listed one, or with another administrator, they can', async () => {
    const solo = await createTestApp({
      env: { PUBLIC_URL, ADMIN_EMAILS: 'boss@example.com, deputy@example.com' },
    });
    try {
      const soloFixtures = fixturesOf(solo.context);
      const db = solo.context.database.db;
      const first = await soloFixtures.newUser();
      const boss = await soloFixtures.newUser({ email: 'boss@example.com' });
      // The instance's first account is disabled: the listed address administers alone.
      await db
        .updateTable('users')
        .set({ disabled_at: new Date() })
        .where('id', '=', first.userId)
        .execute();
      const ask = (newEmail: string) =>
        solo.app.inject({
          method: 'POST',
          url: '/api/account/email',
          headers: boss.headers,
          payload: { newEmail },
        });
      const confirmMove = (email: string, jti: string) =>
        solo.app.inject({
          method: 'POST',
          url: '/api/account/email/confirm',
          payload: {
            token: signLink(solo.context.keys.current(), {
              p: 'email-change',
              sub: boss.userId,
              jti,
              exp: Math.floor(Date.now() / 1000) + 3600,
              email,
            }),
          },
        });
      const emailOf = async () =>
        (
          await db
            .selectFrom('users')
            .select('email')
            .where('id', '=', boss.userId)
            .executeTakeFirstOrThrow()
        ).email;

      const asked = await ask('elsewhere@example.com');
      expect(asked.statusCode).toBe(409);
      expect(asked.json<ErrorBody>().error.message).toMatch(/last administrator/);
      // A link asked for before the rule applied is refused when used, and stays unused.
      const refused = await confirmMove('elsewhere@example.com', 'c'.repeat(22));
      expect(refused.statusCode).toBe(409);
      expect(refused.json<ErrorBody>().error.message).toMatch(/last administrator/);
      expect(await emailOf()).toBe('boss@example.com');

      expect((await ask('deputy@example.com')).statusCode).toBe(202);

      await db
        .updateTable('users')
        .set({ disabled_at: null })
        .where('id', '=', first.userId)
        .execute();
      expect((await confirmMove('elsewhere@example.com', 'c'.repeat(22))).statusCode).toBe(200);
      expect(await emailOf()).toBe('elsewhere@example.com');
    } finally {
      await solo.close();
    }
  });

  test('an unknown account is 404', async () => {
    expect((await call(admin, 'POST', `/api/admin/users/${uuidv7()}/disable`)).statusCode).toBe(
      404,
    );
    expect(
      (await call(admin, 'PUT', `/api/admin/users/${uuidv7()}/quota`, { quotaBytes: 1 }))
        .statusCode,
    ).toBe(404);
  });

  test('a forced reset kills the old password and every session, and queues the reset mail', async () => {
    const user = await fixtures.newUser();
    const response = await call(admin, 'POST', `/api/admin/users/${user.userId}/password-reset`);
    expect(response.statusCode).toBe(202);
    expect((await call(user, 'GET', '/api/usage')).statusCode).toBe(401);
    const refused = await signIn(testApp.app, { email: user.email, password: user.password }).catch(
      (error: unknown) => error,
    );
    expect(String(refused)).toContain('invalid_credentials');
    const jobs = await testApp.context.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'auth.password-reset-request')
      .execute();
    expect(jobs.map((job) => (job.payload as { email: string }).email)).toContain(user.email);
  });
});

describe('the instance', () => {
  test('totals count accounts, files, hot bytes and jobs by state', async () => {
    const totals = (await call(admin, 'GET', '/api/admin/totals')).json<InstanceTotals>();
    expect(totals.users.total).toBeGreaterThanOrEqual(2);
    expect(totals.users.admins).toBeGreaterThanOrEqual(2);
    expect(totals.files).toBeGreaterThan(0);
    expect(totals.bytes.hot).toBeGreaterThan(0);
    expect(totals.bytes.cold).toBe(0);
    expect(Object.keys(totals.jobs).sort()).toEqual(['done', 'failed', 'queued', 'running']);
  });

  test('failed jobs are listed without what might name a file, and retried', async () => {
    const id = uuidv7();
    await testApp.context.database.db
      .insertInto('jobs')
      .values({
        id,
        name: 'archive.folder',
        payload: JSON.stringify({ folderId: uuidv7(), name: 'holiday-photos' }),
        owner_id: member.userId,
        status: 'failed',
        attempts: 5,
        run_at: new Date(),
        last_error: '"holiday-photos.jpg" has no copy in either tier.',
        finished_at: new Date(),
      })
      .execute();
    const before = (await call(admin, 'GET', '/api/admin/totals')).json<InstanceTotals>();
    const listed = await call(admin, 'GET', '/api/admin/jobs/failed');
    expect(listed.body).not.toContain('holiday');
    expect(listed.json<AdminFailedJobs>().jobs[0]).toMatchObject({
      id,
      name: 'archive.folder',
      ownerEmail: member.email,
      attempts: 5,
    });
    expect((await call(admin, 'POST', `/api/admin/jobs/${id}/retry`)).statusCode).toBe(202);
    const job = await testApp.context.database.db
      .selectFrom('jobs')
      .select(['status', 'attempts', 'last_error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'queued', attempts: 0, last_error: null });
    const after = (await call(admin, 'GET', '/api/admin/totals')).json<InstanceTotals>();
    expect(after.jobs.failed).toBe(before.jobs.failed - 1);
    // Not failed any more: a second retry has nothing to retry.
    expect((await call(admin, 'POST', `/api/admin/jobs/${id}/retry`)).statusCode).toBe(404);
  });
});
