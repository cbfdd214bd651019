import type { ErrorBody } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { linkTokenFrom, startTestSmtpServer } from '../../mail/mail.test-utils.js';
import { signLink } from '../links/signed-links.models.js';
import {
  cookieHeaderOf,
  cookiesFrom,
  createPersonalToken,
  getPreSessionCsrf,
} from '../auth.test-utils.js';
import { runQueuedJobs } from '../../../test-support/run-queued-jobs.js';

/** Mail on: accounts need the link; every mail goes over real SMTP to an in-process server. */
describe('auth with mail (SMTP)', () => {
  let testApp: TestApp;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let ipCounter = 1;
  const nextIp = () => `203.0.113.${ipCounter++ % 250}`;

  const post = async (
    url: string,
    payload: object,
    { jar = {}, ip = nextIp() }: { jar?: Record<string, string>; ip?: string } = {},
  ) => {
    const pre = await getPreSessionCsrf(testApp.app, jar);
    const response = await testApp.app.inject({
      method: 'POST',
      url,
      remoteAddress: ip,
      headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
      payload,
    });
    return { response, jar: cookiesFrom(response.headers['set-cookie'], pre.jar) };
  };

  const register = async (email: string, password: string) => {
    const { response } = await post('/api/auth/register', { email, password });
    expect(response.statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
  };

  const verify = async (email: string) => {
    const token = linkTokenFrom(smtp.mailsTo(email).at(-1));
    return post('/api/auth/verify-email', { token });
  };

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    testApp = await createTestApp({
      env: { MAIL_URL: smtp.url, PUBLIC_URL: 'http://files.test' },
    });
  });
  afterAll(async () => {
    await testApp.close();
    await smtp.close();
  });

  test('a new account needs the mailed link, which works once', async () => {
    const email = 'verify-me@example.com';
    const password = 'a long enough passphrase';
    await register(email, password);
    const mail = smtp.mailsTo(email).at(-1);
    expect(mail?.text).toContain('http://files.test/verify-email#token=');

    const early = await post('/api/auth/login', { email, password });
    expect(early.response.statusCode).toBe(403);
    expect(early.response.json<ErrorBody>().error.code).toBe('email_not_verified');

    expect((await verify(email)).response.statusCode).toBe(200);
    const again = await verify(email);
    expect(again.response.statusCode).toBe(400);
    expect(again.response.json<ErrorBody>().error.code).toBe('link_invalid');

    const signedIn = await post('/api/auth/login', { email, password });
    expect(signedIn.response.statusCode).toBe(200);
  });

  test('registering a taken address answers the same and mails the owner instead', async () => {
    const email = 'taken@example.com';
    await register(email, 'first owner password');
    const before = smtp.mailsTo(email).length;
    const { response } = await post('/api/auth/register', {
      email: 'Taken@EXAMPLE.com',
      password: 'someone else trying',
    });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ status: 'verification_sent' });
    await runQueuedJobs(testApp.context);
    const mails = smtp.mailsTo(email);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)?.text).toContain('already has one');
  });

  test('forgot-password answers identically for known and unknown addresses', async () => {
    const email = 'known@example.com';
    await register(email, 'known user password');
    await verify(email);
    const known = await post('/api/auth/password/forgot', { email });
    const unknown = await post('/api/auth/password/forgot', { email: 'nobody@example.com' });
    expect(known.response.statusCode).toBe(202);
    expect(unknown.response.statusCode).toBe(202);
    expect(known.response.body).toBe(unknown.response.body);
    const headerNames = (headers: Record<string, unknown>) =>
      Object.keys(headers)
        .filter((name) => !['date', 'x-request-id', 'set-cookie', 'content-length'].includes(name))
        .sort();
    expect(headerNames(known.response.headers)).toEqual(headerNames(unknown.response.headers));
    await runQueuedJobs(testApp.context);
    expect(smtp.mailsTo('nobody@example.com')).toHaveLength(0);
    expect(smtp.mailsTo(email).at(-1)?.text).toContain('/reset-password#token=');
  });

  test('forgot-password does the same work in the request for known and unknown addresses', async () => {
    const email = 'same-work@example.com';
    await register(email, 'same work password here');
    await verify(email);
    await runQueuedJobs(testApp.context);
    const db = testApp.context.database.db;
    const queued = () =>
      db
        .selectFrom('jobs')
        .select(['name', 'payload'])
        .where('name', '=', 'auth.password-reset-request')
        .where('status', '=', 'queued')
        .execute();
    const eventsOf = () =>
      db
        .selectFrom('security_events')
        .innerJoin('users', 'users.id', 'security_events.user_id')
        .select('type')
        .where('users.email', '=', email)
        .where('type', '=', 'password_reset_requested')
        .execute();
    await post('/api/auth/password/forgot', { email });
    await post('/api/auth/password/forgot', { email: 'nobody-here@example.com' });
    // Both requests queued one job of the same shape; neither looked the address up.
    const jobs = await queued();
    expect(jobs.map((job) => job.name)).toEqual([
      'auth.password-reset-request',
      'auth.password-reset-request',
    ]);
    expect(jobs.map((job) => Object.keys(job.payload as object).sort())).toEqual([
      ['email', 'origin'],
      ['email', 'origin'],
    ]);
    expect(await eventsOf()).toHaveLength(0);
    await runQueuedJobs(testApp.context);
    expect(await eventsOf()).toHaveLength(1);
    expect(smtp.mailsTo(email).at(-1)?.text).toContain('/reset-password#token=');
    expect(smtp.mailsTo('nobody-here@example.com')).toHaveLength(0);
  });

  test('a reset link works once, signs out every session, and the new password works', async () => {
    const email = 'reset-me@example.com';
    await register(email, 'original password here');
    await verify(email);
    const session = await post('/api/auth/login', { email, password: 'original password here' });
    expect(session.response.statusCode).toBe(200);
    const signedInHeaders = { cookie: cookieHeaderOf(session.jar) };
    const personalToken = await createPersonalToken(
      testApp.app,
      {
        headers: {
          ...signedInHeaders,
          'x-csrf-token': session.response.json<{ csrfToken: string }>().csrfToken,
        },
      },
      ['read'],
    );
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/auth/me', headers: signedInHeaders }))
        .statusCode,
    ).toBe(200);

    await post('/api/auth/password/forgot', { email });
    await runQueuedJobs(testApp.context);
    const token = linkTokenFrom(smtp.mailsTo(email).at(-1));

    const reset = await post('/api/auth/password/reset', {
      token,
      newPassword: 'brand new password 1',
    });
    expect(reset.response.statusCode).toBe(200);
    const reused = await post('/api/auth/password/reset', {
      token,
      newPassword: 'another new password 2',
    });
    expect(reused.response.statusCode).toBe(400);
    expect(reused.response.json<ErrorBody>().error.code).toBe('link_invalid');

    // Every session ended at once: the old access cookie is refused on the next request.
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/auth/me', headers: signedInHeaders }))
        .statusCode,
    ).toBe(401);
    // And every personal token: a script's credential does not outlive the password.
    const bearer = { authorization: `Bearer ${personalToken}` };
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer }))
        .statusCode,
    ).toBe(401);
    expect(
      (await post('/api/auth/login', { email, password: 'original password here' })).response
        .statusCode,
    ).toBe(401);
    expect(
      (await post('/api/auth/login', { email, password: 'brand new password 1' })).response
        .statusCode,
    ).toBe(200);
    await runQueuedJobs(testApp.context);
    expect(smtp.mailsTo(email).at(-1)?.text).toContain(
      'password of your My File account was just changed',
    );
  });

  test('an expired or tampered reset link is refused', async () => {
    const email = 'expired-link@example.com';
    await register(email, 'expired link password');
    const user = await testApp.context.database.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const claims = {
      p: 'password-reset' as const,
      sub: user.id,
      jti: 'expired-jti-0123456789',
      exp: Math.floor(Date.now() / 1000) - 1,
      pwd: user.password_changed_at.getTime(),
    };
    const expired = signLink(testApp.context.keyRing, claims);
    const live = signLink(testApp.context.keyRing, { ...claims, exp: claims.exp + 3600 });
    const [body = '', kid = '', mac = ''] = live.split('.');
    const tamperedBody = Buffer.from(
      JSON.stringify({
        ...claims,
        exp: claims.exp + 7200,
        sub: '00000000-0000-0000-0000-000000000000',
      }),
    ).toString('base64url');
    for (const token of [
      expired,
      `${tamperedBody}.${kid}.${mac}`,
      `${body}.${kid}.${mac.slice(0, -2)}AA`,
    ]) {
      const { response } = await post('/api/auth/password/reset', {
        token,
        newPassword: 'will not be set 123',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe('link_invalid');
    }
  });

  test('the 101st failed login in an hour is refused while the owner can still reset and sign in', async () => {
    const email = 'victim@example.com';
    await register(email, 'victim real password');
    await verify(email);
    // An attacker spread over many addresses: per-IP limits never trigger, the account limit does.
    for (let attempt = 1; attempt <= 100; attempt++) {
      const { response } = await post('/api/auth/login', {
        email,
        password: `guess number ${attempt}`,
      });
      expect(response.statusCode).toBe(401);
    }
    const blocked = await post('/api/auth/login', { email, password: 'guess number 101' });
    expect(blocked.response.statusCode).toBe(429);
    expect(blocked.response.json<ErrorBody>().error.code).toBe('rate_limited');
    expect(Number(blocked.response.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password is refused from an unknown browser while the account is under attack.
    const owner = await post('/api/auth/login', { email, password: 'victim real password' });
    expect(owner.response.statusCode).toBe(429);

    await post('/api/auth/password/forgot', { email });
    await runQueuedJobs(testApp.context);
    const token = linkTokenFrom(smtp.mailsTo(email).at(-1));
    expect(
      (await post('/api/auth/password/reset', { token, newPassword: 'victim new password' }))
        .response.statusCode,
    ).toBe(200);
    const back = await post('/api/auth/login', { email, password: 'victim new password' });
    expect(back.response.statusCode).toBe(200);

    const events = await testApp.context.database.db
      .selectFrom('security_events')
      .innerJoin('users', 'users.id', 'security_events.user_id')
      .select('type')
      .where('users.email', '=', email)
      .execute();
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect(count('sign_in_failed')).toBe(100);
    expect(count('password_reset')).toBe(1);
    expect(count('sign_in')).toBe(1);
  });

  test('a browser that signed in before keeps its own budget while the account is attacked', async () => {
    const email = 'known-device@example.com';
    await register(email, 'device owner password');
    await verify(email);
    const first = await post('/api/auth/login', { email, password: 'device owner password' });
    expect(first.response.statusCode).toBe(200);
    const deviceJar = { ...first.jar };
    for (let attempt = 1; attempt <= 100; attempt++) {
      await post('/api/auth/login', { email, password: `attacker guess ${attempt}` });
    }
    expect(
      (await post('/api/auth/login', { email, password: 'device owner password' })).response
        .statusCode,
    ).toBe(429);
    const fromDevice = await post(
      '/api/auth/login',
      { email, password: 'device owner password' },
      { jar: deviceJar },
    );
    expect(fromDevice.response.statusCode).toBe(200);
  });
});
