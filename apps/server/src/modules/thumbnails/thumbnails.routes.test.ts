import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { postArchive, stateOf } from '../archive/archive.test-utils.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, listAll, uploadOne } from '../nodes/nodes.test-utils.js';
import { getThumbnail, solidImage } from './thumbnails.test-utils.js';

let testApp: TestApp;
let fixtures: Fixtures;
let owner: FixtureUser;
let stranger: FixtureUser;
let file: NodeDto;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  stranger = await fixtures.newUser();
  file = await uploadOne(testApp.app, owner, {
    name: 'photo.jpg',
    content: await solidImage(1200, 900).jpeg().toBuffer(),
  });
});
afterAll(() => testApp.close());

describe('GET /api/files/:id/thumbnail', () => {
  test('404 thumbnail_not_ready until the job ran; the listing has no thumbnailUrl yet', async () => {
    const response = await getThumbnail(testApp.app, owner, file.id);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'thumbnail_not_ready' } });
    expect((await listAll(testApp.app, owner)).find((n) => n.id === file.id)?.thumbnailUrl).toBe(
      null,
    );
  });

  test('after the job: 200 WebP with safe, private, cacheable headers; URL in the listing', async () => {
    await runQueuedJobs(testApp.context);
    const listed = (await listAll(testApp.app, owner)).find((node) => node.id === file.id);
    expect(listed?.thumbnailUrl).toMatch(new RegExp(`^/api/files/${file.id}/thumbnail\\?v=`));
    const response = await testApp.app.inject({
      method: 'GET',
      url: listed?.thumbnailUrl ?? '',
      headers: owner.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'image/webp',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=86400',
    });
    expect(response.headers.etag).toMatch(/^"thumb-[0-9a-f-]{36}"$/);
    expect(Number(response.headers['content-length'])).toBe(response.rawPayload.length);
    expect(await sharp(response.rawPayload).metadata()).toMatchObject({
      format: 'webp',
      width: 256,
      height: 192,
    });
  });

  test('304 on a matching If-None-Match, 200 on a stale one', async () => {
    const first = await getThumbnail(testApp.app, owner, file.id);
    const etag = String(first.headers.etag);
    const again = await getThumbnail(testApp.app, owner, file.id, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(etag);
    expect(again.rawPayload.length).toBe(0);
    const stale = await getThumbnail(testApp.app, owner, file.id, {
      'if-none-match': '"thumb-other"',
    });
    expect(stale.statusCode).toBe(200);
  });

  test("another user's file is a 404 not_found; no session is a 401", async () => {
    const foreign = await getThumbnail(testApp.app, stranger, file.id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await getThumbnail(testApp.app, owner, 'not-a-uuid')).statusCode).toBe(404);
    const anonymous = await getThumbnail(testApp.app, null, file.id);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  test('a trashed file serves no thumbnail and lists none in the trash', async () => {
    const doomed = await uploadOne(testApp.app, owner, {
      name: 'trashed.png',
      content: await solidImage(64, 64).png().toBuffer(),
    });
    await runQueuedJobs(testApp.context);
    await testApp.app.inject({
      method: 'DELETE',
      url: `/api/files/${doomed.id}`,
      headers: owner.headers,
    });
    expect((await getThumbnail(testApp.app, owner, doomed.id)).statusCode).toBe(404);
    const trash = await testApp.app.inject({
      method: 'GET',
      url: '/api/trash',
      headers: owner.headers,
    });
    const item = trash.json<{ items: NodeDto[] }>().items.find((node) => node.id === doomed.id);
    expect(item?.thumbnailUrl).toBeNull();
  });

  test('an archived file keeps serving its thumbnail (it stays in the hot store)', async () => {
    const folder = await createFolderVia(testApp.app, owner, { name: 'Cold' });
    const inside = await uploadOne(testApp.app, owner, {
      name: 'cold.png',
      content: await solidImage(300, 300).png().toBuffer(),
      folderId: folder.id,
    });
    await runQueuedJobs(testApp.context);
    expect((await postArchive(testApp.app, owner, folder.id)).statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    expect(await stateOf(testApp.app, owner, folder.id)).toBe('archived');
    const listed = await listAll(testApp.app, owner, { folderId: folder.id });
    expect(listed[0]).toMatchObject({ storageState: 'archived' });
    expect(listed[0]?.thumbnailUrl).not.toBeNull();
    expect((await getThumbnail(testApp.app, owner, inside.id)).statusCode).toBe(200);
  });

  test('the route is in the OpenAPI document', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const document = response.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths)).toContain('/api/files/{id}/thumbnail');
  });
});
