import type { RecentPage, StarredIds, StarredPage } from '@myfile/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
let other: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
  other = await fixtures.newUser();
}, 60_000);
afterAll(() => testApp.close());

const call = (
  who: FixtureUser,
  method: 'GET' | 'PUT' | 'DELETE' | 'POST',
  url: string,
  payload?: object,
) => testApp.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

const starredNames = async (who: FixtureUser, query = '') => {
  const response = await call(who, 'GET', `/api/stars${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<StarredPage>();
};

describe('stars', () => {
  test("a folder's starred children, for its rows: mine only, direct children only", async () => {
    const tree = await fixtures.newTree(user, {
      Rows: { 'a.txt': 'a', 'b.txt': 'b', Inner: { 'deep.txt': 'd' } },
    });
    const rows = tree['Rows']?.id ?? '';
    const starredIn = async (who: FixtureUser, folderId: string) => {
      const response = await call(who, 'GET', `/api/stars/in/${folderId}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<StarredIds>().ids.sort();
    };
    expect(await starredIn(user, rows)).toEqual([]);
    for (const name of ['Rows/b.txt', 'Rows/Inner', 'Rows/Inner/deep.txt']) {
      expect((await call(user, 'PUT', `/api/stars/${tree[name]?.id}`)).statusCode).toBe(204);
    }
    expect(await starredIn(user, rows)).toEqual(
      [tree['Rows/b.txt']?.id, tree['Rows/Inner']?.id].sort(),
    );
    // Someone else's stars are theirs: another account sees none of them, in any folder.
    expect(await starredIn(other, rows)).toEqual([]);
    expect((await call(user, 'DELETE', `/api/stars/${tree['Rows/b.txt']?.id}`)).statusCode).toBe(
      204,
    );
    expect(await starredIn(user, rows)).toEqual([tree['Rows/Inner']?.id]);
    const malformed = await call(user, 'GET', '/api/stars/in/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    // The other tests of this file list every star of this user: leave none behind.
    for (const name of ['Rows/Inner', 'Rows/Inner/deep.txt']) {
      expect((await call(user, 'DELETE', `/api/stars/${tree[name]?.id}`)).statusCode).toBe(204);
    }
  });

  test('star any file or folder, list newest first with paths; unstar is idempotent', async () => {
    const tree = await fixtures.newTree(user, { Work: { 'plan.txt': 'p' }, 'notes.md': 'n' });
    for (const name of ['Work/plan.txt', 'Work', 'notes.md']) {
      const star = await call(user, 'PUT', `/api/stars/${tree[name]?.id}`);
      expect(star.statusCode, star.body).toBe(204);
    }
    // Starring again changes nothing.
    expect((await call(user, 'PUT', `/api/stars/${tree['Work']?.id}`)).statusCode).toBe(204);
    const page = await starredNames(user);
    expect(page.items.map((item) => [item.name, item.path.map((crumb) => crumb.name)])).toEqual([
      ['notes.md', []],
      ['Work', []],
      ['plan.txt', ['Work']],
    ]);
    const first = await starredNames(user, '?limit=2');
    expect(first.items).toHaveLength(2);
    const rest = await starredNames(user, `?limit=2&cursor=${first.nextCursor}`);
    expect(rest.items.map((item) => item.name)).toEqual(['plan.txt']);
    expect(rest.nextCursor).toBeNull();

    const starState = async (id: string | undefined) =>
      (await call(user, 'GET', `/api/stars/${id}`)).json<{ starred: boolean }>().starred;
    expect(await starState(tree['Work']?.id)).toBe(true);
    for (let round = 0; round < 2; round += 1) {
      expect((await call(user, 'DELETE', `/api/stars/${tree['Work']?.id}`)).statusCode).toBe(204);
    }
    expect(await starState(tree['Work']?.id)).toBe(false);
    expect((await starredNames(user)).items.map((item) => item.name)).toEqual([
      'notes.md',
      'plan.txt',
    ]);
    // A trashed item leaves the list.
    expect((await call(user, 'DELETE', `/api/files/${tree['notes.md']?.id}`)).statusCode).toBe(204);
    expect((await starredNames(user)).items.map((item) => item.name)).toEqual(['plan.txt']);
  });

  test('another user’s node is 404 and stays unstarred; a shared one can be starred until unshared', async () => {
    const theirs = await fixtures.newFile(other, { name: 'theirs.txt', content: 't' });
    const starred = await call(user, 'PUT', `/api/stars/${theirs.id}`);
    expect(starred.statusCode).toBe(404);
    expect(starred.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await starredNames(user)).items.map((item) => item.id)).not.toContain(theirs.id);
    expect((await call(user, 'PUT', '/api/stars/not-a-uuid')).statusCode).toBe(400);

    const shared = await call(other, 'POST', `/api/nodes/${theirs.id}/shares`, {
      email: user.email,
      role: 'viewer',
    });
    expect(shared.statusCode, shared.body).toBe(201);
    expect((await call(user, 'PUT', `/api/stars/${theirs.id}`)).statusCode).toBe(204);
    const listed = (await starredNames(user)).items.find((item) => item.id === theirs.id);
    expect(listed?.path).toEqual([]);
    const shares = await call(other, 'GET', `/api/nodes/${theirs.id}/shares`);
    const [share] = shares.json<{ items: { id: string }[] }>().items;
    expect((await call(other, 'DELETE', `/api/shares/${share?.id}`)).statusCode).toBe(204);
    expect((await starredNames(user)).items.map((item) => item.id)).not.toContain(theirs.id);
  });
});

