import type { ErrorBody } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { usesRealServices } from '../../../test-support/test-services.js';
import { PER_ACCOUNT, PER_IP } from './auth.limits.js';
import { cookieHeaderOf, getPreSessionCsrf, signUpAndSignIn } from '../auth.test-utils.js';

describe('rate limits', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(() => testApp.close());

  test('on real services the counters live in Redis', async () => {
    if (usesRealServices()) {
      expect(testApp.context.redis).not.toBeNull();
      expect(await testApp.context.redis?.ping()).toBe('PONG');
    } else {
      expect(testApp.context.redis).toBeNull();
    }
  });

  const post = async (url: string, payload: object, remoteAddress: string) => {
    const pre = await getPreSessionCsrf(testApp.app);
    return testApp.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
      payload,
    });
  };

  test('login per IP: past the limit 429 rate_limited with Retry-After; other IPs unaffected', async () => {
    const user = await signUpAndSignIn(testApp.app);
    for (let index = 0; index < PER_IP.login.max; index++) {
      const response = await post(
        '/api/auth/login',
        { email: `x${index}@example.com`, password: 'whatever 12345' },
        '192.0.2.200',
      );
      expect(response.statusCode).toBe(401);
    }
    const limited = await post(
      '/api/auth/login',
      { email: user.email, password: user.password },
      '192.0.2.200',
    );
    expect(limited.statusCode).toBe(429);
    expect(limited.json<ErrorBody>().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(
      (await post('/api/auth/login', { email: user.email, password: user.password }, '192.0.2.201'))
        .statusCode,
    ).toBe(200);
  });

  test('forgot-password per IP is limited too', async () => {
    const statuses: number[] = [];
    for (let index = 0; index <= PER_IP.forgot.max; index++) {
      statuses.push(
        (await post('/api/auth/password/forgot', { email: `f${index}@example.com` }, '192.0.2.210'))
          .statusCode,
      );
    }
    expect(statuses.slice(0, -1).every((status) => status === 202)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  test('register per address: repeated sign-ups for one address are limited across IPs', async () => {
    const statuses: number[] = [];
    for (let index = 0; index <= PER_ACCOUNT.register.max; index++) {
      statuses.push(
        (
          await post(
            '/api/auth/register',
            { email: 'spam-target@example.com', password: 'spam target password' },
            `192.0.2.${100 + index}`,
          )
        ).statusCode,
      );
    }
    expect(statuses[0]).toBe(201);
    expect(statuses.at(-1)).toBe(429);
  });

  test('verify-email and reset answer 429 per IP past their limits', async () => {
    let last = 0;
    for (let index = 0; index <= PER_IP.verify.max; index++) {
      last = (
        await post('/api/auth/verify-email', { token: 'aaaaaaaaaaaa.bbbb.cccc' }, '192.0.2.220')
      ).statusCode;
    }
    expect(last).toBe(429);
    for (let index = 0; index <= PER_IP.reset.max; index++) {
      last = (
        await post(
          '/api/auth/password/reset',
          { token: 'aaaaaaaaaaaa.bbbb.cccc', newPassword: 'some new password' },
          '192.0.2.221',
        )
      ).statusCode;
    }
    expect(last).toBe(429);
  });

  test('refresh per IP is limited', async () => {
    const user = await signUpAndSignIn(testApp.app);
    let last = 0;
    for (let index = 0; index <= PER_IP.refresh.max; index++) {
      last = (
        await testApp.app.inject({
          method: 'POST',
          url: '/api/auth/refresh',
          remoteAddress: '192.0.2.230',
          headers: user.headers,
        })
      ).statusCode;
      if (last === 429) break;
    }
    expect(last).toBe(429);
  });
});
