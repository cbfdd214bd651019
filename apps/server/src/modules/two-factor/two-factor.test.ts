import type { ErrorBody, SignInAnswer } from '@myfile/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { signUpAndSignIn, type SignedInUser } from '../auth/auth.test-utils.js';
import { RECENT_AUTH_SECONDS } from '../auth/recent-auth/recent-auth.usecases.js';
import { NO_PASSWORD_HASH } from '../auth/passwords/passwords.models.js';
import { RECOVERY_CODE_COUNT } from './recovery-codes.models.js';
import { codeFor, enableTotp, postSignedOut } from './two-factor.test-utils.js';
import { SECOND_FACTOR_FAILURES } from './two-factor.limits.js';

describe('TOTP two-factor', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  const passwordStep = async (user: SignedInUser) => {
    const { response, jar } = await postSignedOut(testApp.app, '/api/auth/login', {
      email: user.email,
      password: user.password,
    });
    expect(response.statusCode).toBe(200);
    const answer = response.json<SignInAnswer>();
    if (answer.status !== 'second_factor_required') throw new Error('no second step asked');
    return { answer, jar };
  };

  const secondStep = (pendingToken: string, code: string) =>
    postSignedOut(testApp.app, '/api/auth/login/second-factor', { pendingToken, code });

  const eventsOf = async (user: SignedInUser, type: string) =>
    testApp.context.database.db
      .selectFrom('security_events')
      .select(['type', 'details'])
      .where('user_id', '=', user.userId)
      .where('type', '=', type)
      .execute();

  test('enrolment gives a secret, an otpauth URI and an inline QR code; a code from the secret turns it on', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const enrol = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/2fa/totp/enrol',
      headers: user.headers,
      payload: {},
    });
    expect(enrol.statusCode).toBe(200);
    expect(enrol.headers['cache-control']).toBe('no-store');
    const { secret, uri, qrCode } = enrol.json<{ secret: string; uri: string; qrCode: string }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri.startsWith('otpauth://totp/')).toBe(true);
    expect(
      Buffer.from(qrCode.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString(),
    ).toContain('<svg');

    const wrong = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/2fa/totp/confirm',
      headers: user.headers,
      payload: { code: codeFor(secret, 5) },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/2fa/totp/confirm',
      headers: user.headers,
      payload: { code: codeFor(secret) },
    });
    expect(right.statusCode).toBe(200);
    const { recoveryCodes } = right.json<{ recoveryCodes: string[] }>();
    expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of recoveryCodes) expect(code).toMatch(/^([0-9A-Z]{4}-){3}[0-9A-Z]{4}$/);
    // Only hashes are kept.
    const stored = await testApp.context.database.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', user.userId)
      .execute();
    expect(stored).toHaveLength(RECOVERY_CODE_COUNT);
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]?.replace(/-/g, '').slice(0, 8));
    const status = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/2fa',
      headers: user.headers,
    });
    expect(status.json()).toMatchObject({ enabled: true, recoveryCodesLeft: RECOVERY_CODE_COUNT });
    expect(await eventsOf(user, 'two_factor_enabled')).toHaveLength(1);
  });

  test('the password step yields a pending token and no session; a code works once, a replay in its window is refused', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const { secret } = await enableTotp(testApp.app, user);
    const { answer, jar } = await passwordStep(user);
    expect(answer.methods).toEqual(['totp', 'recovery_code']);
    expect(
      Object.keys(jar).some((name) => name.includes('access') || name.includes('refresh')),
    ).toBe(false);

    // The enrolment spent this step's code: the next step's (accepted for clock drift) is fresh.
    const code = codeFor(secret, 1);
    const first = await secondStep(answer.pendingToken, code);
    expect(first.response.statusCode).toBe(200);
    expect(first.response.json()).toMatchObject({ status: 'signed_in', user: { id: user.userId } });
    expect(Object.keys(first.jar).some((name) => name.includes('access'))).toBe(true);
    const signIns = await eventsOf(user, 'sign_in');
    expect(signIns.at(-1)?.details).toMatchObject({ via: 'password', secondFactor: 'totp' });

    const again = await passwordStep(user);
    const replay = await secondStep(again.answer.pendingToken, code);
    expect(replay.response.statusCode).toBe(401);
    expect(replay.response.json<ErrorBody>().error).toMatchObject({
      code: 'invalid_credentials',
      field: 'code',
    });
    // An older step's code is spent too, once a newer one was used.
    expect((await secondStep(again.answer.pendingToken, codeFor(secret))).response.statusCode).toBe(
      401,
    );
    expect(await eventsOf(user, 'second_factor_failed')).toHaveLength(2);
  });

  test('a pending token finishes one sign-in only, and is no good after a password change', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const { recoveryCodes } = await enableTotp(testApp.app, user);
    const { answer } = await passwordStep(user);
    expect(
      (await secondStep(answer.pendingToken, recoveryCodes[0] ?? '')).response.statusCode,
    ).toBe(200);
    const reused = await secondStep(answer.pendingToken, recoveryCodes[1] ?? '');
    expect(reused.response.statusCode).toBe(401);
    expect(reused.response.json<ErrorBody>().error.code).toBe('unauthenticated');

    const stale = await passwordStep(user);
    await sql`update users set password_changed_at = now() where id = ${user.userId}`.execute(
      testApp.context.database.db,
    );
    const afterChange = await secondStep(stale.answer.pendingToken, recoveryCodes[2] ?? '');
    expect(afterChange.response.statusCode).toBe(401);
    expect(afterChange.response.json<ErrorBody>().error.code).toBe('unauthenticated');
    expect((await secondStep('not.a.token', '123456')).response.statusCode).toBe(401);
  });

  test('each recovery code works once, in any case and spacing', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const { recoveryCodes } = await enableTotp(testApp.app, user);
    const [first = '', second = ''] = recoveryCodes;
    const one = await passwordStep(user);
    expect(
      (await secondStep(one.answer.pendingToken, first.toLowerCase().replace(/-/g, ' '))).response
        .statusCode,
    ).toBe(200);
    const two = await passwordStep(user);
    expect((await secondStep(two.answer.pendingToken, first)).response.statusCode).toBe(401);
    expect((await secondStep(two.answer.pendingToken, second)).response.statusCode).toBe(200);
    const used = await eventsOf(user, 'recovery_code_used');
    expect(used.map((event) => event.details)).toEqual([
      { during: 'sign_in', recoveryCodesLeft: RECOVERY_CODE_COUNT - 1 },
      { during: 'sign_in', recoveryCodesLeft: RECOVERY_CODE_COUNT - 2 },
    ]);
    // Another account's codes are not this one's.
    const other = await signUpAndSignIn(testApp.app);
    await enableTotp(testApp.app, other);
    const theirs = await passwordStep(other);
    expect(
      (await secondStep(theirs.answer.pendingToken, recoveryCodes[3] ?? '')).response.statusCode,
    ).toBe(401);
  });

  test('guessing codes is throttled per account: after the budget even the right code waits', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const { secret } = await enableTotp(testApp.app, user);
    const { answer } = await passwordStep(user);
    const right = codeFor(secret, 1);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < SECOND_FACTOR_FAILURES.max; attempt++) {
      expect((await secondStep(answer.pendingToken, wrong)).response.statusCode).toBe(401);
    }
    const blocked = await secondStep(answer.pendingToken, right);
    expect(blocked.response.statusCode).toBe(429);
    expect(Number(blocked.response.headers['retry-after'])).toBeGreaterThan(0);
  });

  test('concurrent guesses cannot all be judged past the budget', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await enableTotp(testApp.app, user);
    const { answer } = await passwordStep(user);
    const responses = await Promise.all(
      Array.from({ length: SECOND_FACTOR_FAILURES.max * 3 }, (_, index) =>
        secondStep(answer.pendingToken, String(100000 + index)),
      ),
    );
    const judged = responses.filter(({ response }) => response.statusCode === 401).length;
    expect(judged).toBeLessThanOrEqual(SECOND_FACTOR_FAILURES.max);
  });

  test('turning it off needs the password and a code', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const { secret } = await enableTotp(testApp.app, user);
    const disable = (payload: object) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/auth/2fa/disable',
        headers: user.headers,
        payload,
      });
    const code = codeFor(secret, 1);
    const noPassword = await disable({ password: 'not the password at all', code });
    expect(noPassword.statusCode).toBe(403);
    expect(noPassword.json<ErrorBody>().error.code).toBe('invalid_credentials');
    const noCode = await disable({
      password: user.password,
      code: '000000' === code ? '111111' : '000000',
    });
    expect(noCode.statusCode).toBe(403);
    expect(noCode.json<ErrorBody>().error.field).toBe('code');
    expect((await disable({ password: user.password })).statusCode).toBe(400);
    // An account with a password never goes without it, however recent the sign-in.
    const passwordless = await disable({ code });
    expect(passwordless.statusCode).toBe(400);
    expect(passwordless.json<ErrorBody>().error.field).toBe('password');
    const status = await testApp.app.inject({
      method: 'GET',
      url: '/api/auth/2fa',
      headers: user.headers,
    });
    expect(status.json()).toMatchObject({ enabled: true });

    expect((await disable({ password: user.password, code })).statusCode).toBe(200);
    expect(await eventsOf(user, 'two_factor_disabled')).toHaveLength(1);
    const { response } = await postSignedOut(testApp.app, '/api/auth/login', {
      email: user.email,
      password: user.password,
    });
    expect(response.json()).toMatchObject({ status: 'signed_in' });
  });

  test('an account without a password turns it off with a recent sign-in and a code', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const { secret } = await enableTotp(testApp.app, user);
    const db = testApp.context.database.db;
    // As an account made by a provider's first sign-in is stored.
    await sql`update users set password_hash = ${NO_PASSWORD_HASH} where id = ${user.userId}`.execute(
      db,
    );
    const disable = (payload: object) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/auth/2fa/disable',
        headers: user.headers,
        payload,
      });
    await sql`update sessions set created_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)}
        where user_id = ${user.userId}`.execute(db);
    const stale = await disable({ code: codeFor(secret, 1) });
    expect(stale.statusCode).toBe(403);
    expect(stale.json<ErrorBody>().error.code).toBe('reauth_required');
    await sql`update sessions set created_at = now() where user_id = ${user.userId}`.execute(db);
    const wrongCode = await disable({
      code: codeFor(secret, 1) === '000000' ? '111111' : '000000',
    });
    expect(wrongCode.statusCode).toBe(403);
    expect((await disable({ code: codeFor(secret, 1) })).statusCode).toBe(200);
    expect(await eventsOf(user, 'two_factor_disabled')).toHaveLength(1);
  });

  test('2FA changes need a recent sign-in; /reauth by password or code renews it', async () => {
    const user = await signUpAndSignIn(testApp.app);
    const { secret } = await enableTotp(testApp.app, user);
    await sql`update sessions set created_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)}
        where user_id = ${user.userId}`.execute(testApp.context.database.db);
    const regenerate = () =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/auth/2fa/recovery-codes',
        headers: user.headers,
        payload: {},
      });
    const refused = await regenerate();
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.code).toBe('reauth_required');
    const before = await testApp.context.database.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', user.userId)
      .execute();

    const reauth = (payload: object) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/auth/reauth',
        headers: user.headers,
        payload,
      });
    expect((await reauth({ method: 'code', code: '12345x' })).statusCode).toBe(403);
    expect((await regenerate()).statusCode).toBe(403);
    expect((await reauth({ method: 'code', code: codeFor(secret, 1) })).statusCode).toBe(200);
    const renewed = await regenerate();
    expect(renewed.statusCode).toBe(200);
    const after = await testApp.context.database.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', user.userId)
      .execute();
    expect(after.map((row) => row.code_hash)).not.toEqual(before.map((row) => row.code_hash));
    const reauths = await eventsOf(user, 'reauthenticated');
    expect(reauths.map((event) => event.details)).toEqual([{ via: 'totp' }]);
    expect(await eventsOf(user, 'recovery_codes_regenerated')).toHaveLength(1);

    await sql`update sessions set reauthenticated_at = ${new Date(Date.now() - (RECENT_AUTH_SECONDS + 60) * 1000)}
        where user_id = ${user.userId}`.execute(testApp.context.database.db);
    expect((await regenerate()).statusCode).toBe(403);
    expect(
      (await reauth({ method: 'password', password: 'a wrong password here' })).statusCode,
    ).toBe(403);
    expect((await reauth({ method: 'password', password: user.password })).statusCode).toBe(200);
    expect((await regenerate()).statusCode).toBe(200);
  });

  test('a second enrolment while it is on is refused', async () => {
    const user = await signUpAndSignIn(testApp.app);
    await enableTotp(testApp.app, user);
    const again = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/2fa/totp/enrol',
      headers: user.headers,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
  });
});
