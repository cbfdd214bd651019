import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PER_IP } from '../modules/auth/limits/auth.limits.js';
import { cookieHeaderOf, getPreSessionCsrf } from '../modules/auth/auth.test-utils.js';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

/**
 * What reaches a task on AWS: CloudFront appends the viewer's address to whatever
 * X-Forwarded-For the viewer sent, the ALB appends CloudFront's, and the socket's peer is the
 * ALB. Everything left of the viewer's entry was written by the client.
 */
const ALB = '10.0.1.25';
const CLOUDFRONT_EDGE = '130.176.9.12';
const viaCloudFront = (viewer: string, forged?: string) => ({
  remoteAddress: ALB,
  headers: {
    'x-forwarded-for': [forged, viewer, CLOUDFRONT_EDGE].filter(Boolean).join(', '),
  },
});

const addressRoute = (testApp: TestApp) => {
  testApp.app.get('/api/test/client-address', async (request) => ({ ip: request.ip }));
};

const clientAddress = async (testApp: TestApp, request: ReturnType<typeof viaCloudFront>) => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: '/api/test/client-address',
    ...request,
  });
  return response.json<{ ip: string }>().ip;
};

describe('the client address behind CloudFront → ALB (TRUST_PROXY=2)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ env: { TRUST_PROXY: '2' } });
    addressRoute(testApp);
  });
  afterAll(() => testApp.close());

  test('is the address CloudFront saw, not one the client wrote', async () => {
    expect(await clientAddress(testApp, viaCloudFront('198.51.100.20'))).toBe('198.51.100.20');
    expect(await clientAddress(testApp, viaCloudFront('198.51.100.20', '203.0.113.1'))).toBe(
      '198.51.100.20',
    );
    expect(
      await clientAddress(testApp, viaCloudFront('198.51.100.20', '127.0.0.1, 10.0.0.1')),
    ).toBe('198.51.100.20');
  });

  test('rotating forged X-Forwarded-For entries does not escape the per-IP sign-in limit', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < PER_IP.login.max + 5; index++) {
      const pre = await getPreSessionCsrf(testApp.app);
      const request = viaCloudFront('198.51.100.30', `203.0.113.${index + 1}`);
      const response = await testApp.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: request.remoteAddress,
        headers: {
          ...request.headers,
          cookie: cookieHeaderOf(pre.jar),
          'x-csrf-token': pre.csrfToken,
        },
        payload: { email: `nobody${index}@example.com`, password: 'whatever 12345' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, PER_IP.login.max).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(PER_IP.login.max)).toEqual([429, 429, 429, 429, 429]);
  });
});

describe('the client address with the proxies named by range', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp({ env: { TRUST_PROXY: '10.0.0.0/16, 130.176.0.0/16' } });
    addressRoute(testApp);
  });
  afterAll(() => testApp.close());

  test('is the first hop from the right outside those ranges', async () => {
    expect(await clientAddress(testApp, viaCloudFront('198.51.100.20', '203.0.113.1'))).toBe(
      '198.51.100.20',
    );
  });

  test('a peer outside the ranges is the client, whatever it forwards', async () => {
    expect(
      await clientAddress(testApp, {
        remoteAddress: '192.0.2.44',
        headers: { 'x-forwarded-for': '203.0.113.1' },
      }),
    ).toBe('192.0.2.44');
  });
});

describe('the client address with TRUST_PROXY unset', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await createTestApp();
    addressRoute(testApp);
  });
  afterAll(() => testApp.close());

  test('is the socket peer; X-Forwarded-For is ignored', async () => {
    expect(await clientAddress(testApp, viaCloudFront('198.51.100.20', '203.0.113.1'))).toBe(ALB);
  });
});
