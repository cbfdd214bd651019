import { childrenPageSchema } from '@myfile/contract';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { userActor } from '../access/access.models.js';
import { toNodeDto } from '../nodes/nodes.models.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { childSorts } from './folders.models.js';
import { listFolderChildren } from './folders.usecases.js';

/**
 * The folder page route sends JSON the database wrote; every other reader of a page shapes its
 * rows in JavaScript. Both must say the same, item for item and cursor for cursor.
 */
let testApp: TestApp;
let fixtures: Fixtures;
let owner: FixtureUser;
let sharee: FixtureUser;
let folderId: string;

beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  sharee = await fixtures.newUser();
  const made = await fixtures.newTree(owner, {
    'every kind': {
      'Sub "quoted" \\ folder': {},
      archived: {},
      'naïve café ☕ 𝄞.txt': 'unicode',
      '<img src=x onerror=alert(1)>.html': '<b>bold</b>',
      'big.bin': Buffer.alloc(70_000, 1),
      'empty.txt': '',
      'image.png': Buffer.from('89504e470d0a1a0a', 'hex'),
      'shared.txt': 'shared with someone',
      'linked.txt': 'behind a link',
    },
  });
  const idOf = (path: string) => {
    const node = made[path];
    if (!node) throw new Error(`The fixture has no ${path}.`);
    return node.id;
  };
  folderId = idOf('every kind');
  const { db } = testApp.context.database;
  // States a listing must render that uploads alone do not reach.
  await db
    .updateTable('nodes')
    .set({ storage_state: 'archived', archive_error: 'Cold tier said "no"\nline two' })
    .where('id', '=', idOf('every kind/archived'))
    .execute();
  await db
    .updateTable('nodes')
    .set({ thumbnail_state: 'ready' })
    .where('id', '=', idOf('every kind/image.png'))
    .execute();
  const send = async (url: string, payload: object) => {
    const response = await testApp.app.inject({
      method: 'POST',
      url,
      headers: owner.headers,
      payload,
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
  };
  await send(`/api/nodes/${folderId}/shares`, { email: sharee.email, role: 'viewer' });
  await send(`/api/nodes/${idOf('every kind/shared.txt')}/shares`, {
    email: (await fixtures.newUser()).email,
    role: 'viewer',
  });
  await send(`/api/nodes/${idOf('every kind/linked.txt')}/links`, { role: 'viewer' });
});
afterAll(() => testApp.close());

const viaRoute = async (user: FixtureUser, query: string, folder = folderId) => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/folders/${folder}/children?${query}`,
    headers: user.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return childrenPageSchema.strict().parse(JSON.parse(response.body));
};

const viaRows = async (
  user: FixtureUser,
  page: {
    sort: (typeof childSorts)[number];
    order: 'asc' | 'desc';
    limit: number;
    cursor?: string;
  },
  folder = folderId,
) => {
  const { items, nextCursor } = await listFolderChildren({
    ...toFilesDeps(testApp.context),
    actor: userActor(user.userId),
    folderId: folder,
    ...page,
  });
  return {
    items: items.map((item) =>
      item.shared ? { ...toNodeDto(item), shared: true } : toNodeDto(item),
    ),
    nextCursor,
  };
};

test.each([
  ['the owner', () => owner],
  ['a sharee', () => sharee],
])('for %s, every sort, order and page size: the same items and cursors', async (_, who) => {
  const user = who();
  for (const sort of childSorts) {
    for (const order of ['asc', 'desc'] as const) {
      for (const limit of [1, 2, 3, 50]) {
        let cursor: string | undefined;
        let pages = 0;
        do {
          const query = new URLSearchParams({
            sort,
            order,
            limit: String(limit),
            ...(cursor ? { cursor } : {}),
          });
          const rendered = await viaRoute(user, query.toString());
          const rows = await viaRows(user, { sort, order, limit, ...(cursor ? { cursor } : {}) });
          expect(rendered).toEqual(rows);
          cursor = rendered.nextCursor ?? undefined;
          pages += 1;
        } while (cursor);
        expect(pages).toBe(Math.ceil(9 / limit));
      }
    }
  }
});

test('the root, by its alias: the same items and cursors', async () => {
  await fixtures.newTree(owner, { 'at the root': {}, 'a.txt': 'a', 'b.txt': 'b' });
  for (const order of ['asc', 'desc'] as const) {
    let cursor: string | undefined;
    do {
      const page = { sort: 'name' as const, order, limit: 2, ...(cursor ? { cursor } : {}) };
      const rendered = await viaRoute(
        owner,
        new URLSearchParams({ ...page, limit: '2' }).toString(),
        'root',
      );
      expect(rendered).toEqual(await viaRows(owner, page, 'root'));
      cursor = rendered.nextCursor ?? undefined;
    } while (cursor);
  }
});

test('the owner’s page, a sharee’s and the root are one statement each, check included', async () => {
  // A page the one statement cannot answer falls back to the check and a second statement, with
  // the same items: only the count tells the fast path from the fallback.
  const spy = vi.spyOn(testApp.context.database.db.getExecutor(), 'executeQuery');
  try {
    for (const [user, folder] of [
      [owner, folderId],
      [sharee, folderId],
      [owner, 'root'],
    ] as const) {
      await viaRoute(user, 'limit=50', folder);
      spy.mockClear();
      // Another page size: the first page is kept, and a kept page runs no statement at all.
      await viaRoute(user, 'limit=49', folder);
      const onNodes = spy.mock.calls.filter(([query]) => /\bnodes\b/.test(query.sql));
      expect(onNodes).toHaveLength(1);
    }
  } finally {
    spy.mockRestore();
  }
});

test('the owner sees which items are shared; a sharee sees no flag at all', async () => {
  const flagged = (items: { name: string; shared?: boolean }[]) =>
    items.filter((item) => 'shared' in item).map((item) => [item.name, item.shared]);
  expect(flagged((await viaRoute(owner, 'limit=50')).items)).toEqual([
    ['linked.txt', true],
    ['shared.txt', true],
  ]);
  expect(flagged((await viaRoute(sharee, 'limit=50')).items)).toEqual([]);
  // The states set above reached the page, so the comparison covered them.
  const { items } = await viaRoute(owner, 'limit=50');
  expect(items.find((item) => item.name === 'image.png')?.thumbnailUrl).toMatch(
    /^\/api\/files\/[0-9a-f-]{36}\/thumbnail\?v=[^/]+$/,
  );
  expect(items.find((item) => item.name === 'archived')).toMatchObject({
    storageState: 'archived',
    archiveError: 'Cold tier said "no"\nline two',
  });
});

test('an empty folder, a missing one and a stranger are answered as before', async () => {
  const empty = await fixtures.newFolder(owner, { name: 'nothing here' });
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/folders/${empty.id}/children`,
    headers: owner.headers,
  });
  expect(response.json()).toEqual({ items: [], nextCursor: null });
  const stranger = await fixtures.newUser();
  const refused = await testApp.app.inject({
    method: 'GET',
    url: `/api/folders/${folderId}/children`,
    headers: stranger.headers,
  });
  expect(refused.statusCode).toBe(404);
});
