import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, listAll, signUp } from '../nodes/nodes.test-utils.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
});
afterAll(() => testApp.close());

const post = (url: string, payload: object, headers = user.headers) =>
  testApp.app.inject({ method: 'POST', url, headers, payload });

describe('folders', () => {
  test('a new account has a root folder; folders nest and show their breadcrumb', async () => {
    // Signed up through the routes: its root folder is made on first use.
    const newcomer = await signUp(testApp.app);
    const root = await testApp.app.inject({
      method: 'GET',
      url: '/api/folders/root',
      headers: newcomer.headers,
    });
    expect(root.statusCode).toBe(200);
    expect(root.json()).toMatchObject({ kind: 'folder', parentId: null, breadcrumb: [] });
    const a = await createFolderVia(testApp.app, newcomer, { name: 'Projects' });
    const b = await createFolderVia(testApp.app, newcomer, { name: '2026', parentId: a.id });
    const got = await testApp.app.inject({
      method: 'GET',
      url: `/api/folders/${b.id}`,
      headers: newcomer.headers,
    });
    expect(got.json()).toMatchObject({
      id: b.id,
      name: '2026',
      breadcrumb: [{ id: a.id, name: 'Projects' }],
    });
  });

  test.each([
    ['a/b'],
    ['..'],
    ['.'],
    [''],
    ['bad\u0000name'],
    ['tab\tname'],
    ['line\r\nbreak'],
    ['trailing.'],
    ['trailing '],
    ['x'.repeat(256)],
    ['é'.repeat(128)],
    ['../../etc/passwd'],
    ['evil\u202Etxt.exe'],
    ['re\u200bport'],
    ['\uFEFFbom'],
    ['soft\u00ADhyphen'],
  ])('the name %j is refused with 400 invalid_request', async (name) => {
    const response = await post('/api/folders', { name });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request', field: 'name' } });
  });

  test('names are unique among siblings after NFC and case folding', async () => {
    const parent = await createFolderVia(testApp.app, user, { name: 'twins' });
    await createFolderVia(testApp.app, user, { name: 'Caf\u00e9', parentId: parent.id });
    for (const twin of ['Cafe\u0301', 'CAF\u00c9', 'caf\u00e9', 'CAFE\u0301']) {
      const response = await post('/api/folders', { name: twin, parentId: parent.id });
      expect(response.statusCode, twin).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'name_conflict' } });
    }
    await createFolderVia(testApp.app, user, { name: 'Stra\u00dfe', parentId: parent.id });
    expect((await post('/api/folders', { name: 'STRASSE', parentId: parent.id })).statusCode).toBe(
      409,
    );
  });

  test('concurrent creation of the same name: exactly one wins', async () => {
    const parent = await createFolderVia(testApp.app, user, { name: 'race' });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        post('/api/folders', { name: i % 2 ? 'Same' : 'same', parentId: parent.id }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(await listAll(testApp.app, user, { folderId: parent.id })).toHaveLength(1);
  });

  test('rename, move, and no cycles', async () => {
    const a = await createFolderVia(testApp.app, user, { name: 'move-a' });
    const b = await createFolderVia(testApp.app, user, { name: 'move-b', parentId: a.id });
    const patch = (id: string, payload: object) =>
      testApp.app.inject({
        method: 'PATCH',
        url: `/api/folders/${id}`,
        headers: user.headers,
        payload,
      });
    expect((await patch(a.id, { parentId: b.id })).json()).toMatchObject({
      error: { code: 'conflict' },
    });
    expect((await patch(a.id, { parentId: a.id })).statusCode).toBe(409);
    const renamed = await patch(b.id, { name: 'renamed' });
    expect(renamed.json()).toMatchObject({ name: 'renamed', parentId: a.id });
    const moved = await patch(b.id, { parentId: 'root' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json<NodeDto>().parentId).not.toBe(a.id);
  });

  test('DELETE of a non-empty folder is 409 folder_not_empty unless recursive; empty trashes the contents', async () => {
    const folder = await createFolderVia(testApp.app, user, { name: 'full' });
    await createFolderVia(testApp.app, user, { name: 'child', parentId: folder.id });
    const del = (query = '') =>
      testApp.app.inject({
        method: 'DELETE',
        url: `/api/folders/${folder.id}${query}`,
        headers: user.headers,
      });
    expect((await del()).json()).toMatchObject({ error: { code: 'folder_not_empty' } });
    const emptied = await post(`/api/folders/${folder.id}/empty`, {});
    expect(emptied.json()).toEqual({ trashed: 1 });
    expect((await del()).statusCode).toBe(204);

    const other = await createFolderVia(testApp.app, user, { name: 'full2' });
    await createFolderVia(testApp.app, user, { name: 'child', parentId: other.id });
    const recursive = await testApp.app.inject({
      method: 'DELETE',
      url: `/api/folders/${other.id}?recursive=true`,
      headers: user.headers,
    });
    expect(recursive.statusCode).toBe(204);
  });

  test('unauthenticated requests are 401; cookie requests without CSRF are 403', async () => {
    expect((await testApp.app.inject({ method: 'GET', url: '/api/folders/root' })).statusCode).toBe(
      401,
    );
    const noCsrf = await testApp.app.inject({
      method: 'POST',
      url: '/api/folders',
      headers: { cookie: user.cookieHeader },
      payload: { name: 'x' },
    });
    expect(noCsrf.json()).toMatchObject({ error: { code: 'csrf_invalid' } });
  });
});
