import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { multipartBody } from './nodes.test-utils.js';
import type { NodeDto } from './nodes.models.js';

let testApp: TestApp;
let fixtures: Fixtures;
let owner: FixtureUser;
let intruder: FixtureUser;
let folder: NodeDto;
let file: NodeDto;
let trashed: NodeDto;
let intruderFolder: NodeDto;
let intruderFile: NodeDto;

beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  intruder = await fixtures.newUser();
  folder = await fixtures.newFolder(owner, { name: 'private' });
  file = await fixtures.newFile(owner, {
    name: 'secret.txt',
    content: 'secret',
    folderId: folder.id,
  });
  trashed = await fixtures.newFile(owner, { name: 'gone.txt', content: 'gone' });
  await testApp.app.inject({
    method: 'DELETE',
    url: `/api/files/${trashed.id}`,
    headers: owner.headers,
  });
  intruderFolder = await fixtures.newFolder(intruder, { name: 'mine' });
  intruderFile = await fixtures.newFile(intruder, { name: 'mine.txt', content: 'mine' });
});
afterAll(() => testApp.close());

type Probe = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: () => string;
  payload?: () => object;
};

const probes: [string, Probe][] = [
  ['GET folder', { method: 'GET', url: () => `/api/folders/${folder.id}` }],
  [
    'PATCH folder',
    { method: 'PATCH', url: () => `/api/folders/${folder.id}`, payload: () => ({ name: 'x' }) },
  ],
  ['DELETE folder', { method: 'DELETE', url: () => `/api/folders/${folder.id}?recursive=true` }],
  ['list children', { method: 'GET', url: () => `/api/folders/${folder.id}/children` }],
  [
    'empty folder',
    { method: 'POST', url: () => `/api/folders/${folder.id}/empty`, payload: () => ({}) },
  ],
  [
    'create folder inside',
    {
      method: 'POST',
      url: () => '/api/folders',
      payload: () => ({ name: 'x', parentId: folder.id }),
    },
  ],
  ['GET file', { method: 'GET', url: () => `/api/files/${file.id}` }],
  [
    'PATCH file',
    { method: 'PATCH', url: () => `/api/files/${file.id}`, payload: () => ({ name: 'x.txt' }) },
  ],
  ['DELETE file', { method: 'DELETE', url: () => `/api/files/${file.id}` }],
  ['download', { method: 'GET', url: () => `/api/files/${file.id}/content` }],
  ['copy', { method: 'POST', url: () => `/api/files/${file.id}/copy`, payload: () => ({}) }],
  [
    'copy into their folder',
    {
      method: 'POST',
      url: () => `/api/files/${intruderFile.id}/copy`,
      payload: () => ({ targetFolderId: folder.id }),
    },
  ],
  [
    'move my file into their folder',
    {
      method: 'PATCH',
      url: () => `/api/files/${intruderFile.id}`,
      payload: () => ({ parentId: folder.id }),
    },
  ],
  [
    'move my folder into their folder',
    {
      method: 'PATCH',
      url: () => `/api/folders/${intruderFolder.id}`,
      payload: () => ({ parentId: folder.id }),
    },
  ],
  [
    'restore their trash',
    { method: 'POST', url: () => `/api/trash/${trashed.id}/restore`, payload: () => ({}) },
  ],
  ['purge their trash', { method: 'DELETE', url: () => `/api/trash/${trashed.id}` }],
];

describe("another user's ids answer 404 not_found on every route", () => {
  test.each(probes)('%s', async (_label, probe) => {
    const response = await testApp.app.inject({
      method: probe.method,
      url: probe.url(),
      headers: intruder.headers,
      ...(probe.payload ? { payload: probe.payload() } : {}),
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  test('upload into their folder', async () => {
    const { payload, contentType } = multipartBody([{ name: 'x.txt', content: 'x' }]);
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/api/folders/${folder.id}/files`,
      headers: { ...intruder.headers, 'content-type': contentType },
      payload,
    });
    expect(response.statusCode).toBe(404);
  });

  test('tus upload into their folder', async () => {
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/uploads',
      headers: {
        ...intruder.headers,
        'tus-resumable': '1.0.0',
        'upload-length': '4',
        'upload-metadata': `filename ${Buffer.from('x.txt').toString('base64')},folderId ${Buffer.from(folder.id).toString('base64')}`,
      },
    });
    expect(response.statusCode).toBe(404);
  });

  test('bulk operations report not_found per item', async () => {
    for (const [url, payload] of [
      ['/api/bulk/move', { ids: [file.id], targetFolderId: intruderFolder.id }],
      ['/api/bulk/delete', { ids: [file.id, folder.id] }],
    ] as const) {
      const response = await testApp.app.inject({
        method: 'POST',
        url,
        headers: intruder.headers,
        payload,
      });
      const { results } = response.json<{ results: { ok: boolean; error?: { code: string } }[] }>();
      expect(results.every((result) => !result.ok && result.error?.code === 'not_found')).toBe(
        true,
      );
    }
  });

  test('search, trash and usage only ever show my own', async () => {
    const search = await testApp.app.inject({
      method: 'GET',
      url: '/api/search?q=secret',
      headers: intruder.headers,
    });
    expect(search.json()).toMatchObject({ items: [], nextCursor: null, total: 0 });
    const trash = await testApp.app.inject({
      method: 'GET',
      url: '/api/trash',
      headers: intruder.headers,
    });
    expect(trash.json()).toEqual({ items: [], nextCursor: null });
    const usage = await testApp.app.inject({
      method: 'GET',
      url: '/api/usage',
      headers: intruder.headers,
    });
    expect(usage.json()).toMatchObject({ usedBytes: 4, fileCount: 1 });
  });

  test('nothing of the owner changed', async () => {
    const got = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${file.id}`,
      headers: owner.headers,
    });
    expect(got.json()).toMatchObject({ name: 'secret.txt', parentId: folder.id });
    const list = await testApp.app.inject({
      method: 'GET',
      url: `/api/folders/${folder.id}/children`,
      headers: owner.headers,
    });
    expect(list.json<{ items: NodeDto[] }>().items.map((item) => item.id)).toEqual([file.id]);
  });
});
