import type { CreatedLinkDto, LinkUrlDto, NodeDto, ShareLinkDto } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rotateKeyRingFile } from '../../keys/key-ring.file.js';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createResealLinkTokensHandler } from './links.jobs.js';
import { openLinkToken } from './links.models.js';

let testApp: TestApp;
let owner: FixtureUser;
let editor: FixtureUser;
let viewer: FixtureUser;
let stranger: FixtureUser;
let folder: NodeDto;

const inject = (
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  headers: Record<string, string> = {},
  payload?: object,
) => testApp.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

const makeLink = async (body: object = { role: 'viewer' }) => {
  const response = await inject('POST', `/api/nodes/${folder.id}/links`, owner.headers, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<CreatedLinkDto>();
};

const linkRow = (id: string) =>
  testApp.context.database.db
    .selectFrom('share_links')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const listed = async (id: string) => {
  const list = await inject('GET', `/api/nodes/${folder.id}/links`, owner.headers);
  return list.json<{ items: ShareLinkDto[] }>().items.find((link) => link.id === id);
};

beforeAll(async () => {
  testApp = await createTestApp();
  const fixtures = fixturesOf(testApp.context);
  [owner, editor, viewer, stranger] = await Promise.all([
    fixtures.newUser(),
    fixtures.newUser(),
    fixtures.newUser(),
    fixtures.newUser(),
  ]);
  const tree = await fixtures.newTree(owner, { Shared: { 'a.txt': 'a' } });
  if (!tree.Shared) throw new Error('no tree');
  folder = tree.Shared;
  for (const [user, role] of [
    [editor, 'editor'],
    [viewer, 'viewer'],
  ] as const) {
    const shared = await inject('POST', `/api/nodes/${folder.id}/shares`, owner.headers, {
      email: user.email,
      role,
    });
    expect(shared.statusCode, shared.body).toBe(201);
  }
});
afterAll(() => testApp.close());

describe('copying a link again', () => {
  test('the owner gets the same token and URL back, uncached; the row holds it sealed only', async () => {
    const link = await makeLink();
    const again = await inject('GET', `/api/links/${link.id}/url`, owner.headers);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers['cache-control']).toBe('no-store');
    expect(again.json<LinkUrlDto>()).toEqual({ id: link.id, token: link.token, url: link.url });
    expect(link.copyable).toBe(true);
    expect((await listed(link.id))?.copyable).toBe(true);
    const row = await linkRow(link.id);
    expect(row.token_kid).toBe(testApp.context.keys.current().current.kid);
    expect(JSON.stringify(row)).not.toContain(link.token);
    // The list never carries the token itself.
    const list = await inject('GET', `/api/nodes/${folder.id}/links`, owner.headers);
    expect(list.body).not.toContain(link.token);
  });

  test('anybody but the owner is told there is no such link: sharees, strangers, visitors', async () => {
    const link = await makeLink();
    for (const user of [editor, viewer, stranger]) {
      const response = await inject('GET', `/api/links/${link.id}/url`, user.headers);
      expect(response.statusCode, user.email).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
      expect(response.body).not.toContain(link.token);
    }
    expect((await inject('GET', `/api/links/${link.id}/url`)).statusCode).toBe(401);
    // The link's own visitor holds its token, and still nothing on the owner's API.
    const visitor = await inject('GET', `/api/links/${link.id}/url`, {
      cookie: `mf_link=${link.token}`,
    });
    expect(visitor.statusCode).toBe(401);
    for (const id of ['01890000-0000-7000-8000-000000000000', 'not-a-uuid']) {
      expect((await inject('GET', `/api/links/${id}/url`, owner.headers)).statusCode).toBe(404);
    }
  });

  test('a link made before tokens were kept says so (409), and still opens', async () => {
    const link = await makeLink();
    // What migration 0014 leaves on rows made before it.
    await testApp.context.database.db
      .updateTable('share_links')
      .set({ token_sealed: null, token_kid: null })
      .where('id', '=', link.id)
      .execute();
    expect((await listed(link.id))?.copyable).toBe(false);
    const response = await inject('GET', `/api/links/${link.id}/url`, owner.headers);
    expect(response.statusCode).toBe(409);
    const { error } = response.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('link_not_copyable');
    expect(error.message).toContain('make a new link');
    expect((await inject('GET', `/api/s/${link.token}`)).statusCode).toBe(200);
  });

  test("a sealed token moved onto another link's row opens nothing; nor one whose key is gone", async () => {
    const [first, second, third] = [await makeLink(), await makeLink(), await makeLink()];
    const db = testApp.context.database.db;
    const firstRow = await linkRow(first.id);
    await db
      .updateTable('share_links')
      .set({ token_sealed: firstRow.token_sealed, token_kid: firstRow.token_kid })
      .where('id', '=', second.id)
      .execute();
    await db
      .updateTable('share_links')
      .set({ token_kid: 'a-key-that-left-the-ring' })
      .where('id', '=', third.id)
      .execute();
    for (const id of [second.id, third.id]) {
      const response = await inject('GET', `/api/links/${id}/url`, owner.headers);
      expect(response.statusCode).toBe(409);
      expect(response.body).not.toContain(first.token);
    }
  });

  test('revoking drops the sealed token: 410 link_expired, not copyable', async () => {
    const link = await makeLink();
    await inject('DELETE', `/api/links/${link.id}`, owner.headers);
    const row = await linkRow(link.id);
    expect([row.token_sealed, row.token_kid]).toEqual([null, null]);
    expect((await listed(link.id))?.copyable).toBe(false);
    const response = await inject('GET', `/api/links/${link.id}/url`, owner.headers);
    expect(response.statusCode).toBe(410);
    expect(response.json()).toMatchObject({ error: { code: 'link_expired' } });
  });
});

describe('resealing under the newest key', () => {
  test('after a rotation every live token moves to the new key and still copies', async () => {
    const links = [await makeLink(), await makeLink({ role: 'uploader' })];
    const oldKid = testApp.context.keys.current().current.kid;
    await rotateKeyRingFile(testApp.dataDir);
    const ring = await testApp.context.keys.reload();
    expect(ring.current.kid).not.toBe(oldKid);
    const run = createResealLinkTokensHandler({
      db: testApp.context.database.db,
      ring: () => testApp.context.keys.current(),
    });
    const context = {
      jobId: 'test',
      attempt: 1,
      signal: new AbortController().signal,
      reportProgress: async () => {},
    };
    const result = (await run.run({}, context)) as { resealed: number };
    expect(result.resealed).toBeGreaterThanOrEqual(links.length);
    for (const link of links) {
      const row = await linkRow(link.id);
      expect(row.token_kid).toBe(ring.current.kid);
      expect(openLinkToken(ring, row)).toBe(link.token);
      const again = await inject('GET', `/api/links/${link.id}/url`, owner.headers);
      expect(again.json<LinkUrlDto>().token).toBe(link.token);
    }
    // A second run finds nothing to do; a token under an unknown key is left, not dropped.
    const unknown = await makeLink();
    await testApp.context.database.db
      .updateTable('share_links')
      .set({ token_kid: 'unknown-kid' })
      .where('id', '=', unknown.id)
      .execute();
    expect(await run.run({}, context)).toMatchObject({ resealed: 0 });
    expect((await linkRow(unknown.id)).token_kid).toBe('unknown-kid');
  });
});
