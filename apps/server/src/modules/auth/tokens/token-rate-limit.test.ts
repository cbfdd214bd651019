import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../../test-support/test-app.js';
import { LIMIT, newToken, usage } from './token-rate-limit.test-utils.js';

/** WebDAV calls a minute, in this file. */
const DAV_LIMIT = 4;

describe('personal tokens are rate limited per token', () => {
  let testApp: TestApp;
  let user: FixtureUser;
  beforeAll(async () => {
    testApp = await createTestApp({
      env: {
        TOKEN_RATE_LIMIT_PER_MINUTE: String(LIMIT),
        DAV_RATE_LIMIT_PER_MINUTE: String(DAV_LIMIT),
      },
    });
    user = await fixturesOf(testApp.context).newUser();
  });
  afterAll(async () => testApp.close());

  test('each answer says where the token stands; past the limit it is 429 with Retry-After', async () => {
    const token = await newToken(testApp.context, user);
    const headers = { authorization: `Bearer ${token}` };
    for (let call = 1; call <= LIMIT; call += 1) {
      const response = await usage(testApp, headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBe(String(LIMIT));
      expect(response.headers['ratelimit-remaining']).toBe(String(LIMIT - call));
      expect(response.headers['ratelimit-policy']).toBe(`${LIMIT};w=60`);
      expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(response.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const refused = await usage(testApp, headers);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['ratelimit-limit']).toBe(String(LIMIT));
  });

  test('another token of the same user has its own budget; a browser session has none', async () => {
    const spent = await newToken(testApp.context, user);
    for (let call = 0; call <= LIMIT; call += 1) {
      await usage(testApp, { authorization: `Bearer ${spent}` });
    }
    const fresh = await usage(testApp, {
      authorization: `Bearer ${await newToken(testApp.context, user)}`,
    });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers['ratelimit-remaining']).toBe(String(LIMIT - 1));
    const browser = await usage(testApp, user.headers);
    expect(browser.statusCode).toBe(200);
    expect(browser.headers['ratelimit-limit']).toBeUndefined();
  });

  test('WebDAV has a budget of its own: a runaway client is held to it, the API budget is untouched', async () => {
    const token = await newToken(testApp.context, user);
    const basic = `Basic ${Buffer.from(`${user.email}:${token}`).toString('base64')}`;
    const propfind = (authorization: string) =>
      testApp.app.inject({
        method: 'PROPFIND',
        url: '/dav/',
        headers: { authorization, depth: '0' },
      });
    // A client in a loop: far more calls at once than a second's budget.
    const burst = await Promise.all(
      Array.from({ length: DAV_LIMIT * 4 }, (_, call) =>
        propfind(call % 2 ? basic : `Bearer ${token}`),
      ),
    );
    const statuses = burst.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 207)).toHaveLength(DAV_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(DAV_LIMIT * 3);
    const refused = burst.find((response) => response.statusCode === 429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused?.headers['ratelimit-policy']).toBe(`${DAV_LIMIT};w=60`);
    expect(refused?.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // The same token's API budget (a minute's) is whole: WebDAV spent none of it.
    const api = await usage(testApp, { authorization: `Bearer ${token}` });
    expect(api.statusCode).toBe(200);
    expect(api.headers['ratelimit-remaining']).toBe(String(LIMIT - 1));
  });
});
