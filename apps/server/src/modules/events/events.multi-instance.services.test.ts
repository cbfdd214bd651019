import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestApp } from '../../test-support/test-app.js';
import { createTwoTestApps, type TwoTestApps } from '../../test-support/two-apps.js';
import { signUpAndSignIn } from '../auth/auth.test-utils.js';
import { SESSION_ENDED_CLOSE_CODE } from './events.stream.js';
import { openEventSocket } from './events.test-utils.js';

const PUBLIC_URL = 'http://localhost:3999';

let apps: TwoTestApps;
let first: TestApp;
let secondUrl: string;

beforeAll(async () => {
  apps = await createTwoTestApps({ env: { PUBLIC_URL } });
  first = apps.first;
  const { second } = apps;
  await second.app.listen({ port: 0, host: '127.0.0.1' });
  const address = second.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  secondUrl = `ws://127.0.0.1:${address.port}/api/events`;
});
afterAll(async () => {
  await apps.close();
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
