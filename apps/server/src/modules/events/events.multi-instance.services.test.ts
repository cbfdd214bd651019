import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestApp } from '../../test-support/test-app.js';
import { createTwoTestApps, type TwoTestApps } from '../../test-support/two-apps.js';
import {
  cookieHeaderOf,
  createPersonalToken,
  getPreSessionCsrf,
  randomTestIp,
  signUpAndSignIn,
  type SignedInUser,
} from '../auth/auth.test-utils.js';
import { signLink } from '../auth/links/signed-links.models.js';
import { sha256Hex } from '../auth/secrets.models.js';
import { SESSION_ENDED_CLOSE_CODE } from './events.stream.js';
import { openEventSocket, type TestSocket } from './events.test-utils.js';

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

/**
 * A script's socket (Bearer token, or the same secret WebDAV takes as an app password) held by
 * the second process, its token revoked through the first: it must close there too.
 */
describe('revoking a token through one process closes its sockets on the other', () => {
  /** The close code, or 'still open' after a few seconds (a live socket would wait forever). */
  const closeCodeOf = (socket: TestSocket) =>
    Promise.race([
      socket.closed.then(({ code }) => code),
      sleep(5000, undefined, { ref: false }).then(() => 'still open' as const),
    ]);
  const openTokenSocket = async (user: SignedInUser) => {
    const token = await createPersonalToken(first.app, user, ['read']);
    const socket = await openEventSocket(secondUrl, { authorization: `Bearer ${token}` });
    await socket.waitFor((message) => message.type === 'ready');
    return { token, socket };
  };

  test('one token revoked', async () => {
    const user = await signUpAndSignIn(first.app);
    const { token, socket } = await openTokenSocket(user);
    const { id } = await first.context.database.db
      .selectFrom('personal_tokens')
      .select('id')
      .where('token_hash', '=', sha256Hex(token))
      .executeTakeFirstOrThrow();
    const revoked = await first.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${id}`,
      headers: user.headers,
    });
    expect(revoked.statusCode).toBe(204);
    expect(await closeCodeOf(socket)).toBe(SESSION_ENDED_CLOSE_CODE);
  });

  test('sign out everywhere with tokens', async () => {
    const user = await signUpAndSignIn(first.app);
    const { socket } = await openTokenSocket(user);
    const out = await first.app.inject({
      method: 'DELETE',
      url: '/api/auth/sessions?tokens=true',
      headers: user.headers,
    });
    expect(out.json()).toMatchObject({ revokedTokens: 1 });
    expect(await closeCodeOf(socket)).toBe(SESSION_ENDED_CLOSE_CODE);
  });

  test('a password change', async () => {
    const user = await signUpAndSignIn(first.app);
    const { socket } = await openTokenSocket(user);
    const changed = await first.app.inject({
      method: 'POST',
      url: '/api/auth/password/change',
      headers: user.headers,
      payload: { currentPassword: user.password, newPassword: 'a brand new long password 7' },
    });
    expect(changed.statusCode).toBeLessThan(300);
    expect(await closeCodeOf(socket)).toBe(SESSION_ENDED_CLOSE_CODE);
  });

  test('a password reset', async () => {
    const user = await signUpAndSignIn(first.app);
    const { socket } = await openTokenSocket(user);
    const { password_changed_at } = await first.context.database.db
      .selectFrom('users')
      .select('password_changed_at')
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    const link = signLink(first.context.keyRing, {
      p: 'password-reset',
      sub: user.userId,
      jti: `socket-reset-${user.userId}`,
      exp: Math.floor(Date.now() / 1000) + 600,
      pwd: password_changed_at.getTime(),
    });
    const pre = await getPreSessionCsrf(first.app);
    const reset = await first.app.inject({
      method: 'POST',
      url: '/api/auth/password/reset',
      remoteAddress: randomTestIp(),
      headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
      payload: { token: link, newPassword: 'a brand new long password 8' },
    });
    expect(reset.statusCode).toBe(200);
    expect(await closeCodeOf(socket)).toBe(SESSION_ENDED_CLOSE_CODE);
  });
});
