import { PassThrough } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { createLogger } from './logger.js';
import { loggedUrl } from './request-log.js';

type Line = {
  msg: string;
  reqId?: string;
  req?: { method: string; url: string; remoteAddress?: string };
  res?: { statusCode: number };
  responseTime?: number;
};

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** The app logging at `level` into memory; `lines()` are the entries about one request id. */
const appLoggingAt = async (level: string) => {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  running = await createTestApp({
    logger: createLogger({ level, interactive: false, destination: stream }),
  });
  const text = () => Buffer.concat(chunks).toString('utf8');
  const linesOf = async (reqId: string) => {
    await new Promise((resolve) => setImmediate(resolve));
    return text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line)
      .filter((line) => line.reqId === reqId);
  };
  return { app: running.app, linesOf, text };
};

test('at info a request is one line, written once it is answered, with the request and the answer', async () => {
  const { app, linesOf, text } = await appLoggingAt('info');
  const response = await app.inject({
    method: 'GET',
    url: '/api/auth/me',
    headers: { authorization: 'Bearer mf_pat_notarealtokenbutlongenough', cookie: 'a=secret-c' },
  });
  expect(response.statusCode).toBe(401);
  const lines = await linesOf(String(response.headers['x-request-id']));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    msg: 'request completed',
    req: { method: 'GET', url: '/api/auth/me' },
    res: { statusCode: 401 },
  });
  expect(lines[0]?.responseTime).toEqual(expect.any(Number));
  // Made of chosen fields: no header reaches it, so neither does a credential.
  expect(text()).not.toContain('notarealtoken');
  expect(text()).not.toContain('secret-c');
});

test('above info no request is logged, also once the level is raised while running', async () => {
  const { app, linesOf } = await appLoggingAt('info');
  app.log.level = 'warn';
  const response = await app.inject({ method: 'GET', url: '/healthz' });
  expect(response.statusCode).toBe(200);
  expect(await linesOf(String(response.headers['x-request-id']))).toEqual([]);
});

test('at debug the arrival of a request is logged too, before its answer', async () => {
  const { app, linesOf } = await appLoggingAt('debug');
  const response = await app.inject({ method: 'GET', url: '/healthz' });
  const lines = await linesOf(String(response.headers['x-request-id']));
  expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
  expect(lines[0]?.req).toMatchObject({
    method: 'GET',
    url: '/healthz',
    remoteAddress: '127.0.0.1',
  });
});

test("a share link's token never reaches the log, in either line", async () => {
  const { app, linesOf, text } = await appLoggingAt('debug');
  const token = 'Zx9-linktoken-that-opens-the-share';
  const response = await app.inject({
    method: 'GET',
    url: `/api/s/${token}/folders/root/children?limit=5`,
  });
  const lines = await linesOf(String(response.headers['x-request-id']));
  expect(lines.map((line) => line.req?.url)).toEqual([
    '/api/s/[redacted]/folders/root/children?limit=5',
    '/api/s/[redacted]/folders/root/children?limit=5',
  ]);
  expect(text()).not.toContain(token);
});

test.each([
  ['/s/abc123', '/s/[redacted]'],
  ['/api/s/abc123', '/api/s/[redacted]'],
  ['/api/s/abc123/files/f1/content?download=1', '/api/s/[redacted]/files/f1/content?download=1'],
  [
    '/api/auth/oidc/corp/callback?code=c0de&state=st4te&iss=https%3A%2F%2Fidp',
    '/api/auth/oidc/corp/callback?code=[redacted]&state=[redacted]&iss=https%3A%2F%2Fidp',
  ],
  ['/api/folders/f1/children?limit=50&cursor=x', '/api/folders/f1/children?limit=50&cursor=x'],
  ['/api/search?q=token', '/api/search?q=token'],
  ['/assets/s/logo.svg', '/assets/s/logo.svg'],
])('the URL %s is logged as %s', (url, logged) => {
  expect(loggedUrl(url)).toBe(logged);
});
