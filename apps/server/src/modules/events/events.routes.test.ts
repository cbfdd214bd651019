import type { DomainEvent } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import {
  createPersonalToken,
  signIn,
  signUpAndSignIn,
  type SignedInUser,
} from '../auth/auth.test-utils.js';
import { sha256Hex } from '../auth/secrets.models.js';
import { openEventSocket } from './events.test-utils.js';
import { SESSION_ENDED_CLOSE_CODE } from './events.stream.js';

const PUBLIC_URL = 'http://localhost:3999';

const jobEvent = (userId: string, jobId: string): DomainEvent => ({
  type: 'job.updated',
  userId,
  at: new Date().toISOString(),
  job: {
    id: jobId,
    name: 'archive',
    status: 'running',
    progress: { done: 1, total: 2 },
    error: null,
  },
});

describe('GET /api/events (WebSocket)', () => {
  let testApp: TestApp;
  let url: string;
  let alice: SignedInUser;
  let bob: SignedInUser;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { PUBLIC_URL } });
    alice = await signUpAndSignIn(testApp.app);
    bob = await signUpAndSignIn(testApp.app);
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = testApp.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    url = `ws://127.0.0.1:${address.port}/api/events`;
  });
  afterAll(() => testApp.close());

  const browser = (user: SignedInUser) => ({ cookie: user.cookieHeader, origin: PUBLIC_URL });
  const publish = (event: DomainEvent) => testApp.context.events.publish(event);
  const isEvent = (jobId: string) => (message: { type: string; event?: DomainEvent }) =>
    message.type === 'event' &&
    message.event?.type === 'job.updated' &&
    message.event.job.id === jobId;

  test('without a session the upgrade is refused with 401', async () => {
    await expect(openEventSocket(url, { origin: PUBLIC_URL })).rejects.toThrow('HTTP 401');
  });

  test('a cookie-authenticated socket from another origin is refused with 403', async () => {
    await expect(
      openEventSocket(url, { ...browser(alice), origin: 'https://evil.example' }),
    ).rejects.toThrow('HTTP 403');
    await expect(openEventSocket(url, { cookie: alice.cookieHeader })).rejects.toThrow('HTTP 403');
  });

  test('a loopback alias of a localhost PUBLIC_URL may open the stream', async () => {
    const socket = await openEventSocket(url, {
      ...browser(alice),
      origin: 'http://127.0.0.1:3999',
    });
    socket.socket.close();
  });

  test('a malformed since is 400', async () => {
    await expect(openEventSocket(`${url}?since=../../etc`, browser(alice))).rejects.toThrow(
      'HTTP 400',
    );
  });

  test('my events reach all my sockets, and nobody else’s', async () => {
    const first = await openEventSocket(url, browser(alice));
    const second = await openEventSocket(url, browser(alice));
    const other = await openEventSocket(url, browser(bob));
    await Promise.all(
      [first, second, other].map((socket) => socket.waitFor((m) => m.type === 'ready')),
    );

    publish(jobEvent(bob.userId, 'bobs-job'));
    publish(jobEvent(alice.userId, 'alices-job'));
    await first.waitFor(isEvent('alices-job'));
    await second.waitFor(isEvent('alices-job'));
    await other.waitFor(isEvent('bobs-job'));
    expect(first.messages.some(isEvent('bobs-job'))).toBe(false);
    expect(other.messages.some(isEvent('alices-job'))).toBe(false);
    [first, second, other].forEach((socket) => socket.socket.close());
  });

  test('a reconnecting client asks for what it missed and gets each event once, in order', async () => {
    const socket = await openEventSocket(url, browser(alice));
    publish(jobEvent(alice.userId, 'r1'));
    const seen = await socket.waitFor(isEvent('r1'));
    socket.socket.close();
    await socket.closed;

    publish(jobEvent(alice.userId, 'r2'));
    publish(jobEvent(alice.userId, 'r3'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const since = seen.type === 'event' ? seen.id : '';
    const again = await openEventSocket(`${url}?since=${since}`, browser(alice));
    await again.waitFor((m) => m.type === 'ready');
    const replayed = again.messages.flatMap((m) =>
      m.type === 'event' && m.event.type === 'job.updated' ? [m.event.job.id] : [],
    );
    expect(replayed).toEqual(['r2', 'r3']);
    expect(again.messages.at(-1)).toEqual({ type: 'ready' });
    again.socket.close();
  });

  test('a client whose last id is older than the replay window is told to reset', async () => {
    publish(jobEvent(alice.userId, 'x'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const socket = await openEventSocket(`${url}?since=1-0`, browser(alice));
    await socket.waitFor((m) => m.type === 'ready');
    expect(socket.messages[0]).toEqual({ type: 'reset' });
    socket.socket.close();
  });

  test('a script may connect with a Bearer token and no Origin', async () => {
    const token = await createPersonalToken(testApp.app, alice, ['read']);
    const socket = await openEventSocket(url, { authorization: `Bearer ${token}` });
    await socket.waitFor((m) => m.type === 'ready');
    publish(jobEvent(alice.userId, 'for-the-script'));
    await socket.waitFor(isEvent('for-the-script'));
    socket.socket.close();
  });

  test('revoking a personal token closes the sockets it opened at once', async () => {
    const token = await createPersonalToken(testApp.app, alice, ['read']);
    const other = await createPersonalToken(testApp.app, alice, ['read']);
    const doomed = await openEventSocket(url, { authorization: `Bearer ${token}` });
    const survivor = await openEventSocket(url, { authorization: `Bearer ${other}` });
    await Promise.all(
      [doomed, survivor].map((socket) => socket.waitFor((m) => m.type === 'ready')),
    );
    const { id: tokenId } = await testApp.context.database.db
      .selectFrom('personal_tokens')
      .select('id')
      .where('token_hash', '=', sha256Hex(token))
      .executeTakeFirstOrThrow();
    const revoked = await testApp.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${tokenId}`,
      headers: alice.headers,
    });
    expect(revoked.statusCode).toBe(204);
    expect((await doomed.closed).code).toBe(SESSION_ENDED_CLOSE_CODE);
    publish(jobEvent(alice.userId, 'other-token-still-here'));
    await survivor.waitFor(isEvent('other-token-still-here'));
    survivor.socket.close();
  });

  test('signing out closes that session’s sockets at once; other sessions stay open', async () => {
    const carol = await signUpAndSignIn(testApp.app);
    const carolElsewhere = await signIn(testApp.app, carol);
    const doomed = await openEventSocket(url, browser(carol));
    const survivor = await openEventSocket(url, browser(carolElsewhere));
    await Promise.all(
      [doomed, survivor].map((socket) => socket.waitFor((m) => m.type === 'ready')),
    );

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: carol.headers,
    });
    expect(response.statusCode).toBeLessThan(300);
    expect((await doomed.closed).code).toBe(SESSION_ENDED_CLOSE_CODE);

    publish(jobEvent(carol.userId, 'still-here'));
    await survivor.waitFor(isEvent('still-here'));
    survivor.socket.close();
  });
});
