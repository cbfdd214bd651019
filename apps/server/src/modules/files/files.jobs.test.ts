import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { DomainEvent } from '@myfile/contract';
import { createFolderVia, uploadOne } from '../nodes/nodes.test-utils.js';
import { sweepOrphanBlobs } from './files.jobs.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
});
afterAll(() => testApp.close());

describe('orphan blob sweep', () => {
  test('removes blobs without a row once they are an hour old, and keeps the rest', async () => {
    const store = testApp.context.blobStorage;
    const kept = await uploadOne(testApp.app, user, { name: 'kept.txt', content: 'kept' });
    const orphan = createBlobKey();
    await store.put({ key: orphan, body: Readable.from([Buffer.from('lost')]) });
    const db = testApp.context.database.db;

    expect(await sweepOrphanBlobs({ db, blobStorage: store })).toEqual({ deleted: 0 });
    expect(await store.exists({ key: orphan })).toBe(true);

    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await sweepOrphanBlobs({ db, blobStorage: store, now: later })).toEqual({ deleted: 1 });
    expect(await store.exists({ key: orphan })).toBe(false);
    const row = await db
      .selectFrom('nodes')
      .select('blob_key')
      .where('id', '=', kept.id)
      .executeTakeFirstOrThrow();
    expect(await store.exists({ key: row.blob_key ?? '' })).toBe(true);
  });
});

describe('domain events', () => {
  test('each change is published after its commit, typed by kind and action', async () => {
    const seen: DomainEvent[] = [];
    const unsubscribe = testApp.context.events.subscribe((event) => {
      seen.push(event);
    });
    try {
      const folder = await createFolderVia(testApp.app, user, { name: 'evented' });
      const file = await uploadOne(testApp.app, user, {
        name: 'e.txt',
        content: 'e',
        folderId: folder.id,
      });
      await testApp.app.inject({
        method: 'PATCH',
        url: `/api/files/${file.id}`,
        headers: user.headers,
        payload: { parentId: 'root' },
      });
      await testApp.app.inject({
        method: 'DELETE',
        url: `/api/files/${file.id}`,
        headers: user.headers,
      });
      await testApp.app.inject({
        method: 'POST',
        url: `/api/trash/${file.id}/restore`,
        headers: user.headers,
        payload: {},
      });
      await testApp.app.inject({
        method: 'DELETE',
        url: `/api/files/${file.id}`,
        headers: user.headers,
      });
      await testApp.app.inject({
        method: 'DELETE',
        url: `/api/trash/${file.id}`,
        headers: user.headers,
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.map((event) => event.type)).toEqual([
        'folder.created',
        'file.created',
        'file.moved',
        'file.trashed',
        'file.restored',
        'file.trashed',
        'file.deleted',
      ]);
      expect(seen.every((event) => event.userId === user.userId)).toBe(true);
      expect(seen[2]).toMatchObject({
        previousParentId: folder.id,
        file: { id: file.id, name: 'e.txt' },
      });
    } finally {
      unsubscribe();
    }
  });

  test('emptying a folder announces each trashed child and the emptied folder', async () => {
    const seen: DomainEvent[] = [];
    const unsubscribe = testApp.context.events.subscribe((event) => {
      seen.push(event);
    });
    try {
      const folder = await createFolderVia(testApp.app, user, { name: 'to-empty' });
      await uploadOne(testApp.app, user, { name: 'one.txt', content: '1', folderId: folder.id });
      seen.length = 0;
      await testApp.app.inject({
        method: 'POST',
        url: `/api/folders/${folder.id}/empty`,
        headers: user.headers,
        payload: {},
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen.map((event) => event.type)).toEqual(['file.trashed', 'folder.emptied']);
    } finally {
      unsubscribe();
    }
  });
});
