import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PER_ACCOUNT, PER_IP } from '../auth/limits/auth.limits.js';
import {
  createDavUser,
  startDavServer,
  type DavServer,
  type DavUser,
} from './webdav.test-utils.js';

/**
 * Credentials at /dav/ behind an https proxy: refused in clear, and wrong ones limited per
 * client address and per account, with the sign-in limits.
 */
let server: DavServer;
let alice: DavUser;
beforeAll(async () => {
  server = await startDavServer({
    env: { PUBLIC_URL: 'https://files.example.test', TRUST_PROXY: '1' },
  });
  alice = await createDavUser(server);
});
afterAll(() => server.close());

const basic = (email: string, secret: string) =>
  `Basic ${Buffer.from(`${email}:${secret}`).toString('base64')}`;

const propfind = (headers: Record<string, string>) =>
  fetch(`${server.origin}/dav/`, { method: 'PROPFIND', headers: { depth: '0', ...headers } });

const viaProxy = (ip: string, authorization: string) =>
  propfind({ authorization, 'x-forwarded-for': ip, 'x-forwarded-proto': 'https' });

describe('https only when PUBLIC_URL is https', () => {
  test('credentials over plain http are refused (403), over https accepted', async () => {
    const plain = await propfind({
      authorization: alice.authorization,
      'x-forwarded-for': '10.0.0.1',
    });
    expect(plain.status).toBe(403);
    expect((await viaProxy('10.0.0.1', alice.authorization)).status).toBe(207);
  });

  test('without credentials the answer is still the Basic challenge', async () => {
    const response = await propfind({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
  });
});

describe('wrong credentials are rate limited', () => {
  test('per client address: after the sign-in limit, even the right token waits (429, Retry-After)', async () => {
    const ip = '10.0.1.1';
    for (let i = 0; i < PER_IP.login.max; i++) {
      const response = await viaProxy(ip, basic(`nobody-${i}@example.test`, `mfp_wrong${i}`));
      expect(response.status).toBe(401);
    }
    const limited = await viaProxy(ip, alice.authorization);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await viaProxy('10.0.1.2', alice.authorization)).status).toBe(207);
  });

  test('per account: failures spread over many addresses still meet one limit', async () => {
    const bob = await createDavUser(server);
    for (let i = 0; i < PER_ACCOUNT.failedLogins.max; i++) {
      const response = await viaProxy(
        `10.1.${Math.floor(i / 200)}.${i % 200}`,
        basic(bob.email, `mfp_wrong${i}`),
      );
      expect(response.status).toBe(401);
    }
    const limited = await viaProxy('10.2.0.1', bob.authorization);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
  });
});
