import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/test-database.js';
import { signUpAndSignIn } from '../auth/auth.test-utils.js';
import { SESSION_ENDED_CLOSE_CODE } from './events.stream.js';
import { openEventSocket } from './events.test-utils.js';

const PUBLIC_URL = 'http://localhost:3999';

// Two API processes behind one load balancer: one database, one Redis, one key ring.
let database: TestDatabase;
let first: TestApp;
let second: TestApp;
let secondUrl: string;
const prefix = `myfile-test:ws-${randomBytes(4).toString('hex')}:`;

beforeAll(async () => {
  database = await createTestDatabase();
  const shared = { ...database, close: async () => {} };
  const env = { REDIS_KEY_PREFIX: prefix, PUBLIC_URL };
  first = await createTestApp({ database: shared, env });
  second = await createTestApp({ database: shared, env });
  await fs.cp(path.join(first.dataDir, 'keys'), path.join(second.dataDir, 'keys'), {
    recursive: true,
  });
  await second.context.keys.reload();
  await second.app.listen({ port: 0, host: '127.0.0.1' });
  const address = second.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  secondUrl = `ws://127.0.0.1:${address.port}/api/events`;
});
afterAll(async () => {
  const redis = first.context.redis;
  const keys = (await redis?.keys(`${prefix}*`)) ?? [];
  if (keys.length) await redis?.del(...keys);
  await first.close();
  await second.close();
  await database.close();
});

test('an event raised on one API process reaches a socket held by another', async () => {
  expect(first.context.pubsub.driverName).toBe('redis');
  const user = await signUpAndSignIn(first.app);
  const socket = await openEventSocket(secondUrl, {
    cookie: user.cookieHeader,
    origin: PUBLIC_URL,
  });
  await socket.waitFor((message) => message.type === 'ready');
  first.context.events.publish({
    type: 'job.updated',
    userId: user.userId,
    at: new Date().toISOString(),
    job: { id: 'cross', name: 'archive', status: 'done', progress: null, error: null },
  });
  await socket.waitFor(
    (message) => message.type === 'event' && message.event.type === 'job.updated',
  );
  socket.socket.close();
});

test('signing out through one process closes the socket held by the other', async () => {
  const user = await signUpAndSignIn(first.app);
  const socket = await openEventSocket(secondUrl, {
    cookie: user.cookieHeader,
    origin: PUBLIC_URL,
  });
  await socket.waitFor((message) => message.type === 'ready');
  await first.app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers });
  expect((await socket.closed).code).toBe(SESSION_ENDED_CLOSE_CODE);
});
