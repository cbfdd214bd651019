import type { DomainEvent } from '@myfile/contract';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fixturesOf } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { watchersOf } from './watchers.repository.js';

let testApp: TestApp;
beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(() => testApp.close());

test('an event is looked up once however many listeners ask, each event on its own', async () => {
  const fixtures = fixturesOf(testApp.context);
  const owner = await fixtures.newUser();
  const sharee = await fixtures.newUser();
  const tree = await fixtures.newTree(owner, { Shared: { Inner: {} } });
  const shared = tree.Shared;
  const inner = tree['Shared/Inner'];
  if (!shared || !inner) throw new Error('no tree');
  const made = await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${shared.id}/shares`,
    headers: owner.headers,
    payload: { email: sharee.email, role: 'viewer' },
  });
  expect(made.statusCode).toBe(201);
  const watchers = watchersOf(testApp.context.database.db);
  const event = (): DomainEvent => ({
    type: 'folder.updated',
    userId: owner.userId,
    at: new Date().toISOString(),
    folder: { id: inner.id, parentId: shared.id, name: 'Inner', size: 0, contentType: null },
  });
  const first = event();
  const asked = watchers(first);
  expect(watchers(first)).toBe(asked);
  expect((await asked).grantees).toEqual([sharee.userId]);
  expect(watchers(event())).not.toBe(asked);
});
