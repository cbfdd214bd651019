import type { NodeDto, ShareDto } from '@myfile/contract';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { App } from '../../app/server.js';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTwoTestApps, type TwoTestApps } from '../../test-support/two-apps.js';

// Breadcrumbs are cached per owner in the shared Redis, the owner's whole path. Whatever is in
// that cache, a sharee is shown only the part from what was shared with them down, read
// through either process, and the cache follows changes made by sharees too.
let apps: TwoTestApps;
let owner: FixtureUser;
let sharee: FixtureUser;
let folders: Record<string, NodeDto>;
let teamShare: ShareDto;

const call = async (
  app: App,
  user: FixtureUser,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) => app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

const breadcrumbOf = async (app: App, user: FixtureUser, folderId: string) => {
  const response = await call(app, user, 'GET', `/api/folders/${folderId}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ breadcrumb: { name: string }[] }>().breadcrumb.map((step) => step.name);
};

const share = async (node: NodeDto, role: 'viewer' | 'editor') => {
  const response = await call(apps.first.app, owner, 'POST', `/api/nodes/${node.id}/shares`, {
    email: sharee.email,
    role,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ShareDto>();
};

const cachedBreadcrumbs = async () => {
  const { redis, config } = apps.second.context;
  return (await redis?.keys(`${config.REDIS_KEY_PREFIX}cache:breadcrumbs:${owner.userId}:*`)) ?? [];
};

beforeAll(async () => {
  apps = await createTwoTestApps();
  const fixtures = fixturesOf(apps.first.context);
  owner = await fixtures.newUser();
  sharee = await fixtures.newUser();
  folders = await fixtures.newTree(owner, {
    'Private above': { Team: { Inside: { Deeper: { Leaf: { Bottom: {} } } } } },
    'Private elsewhere': {},
  });
  teamShare = await share(folder('Private above/Team'), 'viewer');
  await share(folder('Private above/Team/Inside/Deeper'), 'editor');
});
afterAll(() => apps.close());

const folder = (path: string): NodeDto => {
  const found = folders[path];
  if (!found) throw new Error(`no fixture folder ${path}`);
  return found;
};
const LEAF = 'Private above/Team/Inside/Deeper/Leaf';

test('the cache is the shared Redis', () => {
  expect(apps.second.context.cache.driverName).toBe('redis');
});

test("with the owner's full path cached, a sharee sees it only from the shared folder down", async () => {
  const { second } = apps;
  expect(await breadcrumbOf(second.app, owner, folder(LEAF).id)).toEqual([
    'Private above',
    'Team',
    'Inside',
    'Deeper',
  ]);
  expect((await cachedBreadcrumbs()).length).toBeGreaterThan(0);
  // The strongest grant decides the role, the topmost one where the path starts.
  expect(await breadcrumbOf(second.app, sharee, folder(LEAF).id)).toEqual([
    'Team',
    'Inside',
    'Deeper',
  ]);
  // The shared folder itself: nothing above it.
  expect(await breadcrumbOf(second.app, sharee, folder('Private above/Team').id)).toEqual([]);
  // A file's path follows the same rule.
  const file = await fixturesOf(second.context).newFile(owner, {
    name: 'notes.txt',
    content: 'notes',
    folderId: folder(LEAF).id,
  });
  const got = await call(second.app, sharee, 'GET', `/api/files/${file.id}`);
  expect(got.json<{ path: { name: string }[] }>().path.map((step) => step.name)).toEqual([
    'Team',
    'Inside',
    'Deeper',
    'Leaf',
  ]);
});

test("an editor's rename reaches the owner's cached breadcrumbs on the other process", async () => {
  const { first, second } = apps;
  const bottom = folder(`${LEAF}/Bottom`).id;
  expect(await breadcrumbOf(second.app, owner, bottom)).toContain('Leaf');
  const renamed = await call(first.app, sharee, 'PATCH', `/api/folders/${folder(LEAF).id}`, {
    name: 'Leaf renamed',
  });
  expect(renamed.statusCode, renamed.body).toBe(200);
  expect(await breadcrumbOf(second.app, owner, bottom)).toEqual([
    'Private above',
    'Team',
    'Inside',
    'Deeper',
    'Leaf renamed',
  ]);
  expect(await breadcrumbOf(second.app, sharee, bottom)).toEqual([
    'Team',
    'Inside',
    'Deeper',
    'Leaf renamed',
  ]);
});

test('the owner renaming and moving folders above the share never shows their names to the sharee', async () => {
  const { first, second } = apps;
  const leaf = folder(LEAF).id;
  await breadcrumbOf(second.app, owner, leaf);
  const renamed = await call(
    first.app,
    owner,
    'PATCH',
    `/api/folders/${folder('Private above').id}`,
    {
      name: 'Secret plans',
    },
  );
  expect(renamed.statusCode, renamed.body).toBe(200);
  const moved = await call(
    first.app,
    owner,
    'PATCH',
    `/api/folders/${folder('Private above/Team').id}`,
    {
      parentId: folder('Private elsewhere').id,
    },
  );
  expect(moved.statusCode, moved.body).toBe(200);
  expect(await breadcrumbOf(second.app, owner, leaf)).toEqual([
    'Private elsewhere',
    'Team',
    'Inside',
    'Deeper',
  ]);
  expect(await breadcrumbOf(second.app, sharee, leaf)).toEqual(['Team', 'Inside', 'Deeper']);
});

test('once the outer share is revoked, the path starts at the share still held', async () => {
  const { first, second } = apps;
  const leaf = folder(LEAF).id;
  await breadcrumbOf(second.app, owner, leaf);
  const revoked = await call(first.app, owner, 'DELETE', `/api/shares/${teamShare.id}`);
  expect(revoked.statusCode, revoked.body).toBe(204);
  expect(await breadcrumbOf(second.app, sharee, leaf)).toEqual(['Deeper']);
  const inside = await call(
    second.app,
    sharee,
    'GET',
    `/api/folders/${folder('Private above/Team/Inside').id}`,
  );
  expect(inside.statusCode).toBe(404);
});
