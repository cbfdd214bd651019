import { CompiledQuery, sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { toNameKey, toSortKey } from '../nodes/nodes.models.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, listAll, uploadOne } from '../nodes/nodes.test-utils.js';
import { encodeChildrenCursor } from './folders.models.js';
import { childrenPageQuery } from './folders.repository.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
});
afterAll(() => testApp.close());

const page = async (folderId: string, query: string) => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/folders/${folderId}/children?${query}`,
    headers: user.headers,
  });
  return response;
};

describe('listing', () => {
  test('folders first, natural case-insensitive name order, both directions', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'natural' });
    for (const name of ['file10.txt', 'File2.txt', 'file1.txt', 'b.txt']) {
      await uploadOne(testApp.app, user, { name, content: name, folderId: folder.id });
    }
    await createFolderVia(testApp.app, user, { name: 'zeta', parentId: folder.id });
    await createFolderVia(testApp.app, user, { name: 'Alpha', parentId: folder.id });
    const names = (items: NodeDto[]) => items.map((item) => item.name);
    expect(
      names(await listAll(testApp.app, user, { folderId: folder.id, query: 'limit=2' })),
    ).toEqual(['Alpha', 'zeta', 'b.txt', 'file1.txt', 'File2.txt', 'file10.txt']);
    expect(
      names(await listAll(testApp.app, user, { folderId: folder.id, query: 'limit=3&order=desc' })),
    ).toEqual(['zeta', 'Alpha', 'file10.txt', 'File2.txt', 'file1.txt', 'b.txt']);
    const bySize = await listAll(testApp.app, user, {
      folderId: folder.id,
      query: 'sort=size&limit=1',
    });
    expect(names(bySize).slice(2)).toEqual(['b.txt', 'file1.txt', 'File2.txt', 'file10.txt']);
    const byType = await listAll(testApp.app, user, {
      folderId: folder.id,
      query: 'sort=type&limit=4',
    });
    expect(byType).toHaveLength(6);
    const byUpdated = await listAll(testApp.app, user, {
      folderId: folder.id,
      query: 'sort=updatedAt&order=desc&limit=1',
    });
    expect(names(byUpdated).slice(2)).toEqual(['b.txt', 'file1.txt', 'File2.txt', 'file10.txt']);
  });

  test('inserts between pages never duplicate or skip existing entries', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'stable' });
    const initial: string[] = [];
    for (let i = 0; i < 30; i++) {
      initial.push(
        (
          await uploadOne(testApp.app, user, {
            name: `f${i}.txt`,
            content: 'x',
            folderId: folder.id,
          })
        ).id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const response = await page(folder.id, `limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      const body = response.json<{ items: NodeDto[]; nextCursor: string | null }>();
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      // Names that sort before, between and after the current position.
      await uploadOne(testApp.app, user, {
        name: `a-new-${round}.txt`,
        content: 'y',
        folderId: folder.id,
      });
      await uploadOne(testApp.app, user, {
        name: `f${round}5-new.txt`,
        content: 'y',
        folderId: folder.id,
      });
      await uploadOne(testApp.app, user, {
        name: `z-new-${round}.txt`,
        content: 'y',
        folderId: folder.id,
      });
      round += 1;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of initial) expect(seen).toContain(id);
  });

  test('a malformed or tampered cursor is 400; limit is 1-1000', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'cursors' });
    const forged = encodeChildrenCursor({
      sort: 'size',
      order: 'asc',
      folders: false,
      after: null,
    });
    const tampered = Buffer.from(
      JSON.stringify({ s: 'name', o: 'asc', f: false, k: [1], i: uuidv7() }),
    ).toString('base64url');
    const injection = Buffer.from(
      JSON.stringify({ s: 'name', o: 'asc', f: false, k: ["'; drop table nodes; --"], i: 'x' }),
    ).toString('base64url');
    const nul = Buffer.from(
      JSON.stringify({ s: 'name', o: 'asc', f: false, k: ['a\u0000'], i: uuidv7() }),
    ).toString('base64url');
    const yearZero = encodeChildrenCursor({
      sort: 'updatedAt',
      order: 'desc',
      folders: false,
      after: { values: ['0000-01-01T00:00:00.000Z', 'a'], id: uuidv7() },
    });
    const yearZeroPage = await page(folder.id, `sort=updatedAt&order=desc&cursor=${yearZero}`);
    expect(yearZeroPage.statusCode).toBe(400);
    for (const cursor of ['garbage', forged, tampered, injection, 'eyJ9', nul]) {
      const response = await page(folder.id, `cursor=${cursor}`);
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json()).toMatchObject({
        error: { code: 'invalid_request', field: 'cursor' },
      });
    }
    expect((await page(folder.id, 'limit=0')).statusCode).toBe(400);
    expect((await page(folder.id, 'limit=1001')).statusCode).toBe(400);
    expect((await page(folder.id, 'limit=1000')).statusCode).toBe(200);
  });

  test('the query plan of a deep page walks the index without sorting', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'plans' });
    const db = testApp.context.database.db;
    const now = new Date();
    const rows = Array.from({ length: 5000 }, (_, i) => {
      const name = `item ${i}.bin`;
      return {
        id: uuidv7(),
        owner_id: user.userId,
        parent_id: folder.id,
        is_folder: false,
        name,
        name_key: toNameKey(name),
        sort_key: toSortKey(name),
        size: i,
        content_type: 'application/octet-stream',
        sha256: null,
        blob_key: `00/00/${uuidv7()}`,
        created_at: now,
        updated_at: now,
        trashed_at: null,
        trash_batch_id: null,
        trash_path: null,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('nodes')
        .values(rows.slice(i, i + 500))
        .execute();
    await sql`analyze nodes`.execute(db);
    // The page's statement, owner's shared flags included: the range walks its index from the
    // cursor; only the page itself is sorted, on top, and cut to the limit.
    const { sql: text, parameters } = childrenPageQuery(db, {
      parentId: folder.id,
      inFolders: false,
      sort: 'name',
      order: 'asc',
      after: { values: [toSortKey('item 4000.bin')], id: rows[4000]?.id ?? '' },
      limit: 101,
      sharedBy: user.userId,
    }).compile();
    const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`explain ${text}`, [...parameters]),
    );
    const lines = plan.rows.map((row) => row['QUERY PLAN']);
    expect(lines.join('\n')).toContain('nodes_children_name_idx');
    const sorts = lines.filter((line) => /^(->\s+)?Sort\s+\(/.test(line.trim()));
    expect(lines[0]).toMatch(/^Limit/);
    expect(sorts).toHaveLength(1);
    await db.deleteFrom('nodes').where('parent_id', '=', folder.id).execute();
  });

  test('a first page reads only its limit of rows, though it unites the folders and files ranges', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'both kinds' });
    for (const name of ['a', 'b', 'c']) {
      await createFolderVia(testApp.app, user, { name, parentId: folder.id });
      await uploadOne(testApp.app, user, {
        name: `${name}.txt`,
        content: name,
        folderId: folder.id,
      });
    }
    const rows = await childrenPageQuery(testApp.context.database.db, {
      parentId: folder.id,
      inFolders: true,
      sort: 'name',
      order: 'asc',
      after: null,
      limit: 4,
      sharedBy: user.userId,
    }).execute();
    expect(rows.map((row) => row.name)).toEqual(['a', 'b', 'c', 'a.txt']);
  });
});
