import type { Usage } from '@myfile/contract';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { App } from '../app/server.js';
import { createTwoTestApps, type TwoTestApps } from '../test-support/two-apps.js';
import { signUpAndSignIn, type SignedInUser } from '../modules/auth/auth.test-utils.js';
import { createFolderVia, uploadOne } from '../modules/nodes/nodes.test-utils.js';

// A change made through one API process must show on the very next read through another,
// even though that process has the old answer cached in the shared Redis.
let apps: TwoTestApps;
let user: SignedInUser;

beforeAll(async () => {
  apps = await createTwoTestApps();
  user = await signUpAndSignIn(apps.first.app);
});
afterAll(async () => {
  await apps.close();
});

const send = async (app: App, method: 'PATCH' | 'DELETE', url: string, payload?: object) => {
  const response = await app.inject({ method, url, headers: user.headers, payload });
  expect(response.statusCode, response.body).toBeLessThan(300);
};

const breadcrumbOf = async (app: App, folderId: string) => {
  const response = await app.inject({ url: `/api/folders/${folderId}`, headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ breadcrumb: { name: string }[] }>().breadcrumb.map((step) => step.name);
};

const usageOf = async (app: App) => {
  const response = await app.inject({ url: '/api/usage', headers: user.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Usage>();
};

const cachedKeys = async (topic: string) => {
  const { redis, config } = apps.second.context;
  return (await redis?.keys(`${config.REDIS_KEY_PREFIX}cache:${topic}:${user.userId}:*`)) ?? [];
};

test('both processes cache in the one Redis', () => {
  expect(apps.first.context.cache.driverName).toBe('redis');
  expect(apps.second.context.cache.driverName).toBe('redis');
});

test('a rename or move of an ancestor on app 1 shows in the breadcrumbs read on app 2', async () => {
  const { first, second } = apps;
  const top = await createFolderVia(first.app, user, { name: 'Top' });
  const middle = await createFolderVia(first.app, user, { name: 'Middle', parentId: top.id });
  const leaf = await createFolderVia(first.app, user, { name: 'Leaf', parentId: middle.id });
  const elsewhere = await createFolderVia(first.app, user, { name: 'Elsewhere' });

  expect(await breadcrumbOf(second.app, leaf.id)).toEqual(['Top', 'Middle']);
  // The answer is now cached; the next reads must still see each change at once.
  expect((await cachedKeys('breadcrumbs')).length).toBeGreaterThan(0);

  await send(first.app, 'PATCH', `/api/folders/${top.id}`, { name: 'Renamed top' });
  expect(await breadcrumbOf(second.app, leaf.id)).toEqual(['Renamed top', 'Middle']);

  await send(first.app, 'PATCH', `/api/folders/${middle.id}`, { parentId: elsewhere.id });
  expect(await breadcrumbOf(second.app, leaf.id)).toEqual(['Elsewhere', 'Middle']);

  await send(first.app, 'DELETE', `/api/folders/${elsewhere.id}?recursive=true`);
  expect(
    (await second.app.inject({ url: `/api/folders/${leaf.id}`, headers: user.headers })).statusCode,
  ).toBe(404);
});

test('an upload, a trash and a purge on app 1 show in the usage read on app 2', async () => {
  const { first, second } = apps;
  const before = await usageOf(second.app);
  expect(await cachedKeys('usage')).not.toEqual([]);

  const file = await uploadOne(first.app, user, { name: 'a.txt', content: 'x'.repeat(100) });
  const afterUpload = await usageOf(second.app);
  expect(afterUpload.usedBytes).toBe(before.usedBytes + 100);
  expect(afterUpload.fileCount).toBe(before.fileCount + 1);

  await send(first.app, 'DELETE', `/api/files/${file.id}`);
  expect((await usageOf(second.app)).trashBytes).toBe(before.trashBytes + 100);

  await send(first.app, 'DELETE', `/api/trash/${file.id}`);
  expect(await usageOf(second.app)).toEqual(before);

  await uploadOne(first.app, user, { name: 'b.txt', content: 'y'.repeat(7) });
  expect((await usageOf(second.app)).usedBytes).toBe(before.usedBytes + 7);
});

test('with Redis no process keeps folder pages: an upload on app 1 is on the next page on app 2', async () => {
  const { first, second } = apps;
  expect(first.context.folderPages).toBeNull();
  expect(second.context.folderPages).toBeNull();
  const folder = await createFolderVia(first.app, user, { name: 'Listed' });
  const names = async () => {
    const response = await second.app.inject({
      url: `/api/folders/${folder.id}/children`,
      headers: user.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: { name: string }[] }>().items.map((item) => item.name);
  };
  expect(await names()).toEqual([]);
  await uploadOne(first.app, user, { name: 'new.txt', content: 'n', folderId: folder.id });
  expect(await names()).toEqual(['new.txt']);
});
