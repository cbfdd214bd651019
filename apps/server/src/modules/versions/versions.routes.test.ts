import { createHash } from 'node:crypto';
import type { FileVersionList, Usage } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';
import { countBlobs, sumOfContents } from './versions.test-utils.js';

/** Version history over HTTP: replace, list, download, restore, delete, who may, what it costs. */
let testApp: TestApp;
let fixtures: Fixtures;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
});
afterAll(() => testApp.close());

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

const call = (user: FixtureUser, method: 'GET' | 'POST' | 'DELETE', url: string) =>
  testApp.app.inject({ method, url, headers: user.headers });

const replace = async (user: FixtureUser, name: string, content: string, folderId = 'root') => {
  const { payload, contentType } = multipartBody([{ name, content }]);
  const response = await testApp.app.inject({
    method: 'POST',
    url: `/api/folders/${folderId}/files?onConflict=replace`,
    headers: { ...user.headers, 'content-type': contentType },
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ files: NodeDto[] }>().files[0] as NodeDto;
};

const versionsOf = async (user: FixtureUser, fileId: string) => {
  const response = await call(user, 'GET', `/api/files/${fileId}/versions`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<FileVersionList>().versions;
};

const usageOf = async (user: FixtureUser) => (await call(user, 'GET', '/api/usage')).json<Usage>();

describe('version history', () => {
  test('three replaces keep three versions; restoring the first brings its bytes back', async () => {
    const user = await fixtures.newUser();
    const contents = ['first version', 'second, longer version', 'third', 'the current one'];
    const blobsBefore = await countBlobs(testApp.context.blobStorage);
    const file = await fixtures.newFile(user, { name: 'notes.txt', content: contents[0] ?? '' });
    for (const content of contents.slice(1)) {
      expect((await replace(user, 'notes.txt', content)).id).toBe(file.id);
    }
    const versions = await versionsOf(user, file.id);
    expect(versions.map((version) => version.sha256)).toEqual(
      contents.slice(0, 3).reverse().map(sha256),
    );
    expect(versions.every((version) => version.createdBy?.id === user.userId)).toBe(true);
    expect(versions.map((version) => version.size)).toEqual(
      contents
        .slice(0, 3)
        .reverse()
        .map((content) => Buffer.byteLength(content)),
    );

    // Every version counts against the quota: the usage is the sum of all contents.
    const usage = await usageOf(user);
    expect(usage.usedBytes).toBe(sumOfContents(contents));
    expect(usage.versionBytes).toBe(sumOfContents(contents.slice(0, 3)));
    expect(usage.fileCount).toBe(1);

    const first = versions.at(-1);
    if (!first) throw new Error('no version');
    const download = await call(user, 'GET', `/api/files/${file.id}/versions/${first.id}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe(contents[0]);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="notes.txt"/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers.etag).toBe(`"${sha256(contents[0] ?? '')}"`);

    const restored = await call(user, 'POST', `/api/files/${file.id}/versions/${first.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<NodeDto>().sha256).toBe(first.sha256);
    const current = await call(user, 'GET', `/api/files/${file.id}/content`);
    expect(sha256(current.body)).toBe(first.sha256);

    // The content it replaced is now the newest version; the restored one left the list.
    const after = await versionsOf(user, file.id);
    expect(after.map((version) => version.sha256)).toEqual(
      [contents[3], contents[2], contents[1]].map((content) => sha256(content ?? '')),
    );
    expect((await usageOf(user)).usedBytes).toBe(sumOfContents(contents));
    await runQueuedJobs(testApp.context);
    expect(await countBlobs(testApp.context.blobStorage)).toBe(blobsBefore + 4);
  });

  test('deleting a version frees its bytes and its blob', async () => {
    const user = await fixtures.newUser();
    const file = await fixtures.newFile(user, { name: 'a.txt', content: 'old bytes' });
    await replace(user, 'a.txt', 'new');
    const [version] = await versionsOf(user, file.id);
    if (!version) throw new Error('no version');
    const blobsBefore = await countBlobs(testApp.context.blobStorage);
    const response = await call(user, 'DELETE', `/api/files/${file.id}/versions/${version.id}`);
    expect(response.statusCode, response.body).toBe(204);
    expect(await versionsOf(user, file.id)).toEqual([]);
    expect((await usageOf(user)).usedBytes).toBe(3);
    await runQueuedJobs(testApp.context);
    expect(await countBlobs(testApp.context.blobStorage)).toBe(blobsBefore - 1);
    // Gone is gone: a second delete, a download or a restore of it is a 404.
    for (const [method, url] of [
      ['DELETE', `/api/files/${file.id}/versions/${version.id}`],
      ['GET', `/api/files/${file.id}/versions/${version.id}/content`],
      ['POST', `/api/files/${file.id}/versions/${version.id}/restore`],
    ] as const) {
      expect((await call(user, method, url)).statusCode).toBe(404);
    }
  });

  test("another user's file or version ids are 404 on every route, and change nothing", async () => {
    const owner = await fixtures.newUser();
    const stranger = await fixtures.newUser();
    const file = await fixtures.newFile(owner, { name: 'secret.txt', content: 'v1' });
    await replace(owner, 'secret.txt', 'v2');
    const [version] = await versionsOf(owner, file.id);
    if (!version) throw new Error('no version');
    const strangerFile = await fixtures.newFile(stranger, { name: 'mine.txt', content: 'x' });
    const routes = (fileId: string, versionId: string) =>
      [
        ['GET', `/api/files/${fileId}/versions`],
        ['GET', `/api/files/${fileId}/versions/${versionId}/content`],
        ['POST', `/api/files/${fileId}/versions/${versionId}/restore`],
        ['DELETE', `/api/files/${fileId}/versions/${versionId}`],
      ] as const;
    // The owner's file, and the owner's version named under the stranger's own file.
    for (const [method, url] of [
      ...routes(file.id, version.id),
      ...routes(strangerFile.id, version.id).slice(1),
      ...routes(file.id, 'not-a-uuid').slice(1),
    ]) {
      const response = await call(stranger, method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('not_found');
    }
    expect((await versionsOf(owner, file.id)).map((each) => each.id)).toEqual([version.id]);
  });

  test('editors list, download, restore and delete versions; viewers are refused', async () => {
    const owner = await fixtures.newUser();
    const viewer = await fixtures.newUser();
    const editor = await fixtures.newUser();
    const team = await fixtures.newFolder(owner, { name: 'team' });
    for (const [who, role] of [
      [viewer, 'viewer'],
      [editor, 'editor'],
    ] as const) {
      const shared = await testApp.app.inject({
        method: 'POST',
        url: `/api/nodes/${team.id}/shares`,
        headers: owner.headers,
        payload: { email: who.email, role },
      });
      expect(shared.statusCode, shared.body).toBe(201);
    }
    const file = await fixtures.newFile(owner, {
      name: 'plan.txt',
      content: 'plan a',
      folderId: team.id,
    });
    // The editor's replace is charged to the owner and names the editor.
    await replace(editor, 'plan.txt', 'plan b', team.id);
    const [version] = await versionsOf(owner, file.id);
    expect(version?.createdBy?.email).toBe(editor.email);
    if (!version) throw new Error('no version');

    for (const [method, url] of [
      ['GET', `/api/files/${file.id}/versions`],
      ['GET', `/api/files/${file.id}/versions/${version.id}/content`],
      ['POST', `/api/files/${file.id}/versions/${version.id}/restore`],
      ['DELETE', `/api/files/${file.id}/versions/${version.id}`],
    ] as const) {
      const response = await call(viewer, method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect(
      (await call(editor, 'GET', `/api/files/${file.id}/versions/${version.id}/content`)).body,
    ).toBe('plan a');
    const restored = await call(
      editor,
      'POST',
      `/api/files/${file.id}/versions/${version.id}/restore`,
    );
    expect(restored.statusCode, restored.body).toBe(200);
    const [kept] = await versionsOf(editor, file.id);
    if (!kept) throw new Error('no version');
    expect(kept.sha256).toBe(sha256('plan b'));
    expect(
      (await call(editor, 'DELETE', `/api/files/${file.id}/versions/${kept.id}`)).statusCode,
    ).toBe(204);
    expect(await versionsOf(owner, file.id)).toEqual([]);
    expect((await usageOf(owner)).usedBytes).toBe(6);
  });

  test('purging a file from the trash deletes its versions and leaves no blob', async () => {
    const user = await fixtures.newUser();
    await runQueuedJobs(testApp.context);
    const blobsBefore = await countBlobs(testApp.context.blobStorage);
    const file = await fixtures.newFile(user, { name: 'gone.txt', content: 'one' });
    await replace(user, 'gone.txt', 'two');
    await replace(user, 'gone.txt', 'three');
    await runQueuedJobs(testApp.context);
    expect(await countBlobs(testApp.context.blobStorage)).toBe(blobsBefore + 3);
    expect((await call(user, 'DELETE', `/api/files/${file.id}`)).statusCode).toBe(204);
    expect((await call(user, 'DELETE', `/api/trash/${file.id}`)).statusCode).toBe(204);
    await runQueuedJobs(testApp.context);
    expect(await countBlobs(testApp.context.blobStorage)).toBe(blobsBefore);
    const usage = await usageOf(user);
    expect([usage.usedBytes, usage.versionBytes, usage.fileCount]).toEqual([0, 0, 0]);
  });

  test('the orphan sweep leaves version blobs alone', async () => {
    const { sweepOrphanBlobs } = await import('../files/files.jobs.js');
    const user = await fixtures.newUser();
    const file = await fixtures.newFile(user, { name: 'kept.txt', content: 'older' });
    await replace(user, 'kept.txt', 'newer');
    const before = await countBlobs(testApp.context.blobStorage);
    await sweepOrphanBlobs({
      db: testApp.context.database.db,
      blobStorage: testApp.context.blobStorage,
      now: new Date(Date.now() + 7_200_000),
    });
    expect(await countBlobs(testApp.context.blobStorage)).toBe(before);
    const [version] = await versionsOf(user, file.id);
    const download = await call(
      user,
      'GET',
      `/api/files/${file.id}/versions/${version?.id}/content`,
    );
    expect(download.body).toBe('older');
  });
});

describe('VERSIONS_KEEP=off', () => {
  test('a replace keeps no version, deletes the old blob and needs only the difference to fit', async () => {
    const offApp = await createTestApp({ env: { VERSIONS_KEEP: 'off' } });
    try {
      const off = fixturesOf(offApp.context);
      const user = await off.newUser({ quotaBytes: 1000 });
      const file = await off.newFile(user, { name: 'r.bin', content: Buffer.alloc(900, 1) });
      const blobsBefore = await countBlobs(offApp.context.blobStorage);
      const { payload, contentType } = multipartBody([
        { name: 'r.bin', content: Buffer.alloc(950, 2) },
      ]);
      const response = await offApp.app.inject({
        method: 'POST',
        url: '/api/folders/root/files?onConflict=replace',
        headers: { ...user.headers, 'content-type': contentType },
        payload,
      });
      expect(response.statusCode, response.body).toBe(201);
      await runQueuedJobs(offApp.context);
      expect(await countBlobs(offApp.context.blobStorage)).toBe(blobsBefore);
      const list = await offApp.app.inject({
        method: 'GET',
        url: `/api/files/${file.id}/versions`,
        headers: user.headers,
      });
      expect(list.json<FileVersionList>().versions).toEqual([]);
      const usage = await offApp.app.inject({
        method: 'GET',
        url: '/api/usage',
        headers: user.headers,
      });
      expect(usage.json<Usage>().usedBytes).toBe(950);
    } finally {
      await offApp.close();
    }
  });
});
