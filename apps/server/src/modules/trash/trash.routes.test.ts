import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, listAll, uploadOne } from '../nodes/nodes.test-utils.js';
import { purgeExpiredTrash } from './trash.usecases.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
});
afterAll(() => testApp.close());

const inject = (method: 'GET' | 'POST' | 'DELETE', url: string) =>
  testApp.app.inject({
    method,
    url,
    headers: user.headers,
    ...(method === 'POST' ? { payload: {} } : {}),
  });

const blobExists = (file: NodeDto) =>
  testApp.context.database.db
    .selectFrom('nodes')
    .select('blob_key')
    .where('id', '=', file.id)
    .executeTakeFirst()
    .then((row) =>
      row?.blob_key ? testApp.context.blobStorage.exists({ key: row.blob_key }) : false,
    );

const trashIds = async () =>
  (await inject('GET', '/api/trash')).json<{ items: NodeDto[] }>().items.map((item) => item.id);

describe('trash', () => {
  test('a deleted subtree leaves the listing and search, and comes back whole', async () => {
    const top = await createFolderVia(testApp.app, user, { name: 'tree' });
    const mid = await createFolderVia(testApp.app, user, { name: 'mid', parentId: top.id });
    const leaf = await uploadOne(testApp.app, user, {
      name: 'treeleaf.txt',
      content: 'leaf',
      folderId: mid.id,
    });
    expect((await inject('DELETE', `/api/folders/${top.id}?recursive=true`)).statusCode).toBe(204);
    expect((await inject('GET', `/api/files/${leaf.id}`)).statusCode).toBe(404);
    expect((await inject('GET', `/api/folders/${mid.id}`)).statusCode).toBe(404);
    expect((await inject('GET', '/api/search?q=treeleaf')).json()).toMatchObject({ items: [] });
    expect(await trashIds()).toContain(top.id);
    expect(await trashIds()).not.toContain(leaf.id);

    const restored = await inject('POST', `/api/trash/${top.id}/restore`);
    expect(restored.json()).toMatchObject({ id: top.id, name: 'tree' });
    expect((await inject('GET', `/api/files/${leaf.id}`)).json()).toMatchObject({
      path: [{ name: 'tree' }, { name: 'mid' }],
    });
    expect(await trashIds()).not.toContain(top.id);
  });

  test('restore renames on conflict and recreates a parent that is gone', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'restore-here' });
    const first = await uploadOne(testApp.app, user, {
      name: 'same.txt',
      content: '1',
      folderId: folder.id,
    });
    await inject('DELETE', `/api/files/${first.id}`);
    await uploadOne(testApp.app, user, { name: 'same.txt', content: '2', folderId: folder.id });
    const back = await inject('POST', `/api/trash/${first.id}/restore`);
    expect(back.json()).toMatchObject({ name: 'same (1).txt', parentId: folder.id });

    const doomed = await createFolderVia(testApp.app, user, { name: 'doomed' });
    const inner = await uploadOne(testApp.app, user, {
      name: 'inner.txt',
      content: 'i',
      folderId: doomed.id,
    });
    await inject('DELETE', `/api/files/${inner.id}`);
    await inject('DELETE', `/api/folders/${doomed.id}`);
    await inject('DELETE', `/api/trash/${doomed.id}`);
    const recreated = await inject('POST', `/api/trash/${inner.id}/restore`);
    expect(recreated.statusCode).toBe(200);
    const parentId = recreated.json<NodeDto>().parentId ?? '';
    expect(parentId).not.toBe(doomed.id);
    expect((await inject('GET', `/api/folders/${parentId}`)).json()).toMatchObject({
      name: 'doomed',
    });
  });

  test('purge deletes the rows now and the blobs by a job after the commit, freeing quota', async () => {
    const usage = async () =>
      (await inject('GET', '/api/usage')).json<{ usedBytes: number; fileCount: number }>();
    const before = await usage();
    const folder = await createFolderVia(testApp.app, user, { name: 'purge-me' });
    const a = await uploadOne(testApp.app, user, {
      name: 'a.bin',
      content: 'aaaa',
      folderId: folder.id,
    });
    const b = await uploadOne(testApp.app, user, {
      name: 'b.bin',
      content: 'bbbbbb',
      folderId: folder.id,
    });
    expect(await usage()).toEqual({
      ...before,
      usedBytes: before.usedBytes + 10,
      fileCount: before.fileCount + 2,
    });
    await inject('DELETE', `/api/folders/${folder.id}?recursive=true`);
    const keys = await testApp.context.database.db
      .selectFrom('nodes')
      .select('blob_key')
      .where('id', 'in', [a.id, b.id])
      .execute();
    expect(await blobExists(a)).toBe(true);
    expect((await inject('DELETE', `/api/trash/${folder.id}`)).statusCode).toBe(204);
    expect(await usage()).toMatchObject(before);
    for (const { blob_key } of keys) {
      expect(await testApp.context.blobStorage.exists({ key: blob_key ?? '' })).toBe(true);
    }
    await runQueuedJobs(testApp.context);
    for (const { blob_key } of keys) {
      expect(await testApp.context.blobStorage.exists({ key: blob_key ?? '' })).toBe(false);
    }
    expect((await inject('POST', `/api/trash/${folder.id}/restore`)).statusCode).toBe(404);
  });

  test('emptying the trash purges everything; the listing pages by trashed time', async () => {
    for (let i = 0; i < 5; i++) {
      const file = await uploadOne(testApp.app, user, { name: `t${i}.txt`, content: 't' });
      await inject('DELETE', `/api/files/${file.id}`);
    }
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await inject(
        'GET',
        `/api/trash?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const body = response.json<{ items: NodeDto[]; nextCursor: string | null }>();
      pages.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(pages).size).toBe(pages.length);
    expect(pages.length).toBeGreaterThanOrEqual(5);
    const yearZero = Buffer.from(
      JSON.stringify({ t: '0000-01-01T00:00:00.000Z', i: '0190a000-0000-7000-8000-000000000000' }),
    ).toString('base64url');
    const refused = await inject('GET', `/api/trash?cursor=${yearZero}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'invalid_request', field: 'cursor' } });
    expect((await inject('DELETE', '/api/trash')).statusCode).toBe(204);
    expect(await trashIds()).toEqual([]);
  });

  test('each item says when the retention purge deletes it for good', async () => {
    const file = await uploadOne(testApp.app, user, { name: 'dated.txt', content: 'dated' });
    await inject('DELETE', `/api/files/${file.id}`);
    const item = (await inject('GET', '/api/trash'))
      .json<{ items: { id: string; trashedAt: string; purgeAt: string }[] }>()
      .items.find((entry) => entry.id === file.id);
    const days = testApp.context.config.TRASH_RETENTION_DAYS;
    expect(Date.parse(item?.purgeAt ?? '') - Date.parse(item?.trashedAt ?? '')).toBe(
      days * 86_400_000,
    );
    // Gone again, so the purge test below counts only its own file.
    expect((await inject('DELETE', `/api/trash/${file.id}`)).statusCode).toBe(204);
  });

  test('items older than the retention period are purged by the scheduled job', async () => {
    const file = await uploadOne(testApp.app, user, { name: 'old.txt', content: 'old' });
    await inject('DELETE', `/api/files/${file.id}`);
    const db = testApp.context.database.db;
    const cache = testApp.context.cache;
    const events = testApp.context.events;
    expect(
      await purgeExpiredTrash({ db, cache, events, trashRetentionDays: 30, now: new Date() }),
    ).toEqual({
      purgedFiles: 0,
    });
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(
      await purgeExpiredTrash({ db, cache, events, trashRetentionDays: 30, now: later }),
    ).toEqual({
      purgedFiles: 1,
    });
    expect(await trashIds()).not.toContain(file.id);
  });

  test('emptying a folder keeps each child restorable on its own', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'to-empty' });
    const x = await uploadOne(testApp.app, user, {
      name: 'x.txt',
      content: 'x',
      folderId: folder.id,
    });
    const y = await uploadOne(testApp.app, user, {
      name: 'y.txt',
      content: 'y',
      folderId: folder.id,
    });
    await inject('POST', `/api/folders/${folder.id}/empty`);
    expect(await listAll(testApp.app, user, { folderId: folder.id })).toEqual([]);
    await inject('POST', `/api/trash/${x.id}/restore`);
    expect(
      (await listAll(testApp.app, user, { folderId: folder.id })).map((item) => item.id),
    ).toEqual([x.id]);
    expect(await trashIds()).toContain(y.id);
  });
});
