import type { DomainEvent } from '@myfile/contract';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { purgeExpiredTrash } from './trash.usecases.js';

/** What open tabs are told when things leave for good, and when nothing changed at all. */
let testApp: TestApp;
let user: FixtureUser;
let heard: DomainEvent[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  testApp = await createTestApp();
  user = await fixturesOf(testApp.context).newUser();
  unsubscribe = testApp.context.events.subscribe((event) => {
    heard.push(event);
  });
});
afterAll(async () => {
  unsubscribe();
  await testApp.close();
});
afterEach(() => {
  heard = [];
});

const call = (method: 'GET' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  testApp.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

const deletedIds = () =>
  heard
    .filter((event) => event.type === 'file.deleted' || event.type === 'folder.deleted')
    .map((event) => ('file' in event ? event.file.id : 'folder' in event ? event.folder.id : ''));

describe('leaving the trash for good is told', () => {
  test('emptying the trash: one deleted event per trash item, for the owner', async () => {
    const fixtures = fixturesOf(testApp.context);
    const gone = await fixtures.newFile(user, { name: 'gone.txt', content: 'a' });
    const old = await fixtures.newFolder(user, { name: 'Old' });
    await fixtures.newFile(user, { name: 'inside.txt', content: 'b', folderId: old.id });
    expect((await call('DELETE', `/api/files/${gone.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/folders/${old.id}?recursive=true`)).statusCode).toBe(204);
    heard = [];
    expect((await call('DELETE', '/api/trash')).statusCode).toBe(204);
    expect(deletedIds().sort()).toEqual([gone.id, old.id].sort());
    expect(heard.every((event) => event.userId === user.userId)).toBe(true);
  });

  test('the retention purge tells the owner too', async () => {
    const file = await fixturesOf(testApp.context).newFile(user, {
      name: 'expiring.txt',
      content: 'c',
    });
    await call('DELETE', `/api/files/${file.id}`);
    heard = [];
    const { database, cache, events } = testApp.context;
    await purgeExpiredTrash({
      db: database.db,
      cache,
      events,
      trashRetentionDays: 30,
      now: new Date(Date.now() + 31 * 86_400_000),
    });
    expect(deletedIds()).toEqual([file.id]);
  });
});

describe('a PATCH that changes nothing', () => {
  test.each(['files', 'folders'] as const)(
    '%s: same name, same folder: 200, no event, updatedAt unchanged',
    async (kind) => {
      const fixtures = fixturesOf(testApp.context);
      const node =
        kind === 'files'
          ? await fixtures.newFile(user, { name: `same-${kind}.txt`, content: 'x' })
          : await fixtures.newFolder(user, { name: `same-${kind}` });
      heard = [];
      const response = await call('PATCH', `/api/${kind}/${node.id}`, {
        name: node.name,
        parentId: user.rootId,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json<{ updatedAt: string }>().updatedAt).toBe(node.updatedAt);
      expect(heard).toEqual([]);
      // A change of case alone is a real rename.
      const renamed = await call('PATCH', `/api/${kind}/${node.id}`, {
        name: node.name.toUpperCase(),
      });
      expect(renamed.statusCode).toBe(200);
      expect(heard.map((event) => event.type)).toEqual([
        `${kind === 'files' ? 'file' : 'folder'}.updated`,
      ]);
    },
  );
});
