import type { ErrorBody } from '@myfile/contract';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import {
  cookieHeaderOf,
  cookiesFrom,
  getPreSessionCsrf,
  randomTestIp,
  signIn,
  signUpAndSignIn,
} from '../auth.test-utils.js';
import { PER_ACCOUNT } from '../limits/auth.limits.js';
import { runQueuedJobs } from '../../../test-support/run-queued-jobs.js';

const setCookies = (header: string | string[] | undefined) =>
  Array.isArray(header) ? header : header ? [header] : [];

describe('accounts (mail off)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const post = async (url: string, payload: object, remoteAddress = '192.0.2.10') => {
    const pre = await getPreSessionCsrf(testApp.app);
    return testApp.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
      payload,
    });
  };

  test('register verifies at once, signs in, and stores an argon2id hash at OWASP parameters', async () => {
    const response = await post('/api/auth/register', {
      email: '  Alice@Example.COM ',
      password: 'alice has a long password',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ user: { id: string } }>();
    const user = await testApp.context.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', body.user.id)
      .executeTakeFirstOrThrow();
    expect(user.email).toBe('Alice@example.com');
    expect(user.email_verified_at).not.toBeNull();
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(user.password_hash).not.toContain('alice has a long password');
  });

  test('GET /me answers the account with its creation time in UTC ISO form, to the millisecond', async () => {
    const user = await signUpAndSignIn(testApp.app);
    // A creation time with milliseconds and a date a zone other than UTC would print differently.
    const createdAt = new Date('2026-03-04T23:30:05.007Z');
    await sql`update users set created_at = ${createdAt}, role = 'user' where id = ${user.userId}`.execute(
      testApp.context.database.db,
    );
    const me = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: user.headers,
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      id: user.userId,
      emailVerified: true,
      createdAt: '2026-03-04T23:30:05.007Z',
      isAdmin: false,
    });
  });

  test('an address is unique whatever its case', async () => {
    await post('/api/auth/register', {
      email: 'bob@example.com',
      password: 'bob has a long password',
    });
    const again = await post('/api/auth/register', {
      email: 'BOB@example.com',
      password: 'another long password',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.code).toBe('email_taken');
  });

  test('passwords: at least 10, at most 256 characters, not guessable, not the email', async () => {
    const cases = {
      'short pw9': 'password_rejected',
      ['x'.repeat(257)]: 'password_rejected',
      qwertyuiop123: 'password_rejected',
      Password2024: 'password_rejected',
      '1234567890': 'password_rejected',
      '0123456789': 'password_rejected',
      aaaaaaaaaa: 'password_rejected',
      'P@ssw0rd123': 'password_rejected',
      iloveyouiloveyou: 'password_rejected',
    };
    for (const [password, code] of Object.entries(cases)) {
      const response = await post('/api/auth/register', {
        email: `pw-${password.length}-${password.slice(0, 3).replace(/\W/g, '_')}@example.com`,
        password,
      });
      expect({ password, code: response.json<Partial<ErrorBody>>().error?.code }).toEqual({
        password,
        code,
      });
    }
    const asEmail = await post('/api/auth/register', {
      email: 'same.as.password@example.com',
      password: 'same.as.password@example.com',
    });
    expect(asEmail.json<ErrorBody>().error).toMatchObject({
      code: 'password_rejected',
      field: 'password',
    });
    const ok = await post('/api/auth/register', {
      email: 'okpw@example.com',
      password: 'tin kayak moth',
    });
    expect(ok.statusCode).toBe(201);
  });

  test('login answers an unknown email exactly like a wrong password, in comparable time', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const wrong = await post(
      '/api/auth/login',
      { email: user.email, password: 'not the password' },
      '192.0.2.20',
    );
    const unknown = await post(
      '/api/auth/login',
      { email: 'ghost@example.com', password: 'not the password' },
      '192.0.2.21',
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.body).toBe(unknown.body);

    const time = async (email: string, index: number) => {
      const started = process.hrtime.bigint();
      await post(
        '/api/auth/login',
        { email, password: 'not the password' },
        `192.0.2.${30 + index}`,
      );
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const known: number[] = [];
    const ghost: number[] = [];
    for (let index = 0; index < 9; index++) {
      known.push(await time(user.email, index));
      ghost.push(await time(`ghost${index}@example.com`, index + 10));
    }
    // Both pay for one argon2 verify (~20 ms); without the dummy hash the unknown path is ~1 ms.
    expect(median(ghost)).toBeGreaterThan(median(known) * 0.4);
    expect(median(ghost)).toBeLessThan(median(known) * 2.5);
  });

  test('cookies: HttpOnly, SameSite=Lax, narrow paths, no Secure over http; tokens never in the body', async () => {
    const pre = await getPreSessionCsrf(testApp.app);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
      payload: { email: 'cookies@example.com', password: 'cookie monster password' },
    });
    const lines = setCookies(response.headers['set-cookie']);
    const access = lines.find((line) => line.startsWith('mf_access='));
    const refresh = lines.find((line) => line.startsWith('mf_refresh='));
    expect(access).toMatch(/; HttpOnly/);
    expect(access).toMatch(/; SameSite=Lax/);
    expect(access).toMatch(/; Path=\/api(;|$)/);
    expect(access).not.toMatch(/Secure/);
    expect(refresh).toMatch(/; HttpOnly/);
    expect(refresh).toMatch(/; SameSite=Lax/);
    expect(refresh).toMatch(/; Path=\/api\/auth(;|$)/);
    const jar = cookiesFrom(lines);
    expect(response.body).not.toContain(jar.mf_access ?? 'missing');
    expect(response.body).not.toContain(jar.mf_refresh ?? 'missing');
  });

  test('mail off: mail goes to DATA_DIR/outbox as .eml', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await post('/api/auth/password/forgot', { email: user.email }, '192.0.2.99');
    await runQueuedJobs(testApp.context);
    const outbox = path.join(testApp.dataDir, 'outbox');
    const files = await fs.readdir(outbox);
    expect(files.some((file) => file.endsWith('.eml'))).toBe(true);
    const contents = await Promise.all(
      files.map((file) => fs.readFile(path.join(outbox, file), 'utf8')),
    );
    expect(contents.join('\n')).toContain(user.email);
  });

  test('concurrent wrong passwords are counted atomically: no more are judged than the cap', async () => {
    const user = await signUpAndSignIn(testApp.app);
    // A browser that signed in before: its budget is the small one, so the race is cheap to run.
    const device = await signIn(testApp.app, user);
    const cap = PER_ACCOUNT.failedLoginsOnKnownDevice.max;
    const responses = await Promise.all(
      Array.from({ length: cap * 3 }, (_, index) =>
        testApp.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: randomTestIp(),
          headers: device.headers,
          payload: { email: user.email, password: `concurrent guess ${index}` },
        }),
      ),
    );
    const judged = responses.filter((response) => response.statusCode === 401).length;
    expect(judged).toBe(cap);
    expect(responses.filter((response) => response.statusCode === 429)).toHaveLength(cap * 2);
  });

  test('changing the password needs the current one and signs out the other sessions', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const secondLogin = await post(
      '/api/auth/login',
      { email: user.email, password: user.password },
      '192.0.2.50',
    );
    const second = { cookie: cookieHeaderOf(cookiesFrom(secondLogin.headers['set-cookie'])) };
    const change = (currentPassword: string) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/auth/password/change',
        headers: user.headers,
        payload: { currentPassword, newPassword: 'a different long password' },
      });
    expect((await change('wrong current password')).statusCode).toBe(403);
    expect((await change(user.password)).statusCode).toBe(200);
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers }))
        .statusCode,
    ).toBe(200);
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/auth/me', headers: second }))
        .statusCode,
    ).toBe(401);
    const events = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/events',
      headers: user.headers,
    });
    expect(events.json<{ events: { type: string }[] }>().events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['password_changed', 'sign_in_failed', 'sign_in']),
    );
  });
});

