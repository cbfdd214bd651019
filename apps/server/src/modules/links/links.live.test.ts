import {
  LINK_ENDED_CLOSE_CODE,
  type CreatedLinkDto,
  type LinkEvent,
  type NodeDto,
} from '@myfile/contract';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

const PUBLIC_URL = 'http://localhost:3996';

let testApp: TestApp;
let base: string;
let owner: FixtureUser;
let tree: Record<string, NodeDto>;

type Message = { type: 'ready' } | { type: 'event'; event: LinkEvent };
type VisitorSocket = {
  messages: Message[];
  raw: string[];
  closed: Promise<number>;
  socket: WebSocket;
  waitFor(predicate: (message: Message) => boolean, timeoutMs?: number): Promise<Message>;
};

/** Opens a link's event socket; rejects with the refused handshake's status. */
const openLinkSocket = (
  token: string,
  headers: Record<string, string> = { origin: PUBLIC_URL },
): Promise<VisitorSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base}/api/s/${token}/events`, { headers });
    const messages: Message[] = [];
    const raw: string[] = [];
    const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
    socket.on('message', (data: Buffer) => {
      raw.push(data.toString());
      messages.push(JSON.parse(data.toString()) as Message);
    });
    socket.on('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    );
    socket.on('error', reject);
    socket.on('open', () =>
      resolve({
        messages,
        raw,
        closed,
        socket,
        waitFor: async (predicate, timeoutMs = 5000) => {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const found = messages.find(predicate);
            if (found) return found;
            if (Date.now() > deadline) {
              throw new Error(`No matching message: ${JSON.stringify(messages)}`);
            }
            await new Promise((wait) => setTimeout(wait, 20));
          }
        },
      }),
    );
  });

const ready = async (token: string) => {
  const socket = await openLinkSocket(token);
  await socket.waitFor((message) => message.type === 'ready');
  return socket;
};

const node = (name: string) => {
  const found = tree[name];
  if (!found) throw new Error(`no ${name}`);
  return found;
};

const makeLink = async (id: string, body: object = { role: 'viewer' }) => {
  const response = await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${id}/links`,
    headers: owner.headers,
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CreatedLinkDto>();
};

const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  testApp.app.inject({ method, url, headers: owner.headers, ...(payload ? { payload } : {}) });

const mkdir = async (name: string, parentId: string) => {
  const response = await call('POST', '/api/folders', { name, parentId });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<NodeDto>();
};

const named = (type: LinkEvent['type'], name: string) => (message: Message) =>
  message.type === 'event' && message.event.type === type && message.event.node.name === name;

beforeAll(async () => {
  testApp = await createTestApp({ env: { PUBLIC_URL } });
  const fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  tree = await fixtures.newTree(owner, {
    Outside: { Shared: { Inner: {}, 'a.txt': 'a' }, Sibling: {} },
  });
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  base = `ws://127.0.0.1:${address.port}`;
});
afterAll(() => testApp.close());

