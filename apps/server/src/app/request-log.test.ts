import { PassThrough } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { createLogger } from './logger.js';

type Line = {
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
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
  expect(lines[0]?.req).toMatchObject({ method: 'GET', url: '/healthz' });
});
