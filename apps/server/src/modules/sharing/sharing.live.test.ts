import type { DomainEvent, ShareDto } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { openEventSocket, type TestSocket } from '../events/events.test-utils.js';
import type { NodeDto } from '../nodes/nodes.models.js';

const PUBLIC_URL = 'http://localhost:3998';

let testApp: TestApp;
let url: string;
let owner: FixtureUser;
let sharee: FixtureUser;
let tree: Record<string, NodeDto>;

beforeAll(async () => {
  testApp = await createTestApp({ env: { PUBLIC_URL } });
  const fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  sharee = await fixtures.newUser();
  tree = await fixtures.newTree(owner, { Shared: { Inner: {} }, Private: {} });
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  url = `ws://127.0.0.1:${address.port}/api/events`;
});
afterAll(() => testApp.close());

const folder = (name: string) => {
  const found = tree[name];
  if (!found) throw new Error(`no ${name}`);
  return found;
};

const createdNamed = (name: string) => (message: { type: string; event?: DomainEvent }) =>
  message.type === 'event' &&
  message.event?.type === 'folder.created' &&
  message.event.folder.name === name;

const mkdir = (name: string, parentId: string) =>
  testApp.app.inject({
    method: 'POST',
    url: '/api/folders',
    headers: owner.headers,
    payload: { name, parentId },
  });

const socketOf = async (user: FixtureUser): Promise<TestSocket> => {
  const socket = await openEventSocket(url, { cookie: user.cookieHeader, origin: PUBLIC_URL });
  await socket.waitFor((message) => message.type === 'ready');
  return socket;
};

describe("a sharee's live events", () => {
  test('arrive for the shared subtree only, and stop the moment the share is revoked', async () => {
    const share = (
      await testApp.app.inject({
        method: 'POST',
        url: `/api/nodes/${folder('Shared').id}/shares`,
        headers: owner.headers,
        payload: { email: sharee.email, role: 'viewer' },
      })
    ).json<ShareDto>();
    const socket = await socketOf(sharee);
    try {
      expect((await mkdir('deep inside', folder('Shared/Inner').id)).statusCode).toBe(201);
      const seen = await socket.waitFor(createdNamed('deep inside'));
      expect(seen).toMatchObject({ event: { userId: sharee.userId } });

      // Outside the share: nothing. A later event inside proves the socket is still live.
      await mkdir('not for you', folder('Private').id);
      await mkdir('marker 1', folder('Shared').id);
      await socket.waitFor(createdNamed('marker 1'));
      expect(socket.messages.some(createdNamed('not for you'))).toBe(false);

      // Moved out of the share: the sharee still hears that it left (found from where it was).
      const leaving = (await mkdir('leaving', folder('Shared').id)).json<NodeDto>();
      const moved = await testApp.app.inject({
        method: 'PATCH',
        url: `/api/folders/${leaving.id}`,
        headers: owner.headers,
        payload: { parentId: folder('Private').id },
      });
      expect(moved.statusCode).toBe(200);
      await socket.waitFor(
        (message) =>
          message.type === 'event' &&
          message.event.type === 'folder.moved' &&
          message.event.folder.name === 'leaving',
      );

      const revoked = await testApp.app.inject({
        method: 'DELETE',
        url: `/api/shares/${share.id}`,
        headers: owner.headers,
      });
      expect(revoked.statusCode).toBe(204);
      await socket.waitFor(
        (message) =>
          message.type === 'event' &&
          message.event.type === 'share.changed' &&
          message.event.change === 'revoked',
      );
      await mkdir('after revocation', folder('Shared').id);
      // The owner's own socket sees it; by then the sharee's would have too.
      const ownerSocket = await socketOf(owner);
      try {
        await mkdir('marker 2', folder('Shared').id);
        await ownerSocket.waitFor(createdNamed('marker 2'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(socket.messages.some(createdNamed('after revocation'))).toBe(false);
        expect(socket.messages.some(createdNamed('marker 2'))).toBe(false);
      } finally {
        ownerSocket.socket.close();
      }
    } finally {
      socket.socket.close();
    }
  });
});
