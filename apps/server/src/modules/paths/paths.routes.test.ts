import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
let tree: Record<string, NodeDto>;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
  tree = await fixtures.newTree(user, { Photos: { '2026': { 'Plage été.jpg': 'jpg' } } });
});
afterAll(() => testApp.close());

const byPath = (path: string, headers: Record<string, string> = user.headers) =>
  testApp.app.inject({
    method: 'GET',
    url: `/api/nodes/by-path?path=${encodeURIComponent(path)}`,
    headers,
  });

const mkdir = (payload: object) =>
  testApp.app.inject({ method: 'POST', url: '/api/folders', headers: user.headers, payload });

describe('GET /api/nodes/by-path', () => {
  test('a file by its path, with the folders on the way; names compared case-insensitively', async () => {
    const response = await byPath('/photos/2026/PLAGE ÉTÉ.jpg');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: tree['Photos/2026/Plage été.jpg']?.id,
      kind: 'file',
      name: 'Plage été.jpg',
      path: [
        { id: tree.Photos?.id, name: 'Photos' },
        { id: tree['Photos/2026']?.id, name: '2026' },
      ],
    });
  });

  test('"/" is the root folder; a trailing slash is the same folder', async () => {
    expect((await byPath('/')).json()).toMatchObject({ id: user.rootId, path: [] });
    expect((await byPath('/Photos/')).json()).toMatchObject({ id: tree.Photos?.id });
  });

  test('a missing path, or a name under a file, is 404', async () => {
    expect((await byPath('/Photos/nope')).statusCode).toBe(404);
    expect((await byPath('/Photos/2026/Plage été.jpg/below')).statusCode).toBe(404);
  });

  test('another user sees only their own tree', async () => {
    const other = await fixtures.newUser();
    expect((await byPath('/Photos', other.headers)).statusCode).toBe(404);
  });

  test('".." and "." are refused (400 naming the path), never resolved', async () => {
    for (const path of ['/Photos/../Photos', '/./Photos']) {
      const response = await byPath(path);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_request', field: 'path' } });
    }
  });

  test('signed out: 401', async () => {
    expect((await byPath('/', {})).statusCode).toBe(401);
  });
});

describe('POST /api/folders with parents: true (mkdir -p)', () => {
  test('creates what is missing (201), reuses what exists, and answers 200 the second time', async () => {
    const first = await mkdir({ name: 'Photos/2027/Jan', parents: true });
    expect(first.statusCode).toBe(201);
    const jan = first.json<NodeDto>();
    const made = (await byPath('/Photos/2027/Jan')).json<NodeDto & { path: { id: string }[] }>();
    expect(made.id).toBe(jan.id);
    expect(made.path[0]?.id).toBe(tree.Photos?.id);

    const again = await mkdir({ name: '/photos/2027/jan/', parents: true });
    expect(again.statusCode).toBe(200);
    expect(again.json<NodeDto>().id).toBe(jan.id);
  });

  test('relative to parentId; a file in the way is 409 name_conflict', async () => {
    const response = await mkdir({
      name: '2026/Plage été.jpg/x',
      parentId: tree.Photos?.id,
      parents: true,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'name_conflict' } });
  });

  test('without parents a slash is still refused', async () => {
    expect((await mkdir({ name: 'a/b' })).statusCode).toBe(400);
    expect((await mkdir({ name: 'a/../b', parents: true })).statusCode).toBe(400);
  });
});