describe('recent', () => {
  test('uploaded, changed and opened files, newest first, each once, paged', async () => {
    const fresh = await fixtures.newUser();
    const tree = await fixtures.newTree(fresh, { A: { 'a.txt': 'a' }, 'b.txt': 'b', 'c.txt': 'c' });
    const recent = async (query = '') => {
      const response = await call(fresh, 'GET', `/api/recent${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<RecentPage>();
    };
    expect((await recent()).items.map((item) => item.name)).toEqual(['c.txt', 'b.txt', 'a.txt']);
    const opened = await call(fresh, 'GET', `/api/files/${tree['A/a.txt']?.id}/content`);
    expect(opened.statusCode).toBe(200);
    const page = await recent();
    expect(page.items.map((item) => [item.name, item.reason])).toEqual([
      ['a.txt', 'opened'],
      ['c.txt', 'changed'],
      ['b.txt', 'changed'],
    ]);
    expect(page.items[0]?.path.map((crumb) => crumb.name)).toEqual(['A']);
    // A later ranged read (not from the first byte) is the same open.
    await call(fresh, 'GET', `/api/files/${tree['b.txt']?.id}/content`);
    const ranged = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${tree['c.txt']?.id}/content`,
      headers: { ...fresh.headers, range: 'bytes=1-' },
    });
    expect(ranged.statusCode).toBe(416);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const next: RecentPage = await recent(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...next.items.map((item) => item.name));
      cursor = next.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['b.txt', 'a.txt', 'c.txt']);
    // Another user's opens and files never show.
    expect((await starredNames(other)).items.map((item) => item.name)).not.toContain('a.txt');
    const theirs = await call(other, 'GET', '/api/recent');
    expect(theirs.json<RecentPage>().items.map((item) => item.name)).not.toContain('a.txt');
  });

  test('a file whose content cannot be opened is not recorded as opened', async () => {
    const fresh = await fixtures.newUser();
    const tree = await fixtures.newTree(fresh, { 'old.txt': 'o', 'lost.txt': 'l' });
    // old.txt is opened first, so lost.txt (changed later) would only move up by an open.
    await call(fresh, 'GET', `/api/files/${tree['old.txt']?.id}/content`);
    const { blob_key: key } = await testApp.context.database.db
      .selectFrom('nodes')
      .select('blob_key')
      .where('id', '=', tree['lost.txt']?.id ?? '')
      .executeTakeFirstOrThrow();
    await testApp.context.blobStorage.delete({ key: key ?? '' });
    const failed = await call(fresh, 'GET', `/api/files/${tree['lost.txt']?.id}/content`);
    expect(failed.statusCode).toBeGreaterThanOrEqual(400);
    const page = (await call(fresh, 'GET', '/api/recent')).json<RecentPage>();
    expect(page.items.map((item) => [item.name, item.reason])).toEqual([
      ['old.txt', 'opened'],
      ['lost.txt', 'changed'],
    ]);
  });
});

describe('paging within one millisecond', () => {
  // A cursor once carried milliseconds while PostgreSQL keeps microseconds: every row of the
  // same millisecond after a page's last one was skipped (a multi-file upload's files share
  // one transaction time).
  const within = (index: number) => `2026-01-01T00:00:00.123${String(index + 1)}00Z`;

  const pages = async (who: FixtureUser, url: string) => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await call(who, 'GET', `${url}?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<RecentPage | StarredPage>();
      names.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor;
    } while (cursor);
    return names;
  };

  test('recent and starred show every row once, newest first', async () => {
    const fresh = await fixtures.newUser();
    const tree = await fixtures.newTree(fresh, { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
    const db = testApp.context.database.db;
    for (const [index, name] of ['a.txt', 'b.txt', 'c.txt'].entries()) {
      const id = tree[name]?.id ?? '';
      expect((await call(fresh, 'PUT', `/api/stars/${id}`)).statusCode).toBe(204);
      await sql`update nodes set updated_at = ${within(index)}::timestamptz where id = ${id}`.execute(
        db,
      );
      await sql`update stars set created_at = ${within(index)}::timestamptz
        where node_id = ${id}`.execute(db);
    }
    expect(await pages(fresh, '/api/recent')).toEqual(['c.txt', 'b.txt', 'a.txt']);
    expect(await pages(fresh, '/api/stars')).toEqual(['c.txt', 'b.txt', 'a.txt']);
  });
});
