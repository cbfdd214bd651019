import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterEach, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { createLogger } from './logger.js';
import { loggedUrl, requestLog } from './request-log.js';

type Line = {
  msg: string;
  reqId?: string;
  req?: { method: string; url: string; remoteAddress?: string };
  res?: { statusCode: number };
  responseTime?: number;
  /** On a response stream's error. */
  method?: string;
  url?: string;
  err?: { message: string };
};

/** A logger writing into memory; `lines()` are its entries about requests (with an id). */
const logCapture = (level: string) => {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const text = () => Buffer.concat(chunks).toString('utf8');
  const lines = () =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line)
      .filter((line) => line.reqId !== undefined);
  return { logger: createLogger({ level, interactive: false, destination: stream }), text, lines };
};

/**
 * A bare Fastify app with this request log, listening on a real socket (a client can hang up
 * on it), given its routes; `use` gets its port. The log once the app has closed.
 */
const logOfBareApp = async (
  routes: (app: FastifyInstance) => void,
  use: (port: number) => Promise<void>,
) => {
  const log = logCapture('info');
  const logger: FastifyBaseLogger = log.logger;
  const app = Fastify({ loggerInstance: logger, logController: requestLog(logger) });
  routes(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    await use((app.server.address() as AddressInfo).port);
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await app.close();
  }
  return log;
};

let running: TestApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** The app logging at `level` into memory; `linesOf` are the entries about one request id. */
const appLoggingAt = async (level: string) => {
  const log = logCapture(level);
  running = await createTestApp({ logger: log.logger });
  const linesOf = async (reqId: string) => {
    await new Promise((resolve) => setImmediate(resolve));
    return log.lines().filter((line) => line.reqId === reqId);
  };
  return { app: running.app, linesOf, text: log.text };
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

test('an answer that breaks off is logged with its request and the cause, and as aborted', async () => {
  const log = await logOfBareApp(
    (app) =>
      app.get('/s/:token/broken', (_request, reply) => {
        let sent = false;
        const body = new Readable({
          read() {
            if (sent) {
              this.destroy(new Error('the store went away'));
              return;
            }
            sent = true;
            this.push('first bytes');
          },
        });
        return reply.type('application/octet-stream').send(body);
      }),
    async (port) => {
      await fetch(`http://127.0.0.1:${port}/s/the-link-token/broken`)
        .then((response) => response.arrayBuffer())
        .catch(() => undefined);
    },
  );
  const lines = log.lines();
  expect(lines.map((line) => line.msg)).toEqual([
    'response terminated with an error with headers already sent',
    'request aborted',
  ]);
  expect(lines[0]).toMatchObject({
    method: 'GET',
    url: '/s/[redacted]/broken',
    err: { message: 'the store went away' },
  });
  expect(lines[1]).toMatchObject({
    req: { url: '/s/[redacted]/broken' },
    res: { statusCode: 200 },
  });
  expect(log.text()).not.toContain('the-link-token');
});

test('a client that goes away before its answer is done leaves a line saying so', async () => {
  const log = await logOfBareApp(
    // An answer that never ends on its own, like a slow download: a byte every 5 ms.
    (app) =>
      app.get('/api/files/slow/content', (_request, reply) =>
        reply.type('application/octet-stream').send(
          new Readable({
            read() {
              setTimeout(() => this.push('x'), 5);
            },
          }),
        ),
      ),
    async (port) => {
      // The client reads the status and the first bytes, then hangs up.
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const request = http.get(`http://127.0.0.1:${port}/api/files/slow/content`, (response) => {
          response.once('data', () => {
            request.destroy();
            resolve(response.statusCode);
          });
        });
        request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
      });
      expect(status).toBe(200);
    },
  );
  const messages = log.lines().map((line) => line.msg);
  expect(messages).toContain('request aborted');
  expect(messages).not.toContain('request completed');
  expect(log.lines().find((line) => line.msg === 'request aborted')).toMatchObject({
    req: { method: 'GET', url: '/api/files/slow/content' },
    res: { statusCode: 200 },
  });
});

test('an answer whose connection fails has one line, the error with its request', async () => {
  const log = await logOfBareApp(
    (app) =>
      app.get('/api/s/:token/files/f1/content', (_request, reply) => {
        reply.raw.write('first bytes');
        // What Node does when writing to the socket fails: the response reports it, then closes.
        reply.raw.emit('error', new Error('the socket failed'));
        reply.raw.destroy();
        return reply;
      }),
    async (port) => {
      await fetch(`http://127.0.0.1:${port}/api/s/the-link-token/files/f1/content`)
        .then((response) => response.text())
        .catch(() => undefined);
    },
  );
  const lines = log.lines();
  expect(lines.map((line) => line.msg)).toEqual(['request errored']);
  expect(lines[0]).toMatchObject({
    method: 'GET',
    url: '/api/s/[redacted]/files/f1/content',
    err: { message: 'the socket failed' },
  });
  expect(log.text()).not.toContain('the-link-token');
});