describe("a viewer link's live events", () => {
  test('added, renamed and removed inside the subtree arrive; nothing from outside, no owner id, nothing above the link', async () => {
    const link = await makeLink(node('Outside/Shared').id);
    const socket = await ready(link.token);
    try {
      const made = await mkdir('new inside', node('Outside/Shared/Inner').id);
      const added = await socket.waitFor(named('node.added', 'new inside'));
      if (added.type !== 'event') throw new Error('not an event');
      expect(Object.keys(added.event).sort()).toEqual(['at', 'kind', 'node', 'type']);
      expect(added.event.kind).toBe('folder');
      expect(added.event.node).toMatchObject({
        id: made.id,
        parentId: node('Outside/Shared/Inner').id,
      });
      await call('PATCH', `/api/folders/${made.id}`, { name: 'renamed inside' });
      await socket.waitFor(named('node.changed', 'renamed inside'));
      await call('DELETE', `/api/files/${node('Outside/Shared/a.txt').id}`);
      await socket.waitFor(named('node.removed', 'a.txt'));
      // The link's own folder renamed: no parent above it is named.
      await call('PATCH', `/api/folders/${node('Outside/Shared').id}`, { name: 'Shared 2' });
      const root = await socket.waitFor(named('node.changed', 'Shared 2'));
      expect(root.type === 'event' && root.event.node.parentId).toBeNull();

      // Outside the subtree: nothing; a later marker inside proves the socket still hears.
      const outside = await mkdir('not for visitors', node('Outside/Sibling').id);
      await mkdir('marker', node('Outside/Shared').id);
      await socket.waitFor(named('node.added', 'marker'));
      expect(
        socket.messages.some(
          (message) => message.type === 'event' && message.event.node.name === 'not for visitors',
        ),
      ).toBe(false);

      // Moved out: a removal that does not say where to; moved in: an addition.
      await call('PATCH', `/api/folders/${made.id}`, { parentId: node('Outside/Sibling').id });
      const removed = await socket.waitFor(named('node.removed', 'renamed inside'));
      expect(removed.type === 'event' && removed.event.node.parentId).toBe(
        node('Outside/Shared/Inner').id,
      );
      await call('PATCH', `/api/folders/${outside.id}`, { parentId: node('Outside/Shared').id });
      await socket.waitFor(named('node.added', 'not for visitors'));

      const everything = socket.raw.join('\n');
      for (const hidden of [owner.userId, node('Outside').id, node('Outside/Sibling').id]) {
        expect(everything).not.toContain(hidden);
      }
    } finally {
      socket.socket.close();
    }
  });

  test('a revoked link closes its sockets with 4410 and opens no new one', async () => {
    const link = await makeLink(node('Outside/Shared/Inner').id);
    const socket = await ready(link.token);
    await call('DELETE', `/api/links/${link.id}`);
    expect(await socket.closed).toBe(LINK_ENDED_CLOSE_CODE);
    await expect(openLinkSocket(link.token)).rejects.toThrow('HTTP 410');
  });

  test('an expiring link closes its sockets when it expires', async () => {
    const link = await makeLink(node('Outside/Shared/Inner').id, {
      role: 'viewer',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    const socket = await ready(link.token);
    const started = Date.now();
    expect(await socket.closed).toBe(LINK_ENDED_CLOSE_CODE);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('refused before the upgrade: a drop box (403), a locked link (401), an unknown token (404), another site (403)', async () => {
    const dropBox = await makeLink(node('Outside/Shared/Inner').id, { role: 'uploader' });
    const locked = await makeLink(node('Outside/Shared/Inner').id, {
      role: 'viewer',
      password: 'a long password',
    });
    const open = await makeLink(node('Outside/Shared/Inner').id);
    await expect(openLinkSocket(dropBox.token)).rejects.toThrow('HTTP 403');
    await expect(openLinkSocket(locked.token)).rejects.toThrow('HTTP 401');
    await expect(openLinkSocket('b'.repeat(43))).rejects.toThrow('HTTP 404');
    await expect(openLinkSocket(open.token, { origin: 'https://evil.example' })).rejects.toThrow(
      'HTTP 403',
    );
  });

  test("a file link hears about its file only, not the folder's other files", async () => {
    const fileTree = await fixturesOf(testApp.context).newTree(owner, {
      Docs: { 'one.txt': '1', 'two.txt': '2' },
    });
    const one = fileTree['Docs/one.txt'];
    const two = fileTree['Docs/two.txt'];
    if (!one || !two) throw new Error('no files');
    const fileLink = await makeLink(one.id);
    const socket = await ready(fileLink.token);
    try {
      await call('PATCH', `/api/files/${two.id}`, { name: 'two renamed.txt' });
      await call('PATCH', `/api/files/${one.id}`, { name: 'one renamed.txt' });
      const changed = await socket.waitFor(named('node.changed', 'one renamed.txt'));
      expect(changed.type === 'event' && changed.event.node.parentId).toBeNull();
      expect(socket.raw.join('\n')).not.toContain('two renamed');
    } finally {
      socket.socket.close();
    }
  });
});
