import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createPersonalToken } from '../auth/auth.test-utils.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, uploadOne } from '../nodes/nodes.test-utils.js';

let testApp: TestApp;
let fixtures: Fixtures;
let user: FixtureUser;
beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  user = await fixtures.newUser();
});
afterAll(() => testApp.close());

describe('search', () => {
  test('finds names by prefix across folders, case- and NFC-insensitively, with paths and pages', async () => {
    const a = await createFolderVia(testApp.app, user, { name: 'Reports' });
    const b = await createFolderVia(testApp.app, user, { name: '2026', parentId: a.id });
    await uploadOne(testApp.app, user, { name: 'Été report.txt', content: '1', folderId: b.id });
    await uploadOne(testApp.app, user, { name: 'ete-plan.txt', content: '2' });
    await uploadOne(testApp.app, user, { name: 'unrelated.txt', content: '3' });
    await uploadOne(testApp.app, user, { name: 'readme.md', content: '4', folderId: b.id });
    const search = (query: string) =>
      testApp.app.inject({ method: 'GET', url: `/api/search?${query}`, headers: user.headers });

    const first = await search(`q=${encodeURIComponent('E\u0301TÉ')}&limit=1`);
    const body = first.json<{
      items: (NodeDto & { path: { name: string }[] })[];
      nextCursor: string | null;
    }>();
    expect(body.items.map((item) => [item.name, item.path.map((p) => p.name)])).toEqual([
      ['Été report.txt', ['Reports', '2026']],
    ]);
    expect(body.nextCursor).toBeNull();
    const ete = await search('q=ete');
    expect(ete.json<{ items: NodeDto[] }>().items.map((item) => item.name)).toEqual([
      'ete-plan.txt',
    ]);
    const paged = await search('q=r&limit=1');
    const next = paged.json<{ nextCursor: string }>().nextCursor;
    expect(next).toBeTruthy();
    const second = await search(`q=r&cursor=${next}`);
    const names = [paged, second].flatMap((r) =>
      r.json<{ items: NodeDto[] }>().items.map((i) => i.name),
    );
    expect(names).toEqual(['readme.md', 'Reports']);
    expect((await search('q=r&cursor=bad')).statusCode).toBe(400);
    // Input PostgreSQL cannot store is the client's 400, never a 500.
    const nulCursor = Buffer.from(
      JSON.stringify({ k: 'r\u0000', i: '0190a000-0000-7000-8000-000000000000' }),
    ).toString('base64url');
    for (const query of ['q=%00', 'q=a%00b', `q=r&cursor=${nulCursor}`]) {
      const response = await search(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect((await search('q=%25')).json()).toEqual({ items: [], nextCursor: null });
  });

  test('a read-only token can list and search but not write', async () => {
    const token = await createPersonalToken(testApp.app, user, ['read']);
    const headers = { authorization: `Bearer ${token}` };
    expect(
      (await testApp.app.inject({ method: 'GET', url: '/api/search?q=a', headers })).statusCode,
    ).toBe(200);
    const write = await testApp.app.inject({
      method: 'POST',
      url: '/api/folders',
      headers,
      payload: { name: 'no' },
    });
    expect(write.statusCode).toBe(403);
  });
});
