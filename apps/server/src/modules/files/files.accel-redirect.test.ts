import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createFsBlobStorage } from '../../blob-storage/drivers/fs/fs.blob-storage.js';
import { parseConfig } from '../../config/config.js';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

/** What the app answers with DOWNLOAD_ACCEL_REDIRECT on; nginx itself is in the services test. */
let dir: string;
let testApp: TestApp;
let owner: FixtureUser;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'myfile-accel-app-'));
  const root = path.join(dir, 'blobs');
  testApp = await createTestApp({
    env: { STORAGE_URL: `file://${root}`, DOWNLOAD_ACCEL_REDIRECT: '/internal-blobs/' },
    blobStorage: createFsBlobStorage({ root }),
  });
  owner = await fixturesOf(testApp.context).newUser();
});
afterAll(async () => {
  await testApp.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const blobKeyOf = async (id: string) => {
  const row = await testApp.context.database.db
    .selectFrom('nodes')
    .select('blob_key')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.blob_key ?? '';
};

test('a whole download names the blob under the internal location, with no body', async () => {
  const file = await fixturesOf(testApp.context).newFile(owner, { name: 'a.bin', content: 'abc' });
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/files/${file.id}/content`,
    headers: owner.headers,
  });
  const key = await blobKeyOf(file.id);
  expect(response.statusCode).toBe(200);
  expect(response.headers['x-accel-redirect']).toBe(`/internal-blobs/${key}`);
  expect(response.body).toBe('');
  // The location is aliased to the store's directory: the name is the file's path under it.
  expect(await fs.readFile(path.join(dir, 'blobs', ...key.split('/')), 'utf8')).toBe('abc');
});

test('a blob missing from the disk gets the app’s own error answer (as when streaming), no redirect', async () => {
  const file = await fixturesOf(testApp.context).newFile(owner, { name: 'b.bin', content: 'b' });
  await fs.rm(path.join(dir, 'blobs', ...(await blobKeyOf(file.id)).split('/')));
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/files/${file.id}/content`,
    headers: owner.headers,
  });
  expect(response.statusCode).toBe(500);
  expect(response.json<{ error: { code: string } }>().error.code).toBe('internal');
  expect(response.headers['x-accel-redirect']).toBeUndefined();
});

test('the setting is refused with an S3 store, and must be a plain path ending in /', () => {
  expect(() =>
    parseConfig({ STORAGE_URL: 's3://bucket', DOWNLOAD_ACCEL_REDIRECT: '/internal-blobs/' }),
  ).toThrow(/DOWNLOAD_ACCEL_REDIRECT needs the blob store on local disk/);
  for (const bad of ['internal/', '/internal', '/../etc/', '/a b/']) {
    expect(() => parseConfig({ DOWNLOAD_ACCEL_REDIRECT: bad })).toThrow(/DOWNLOAD_ACCEL_REDIRECT/);
  }
  expect(parseConfig({ DOWNLOAD_ACCEL_REDIRECT: '/internal-blobs/' }).DOWNLOAD_ACCEL_REDIRECT).toBe(
    '/internal-blobs/',
  );
});