describe('cookies under an https PUBLIC_URL', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ env: { PUBLIC_URL: 'https://files.example.com' } });
  });
  afterAll(() => testApp.close());

  test('carry Secure and the __Host- / __Secure- prefixes', async () => {
    const csrf = await testApp.app.inject({ method: 'GET', url: '/api/auth/csrf' });
    const preLine = setCookies(csrf.headers['set-cookie'])[0] ?? '';
    expect(preLine).toMatch(/^__Secure-mf_pre=.*; Secure/);
    const jar = cookiesFrom(csrf.headers['set-cookie']);
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: {
        cookie: cookieHeaderOf(jar),
        'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken,
      },
      payload: { email: 'secure@example.com', password: 'secure cookie password' },
    });
    expect(response.statusCode).toBe(201);
    const lines = setCookies(response.headers['set-cookie']);
    const access = lines.find((line) => line.startsWith('__Host-mf_access='));
    const refresh = lines.find((line) => line.startsWith('__Secure-mf_refresh='));
    expect(access).toMatch(/; Path=\/(;|$)/);
    expect(access).not.toMatch(/Domain=/);
    for (const line of [access, refresh]) {
      expect(line).toMatch(/; Secure/);
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; SameSite=Lax/);
    }
    const me = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: cookieHeaderOf(cookiesFrom(lines)) },
    });
    expect(me.statusCode).toBe(200);
  });
});
