import type { NodeDto } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { CommittedWrites } from '../../db/committed-writes.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createFolderVia, signUp, uploadOne, type TestUser } from '../nodes/nodes.test-utils.js';
import { createFolderPageCache, type FolderPageKey } from './folders.page-cache.js';

const key = (overrides: Partial<FolderPageKey> = {}): FolderPageKey => ({
  actorId: 'u1',
  folderId: 'f1',
  sort: 'name',
  order: 'asc',
  limit: 50,
  cursor: undefined,
  ...overrides,
});

const setUp = (options: { maxBytes?: number } = {}) => {
  const listeners = new Set<() => void>();
  const writes: CommittedWrites = {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  let clock = 0;
  const pages = createFolderPageCache({ writes, maxAgeMs: 1_000, now: () => clock, ...options });
  let loads = 0;
  const load = (body = 'page') => {
    loads += 1;
    return Promise.resolve(Buffer.from(`${body}${loads}`));
  };
  const write = () => {
    for (const listener of listeners) listener();
  };
  return { pages, load, write, advance: (ms: number) => (clock += ms) };
};

describe('the cache itself', () => {
  test('the same page for the same asker is read once; any other part of the key reads again', async () => {
    const { pages, load } = setUp();
    expect(String(await pages.read(key(), load))).toBe('page1');
    expect(String(await pages.read(key(), load))).toBe('page1');
    const others: Partial<FolderPageKey>[] = [
      { actorId: 'u2' },
      { folderId: 'f2' },
      { sort: 'size' },
      { order: 'desc' },
      { limit: 51 },
      { cursor: 'c' },
    ];
    for (const [index, other] of others.entries()) {
      expect(String(await pages.read(key(other), load))).toBe(`page${index + 2}`);
    }
  });

  test('any committed write empties it', async () => {
    const { pages, load, write } = setUp();
    await pages.read(key(), load);
    await pages.read(key({ actorId: 'u2' }), load);
    write();
    expect(String(await pages.read(key(), load))).toBe('page3');
    expect(String(await pages.read(key({ actorId: 'u2' }), load))).toBe('page4');
  });

  test('a page read while a write commits is answered but not kept', async () => {
    const { pages, write } = setUp();
    let finish: (body: Buffer) => void = () => undefined;
    const reading = pages.read(key(), () => new Promise<Buffer>((resolve) => (finish = resolve)));
    write();
    finish(Buffer.from('before the write'));
    expect(String(await reading)).toBe('before the write');
    expect(String(await pages.read(key(), () => Promise.resolve(Buffer.from('after'))))).toBe(
      'after',
    );
  });

  test('a page older than the maximum age is read again', async () => {
    const { pages, load, advance } = setUp();
    await pages.read(key(), load);
    advance(999);
    expect(String(await pages.read(key(), load))).toBe('page1');
    advance(1);
    expect(String(await pages.read(key(), load))).toBe('page2');
  });

  test('a failed read keeps nothing', async () => {
    const { pages, load } = setUp();
    await expect(pages.read(key(), () => Promise.reject(new Error('down')))).rejects.toThrow();
    expect(String(await pages.read(key(), load))).toBe('page1');
  });

  test('past its size the least recently read pages go first; a page too big is not kept', async () => {
    const { pages, load } = setUp({ maxBytes: 10 });
    await pages.read(key({ folderId: 'a' }), load); // page1
    await pages.read(key({ folderId: 'b' }), load); // page2
    await pages.read(key({ folderId: 'a' }), load); // a is read again: b is the oldest
    await pages.read(key({ folderId: 'c' }), load); // page3 pushes b out
    expect(String(await pages.read(key({ folderId: 'a' }), load))).toBe('page1');
    expect(String(await pages.read(key({ folderId: 'c' }), load))).toBe('page3');
    expect(String(await pages.read(key({ folderId: 'b' }), load))).toBe('page4');
    expect(String(await pages.read(key({ folderId: 'big' }), () => load('x'.repeat(20))))).toMatch(
      /5$/,
    );
    expect(String(await pages.read(key({ folderId: 'big' }), load))).toBe('page6');
  });
});

describe('through the API, on a process that keeps pages', () => {
  let testApp: TestApp;
  let owner: TestUser;
  let sharee: TestUser;
  let team: NodeDto;

  const list = (user: TestUser, folderId: string) =>
    testApp.app.inject({
      method: 'GET',
      url: `/api/folders/${folderId}/children?limit=50`,
      headers: user.headers,
    });
  const names = async (user: TestUser, folderId: string) => {
    const response = await list(user, folderId);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: NodeDto[] }>().items.map((item) => item.name);
  };

  beforeAll(async () => {
    // One process without Redis, on PGlite or (in the services run) PostgreSQL.
    testApp = await createTestApp({ env: { REDIS_URL: '' } });
    expect(testApp.context.folderPages).not.toBeNull();
    owner = await signUp(testApp.app);
    sharee = await signUp(testApp.app);
    team = await createFolderVia(testApp.app, owner, { name: 'team' });
    await uploadOne(testApp.app, owner, { name: 'a.txt', content: 'a', folderId: team.id });
  });
  afterAll(() => testApp.close());

  test('a change is on the very next page, for the owner and for a sharee', async () => {
    const share = await testApp.app.inject({
      method: 'POST',
      url: `/api/nodes/${team.id}/shares`,
      headers: owner.headers,
      payload: { email: sharee.email, role: 'viewer' },
    });
    expect(share.statusCode, share.body).toBe(201);
    expect(await names(owner, team.id)).toEqual(['a.txt']);
    expect(await names(sharee, team.id)).toEqual(['a.txt']);
    await uploadOne(testApp.app, owner, { name: 'b.txt', content: 'b', folderId: team.id });
    expect(await names(owner, team.id)).toEqual(['a.txt', 'b.txt']);
    expect(await names(sharee, team.id)).toEqual(['a.txt', 'b.txt']);
    const [file] = (await list(owner, team.id)).json<{ items: NodeDto[] }>().items;
    const renamed = await testApp.app.inject({
      method: 'PATCH',
      url: `/api/files/${file?.id ?? ''}`,
      headers: owner.headers,
      payload: { name: 'c.txt' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(await names(owner, team.id)).toEqual(['b.txt', 'c.txt']);
    expect(await names(sharee, team.id)).toEqual(['b.txt', 'c.txt']);
  });

  test('a revoked sharee is refused on the next request, although the page was kept', async () => {
    expect(await names(sharee, team.id)).toEqual(['b.txt', 'c.txt']);
    const shares = await testApp.app.inject({
      method: 'GET',
      url: `/api/nodes/${team.id}/shares`,
      headers: owner.headers,
    });
    const [share] = shares.json<{ items: { id: string }[] }>().items;
    const revoked = await testApp.app.inject({
      method: 'DELETE',
      url: `/api/shares/${share?.id ?? ''}`,
      headers: owner.headers,
    });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect((await list(sharee, team.id)).statusCode).toBe(404);
  });

  test('a kept page runs no statement; a change that raises no event is on the next page', async () => {
    const db = testApp.context.database.db;
    expect(await names(owner, team.id)).toEqual(['b.txt', 'c.txt']);
    const spy = vi.spyOn(db.getExecutor(), 'executeQuery');
    try {
      expect(await names(owner, team.id)).toEqual(['b.txt', 'c.txt']);
      expect(spy.mock.calls.filter(([query]) => /\bnodes\b/.test(query.sql))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    // As a restore run marks the files it brought back, a batch at a time, without an event.
    await db
      .updateTable('nodes')
      .set({ storage_state: 'archived' })
      .where('parent_id', '=', team.id)
      .execute();
    const items = (await list(owner, team.id)).json<{ items: NodeDto[] }>().items;
    expect(items.map((item) => item.storageState)).toEqual(['archived', 'archived']);
  });

  test("another user's folder id is 404 whatever the owner's pages hold", async () => {
    const stranger = await signUp(testApp.app);
    expect(await names(owner, team.id)).toEqual(['b.txt', 'c.txt']);
    expect((await list(stranger, team.id)).statusCode).toBe(404);
  });
});
