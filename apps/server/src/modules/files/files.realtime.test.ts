import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { openEventSocket } from '../events/events.test-utils.js';
import { signUp, uploadOne, type TestUser } from '../nodes/nodes.test-utils.js';

const PUBLIC_URL = 'http://files.example.test';

let testApp: TestApp;
let owner: TestUser;
let other: TestUser;
let url: string;
beforeAll(async () => {
  testApp = await createTestApp({ env: { PUBLIC_URL } });
  owner = await signUp(testApp.app);
  other = await signUp(testApp.app);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  url = `ws://127.0.0.1:${address.port}/api/events`;
});
afterAll(() => testApp.close());

describe('file events reach the owner over /api/events', () => {
  test("an upload is pushed to the owner's sockets only", async () => {
    const mine = await openEventSocket(url, { cookie: owner.cookieHeader, origin: PUBLIC_URL });
    const theirs = await openEventSocket(url, { cookie: other.cookieHeader, origin: PUBLIC_URL });
    try {
      const file = await uploadOne(testApp.app, owner, { name: 'live.txt', content: 'live' });
      const message = await mine.waitFor(
        (m) => m.type === 'event' && m.event.type === 'file.created',
      );
      expect(message).toMatchObject({
        event: {
          type: 'file.created',
          userId: owner.userId,
          file: { id: file.id, name: 'live.txt' },
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(theirs.messages.filter((m) => m.type === 'event')).toEqual([]);
    } finally {
      mine.socket.close();
      theirs.socket.close();
    }
  });
});
