import type { CreatedLinkDto, NodeDto, ShareDto } from '@myfile/contract';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { multipartBody } from '../nodes/nodes.test-utils.js';

/**
 * Who may do what, asserted against the running app from one table: each row is a route (as the
 * OpenAPI document names it) and the status every kind of caller gets. A people share or a link
 * on a folder reaches a file inside it. User roles call the signed-in API with their session;
 * link roles call the link's routes with its token, and the signed-in API with nothing else (the
 * link opens nothing there: 401). `null` is a cell that does not exist (a user has no token to
 * put in a link route; anonymous is the unknown token there).
 */
const userRoles = ['owner', 'editor', 'viewer', 'stranger', 'revoked', 'anonymous'] as const;
const linkRoles = ['viewerLink', 'uploaderLink', 'expiredLink', 'revokedLink'] as const;
const roles = [...userRoles, ...linkRoles] as const;
type Role = (typeof roles)[number];
type Expected = Record<Role, number | null>;

type World = {
  app: TestApp['app'];
  fixtures: Fixtures;
  users: Record<(typeof userRoles)[number], FixtureUser | null>;
  owner: FixtureUser;
  folder: NodeDto;
  file: NodeDto;
  tokens: Record<(typeof linkRoles)[number], string>;
};

type Row = {
  route: string;
  expected: Expected;
  /** The request for `role`; link rows get the link's token (a made-up one for anonymous). */
  request: (world: World, role: Role, token: string) => Promise<InjectOptions>;
};

// Shorthands: the same answer for every link role on a signed-in route.
const signedInOnly = (cells: Record<(typeof userRoles)[number], number>): Expected => ({
  ...cells,
  viewerLink: 401,
  uploaderLink: 401,
  expiredLink: 401,
  revokedLink: 401,
});
const linkOnly = (
  cells: Record<(typeof linkRoles)[number], number> & { anonymous: number },
): Expected => ({
  owner: null,
  editor: null,
  viewer: null,
  stranger: null,
  revoked: null,
  ...cells,
});

const upload = (url: string) => {
  const { payload, contentType } = multipartBody([{ name: 'm.txt', content: 'matrix' }]);
  return { method: 'POST' as const, url, payload, contentType };
};

/** A fresh file in the shared folder, for rows that change or remove it. */
const freshFile = async (world: World) =>
  world.fixtures.newFile(world.owner, {
    name: `f-${Math.random().toString(36).slice(2)}.txt`,
    content: 'x',
    folderId: world.folder.id,
  });

const freshShare = async (world: World) => {
  const response = await world.app.inject({
    method: 'POST',
    url: `/api/nodes/${world.folder.id}/shares`,
    headers: world.owner.headers,
    payload: { email: `m-${Math.random().toString(36).slice(2)}@example.com`, role: 'viewer' },
  });
  return response.json<ShareDto>();
};

const freshLink = async (world: World) => {
  const response = await world.app.inject({
    method: 'POST',
    url: `/api/nodes/${world.folder.id}/links`,
    headers: world.owner.headers,
    payload: { role: 'viewer' },
  });
  return response.json<CreatedLinkDto>();
};

const table: Row[] = [
  {
    route: 'GET /api/folders/{id}/children',
    expected: signedInOnly({
      owner: 200,
      editor: 200,
      viewer: 200,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'GET', url: `/api/folders/${w.folder.id}/children` }),
  },
  {
    route: 'GET /api/files/{id}/content',
    expected: signedInOnly({
      owner: 200,
      editor: 200,
      viewer: 200,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'GET', url: `/api/files/${w.file.id}/content` }),
  },
  {
    route: 'GET /api/folders/{id}/zip',
    expected: signedInOnly({
      owner: 200,
      editor: 200,
      viewer: 200,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'GET', url: `/api/folders/${w.folder.id}/zip` }),
  },
  {
    route: 'POST /api/folders/{id}/files',
    expected: signedInOnly({
      owner: 201,
      editor: 201,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => upload(`/api/folders/${w.folder.id}/files`),
  },
  {
    route: 'POST /api/folders',
    expected: signedInOnly({
      owner: 201,
      editor: 201,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({
      method: 'POST',
      url: '/api/folders',
      payload: { name: `d-${Math.random().toString(36).slice(2)}`, parentId: w.folder.id },
    }),
  },
  {
    route: 'PATCH /api/files/{id}',
    expected: signedInOnly({
      owner: 200,
      editor: 200,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({
      method: 'PATCH',
      url: `/api/files/${(await freshFile(w)).id}`,
      payload: { name: `r-${Math.random().toString(36).slice(2)}.txt` },
    }),
  },
  {
    route: 'DELETE /api/files/{id}',
    expected: signedInOnly({
      owner: 204,
      editor: 204,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'DELETE', url: `/api/files/${(await freshFile(w)).id}` }),
  },
  {
    route: 'POST /api/nodes/{id}/shares',
    expected: signedInOnly({
      owner: 201,
      editor: 403,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({
      method: 'POST',
      url: `/api/nodes/${w.folder.id}/shares`,
      payload: { email: `x-${Math.random().toString(36).slice(2)}@example.com`, role: 'viewer' },
    }),
  },
  {
    route: 'GET /api/nodes/{id}/shares',
    expected: signedInOnly({
      owner: 200,
      editor: 403,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'GET', url: `/api/nodes/${w.folder.id}/shares` }),
  },
  {
    route: 'PATCH /api/shares/{id}',
    expected: signedInOnly({
      owner: 200,
      editor: 403,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({
      method: 'PATCH',
      url: `/api/shares/${(await freshShare(w)).id}`,
      payload: { role: 'editor' },
    }),
  },
  {
    route: 'DELETE /api/shares/{id}',
    expected: signedInOnly({
      owner: 204,
      editor: 403,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'DELETE', url: `/api/shares/${(await freshShare(w)).id}` }),
  },
  {
    route: 'GET /api/shared-with-me',
    expected: signedInOnly({
      owner: 200,
      editor: 200,
      viewer: 200,
      stranger: 200,
      revoked: 200,
      anonymous: 401,
    }),
    request: async () => ({ method: 'GET', url: '/api/shared-with-me' }),
  },
  {
    route: 'GET /api/shared-by-me',
    expected: signedInOnly({
      owner: 200,
      editor: 200,
      viewer: 200,
      stranger: 200,
      revoked: 200,
      anonymous: 401,
    }),
    request: async () => ({ method: 'GET', url: '/api/shared-by-me' }),
  },
  {
    route: 'POST /api/nodes/{id}/links',
    expected: signedInOnly({
      owner: 201,
      editor: 403,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({
      method: 'POST',
      url: `/api/nodes/${w.folder.id}/links`,
      payload: { role: 'viewer' },
    }),
  },
  {
    route: 'GET /api/nodes/{id}/links',
    expected: signedInOnly({
      owner: 200,
      editor: 403,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'GET', url: `/api/nodes/${w.folder.id}/links` }),
  },
  {
    // Copying a link again hands out its token: sharees are told there is no such link.
    route: 'GET /api/links/{id}/url',
    expected: signedInOnly({
      owner: 200,
      editor: 404,
      viewer: 404,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'GET', url: `/api/links/${(await freshLink(w)).id}/url` }),
  },
  {
    route: 'DELETE /api/links/{id}',
    expected: signedInOnly({
      owner: 200,
      editor: 403,
      viewer: 403,
      stranger: 404,
      revoked: 404,
      anonymous: 401,
    }),
    request: async (w) => ({ method: 'DELETE', url: `/api/links/${(await freshLink(w)).id}` }),
  },
  {
    route: 'GET /api/s/{token}',
    expected: linkOnly({
      viewerLink: 200,
      uploaderLink: 200,
      expiredLink: 410,
      revokedLink: 410,
      anonymous: 404,
    }),
    request: async (_w, _role, token) => ({ method: 'GET', url: `/api/s/${token}` }),
  },
  {
    route: 'POST /api/s/{token}/unlock',
    // None of these links has a password: asking to unlock one is a bad request.
    expected: linkOnly({
      viewerLink: 400,
      uploaderLink: 400,
      expiredLink: 410,
      revokedLink: 410,
      anonymous: 404,
    }),
    request: async (_w, _role, token) => ({
      method: 'POST',
      url: `/api/s/${token}/unlock`,
      payload: { password: 'whatever it is' },
    }),
  },
  {
    route: 'GET /api/s/{token}/folders/{id}/children',
    expected: linkOnly({
      viewerLink: 200,
      uploaderLink: 403,
      expiredLink: 410,
      revokedLink: 410,
      anonymous: 404,
    }),
    request: async (w, _role, token) => ({
      method: 'GET',
      url: `/api/s/${token}/folders/${w.folder.id}/children`,
    }),
  },
  {
    route: 'GET /api/s/{token}/files/{id}/content',
    expected: linkOnly({
      viewerLink: 200,
      uploaderLink: 403,
      expiredLink: 410,
      revokedLink: 410,
      anonymous: 404,
    }),
    request: async (w, _role, token) => ({
      method: 'GET',
      url: `/api/s/${token}/files/${w.file.id}/content`,
    }),
  },
  {
    route: 'GET /api/s/{token}/folders/{id}/zip',
    expected: linkOnly({
      viewerLink: 200,
      uploaderLink: 403,
      expiredLink: 410,
      revokedLink: 410,
      anonymous: 404,
    }),
    request: async (w, _role, token) => ({
      method: 'GET',
      url: `/api/s/${token}/folders/${w.folder.id}/zip`,
    }),
  },
  {
    route: 'POST /api/s/{token}/folders/{id}/files',
    expected: linkOnly({
      viewerLink: 403,
      uploaderLink: 201,
      expiredLink: 410,
      revokedLink: 410,
      anonymous: 404,
    }),
    request: async (w, _role, token) => upload(`/api/s/${token}/folders/${w.folder.id}/files`),
  },
];

/** Every operation of these families must have a row: a new sharing route without one fails. */
const COVERED_PREFIXES = [
  '/api/nodes/{id}/shares',
  '/api/nodes/{id}/links',
  '/api/shares',
  '/api/shared-with-me',
  '/api/shared-by-me',
  '/api/links',
  '/api/s/',
];

let testApp: TestApp;
let world: World;

beforeAll(async () => {
  testApp = await createTestApp();
  const fixtures = fixturesOf(testApp.context);
  const owner = await fixtures.newUser();
  const [editor, viewer, stranger, revoked] = await Promise.all([
    fixtures.newUser(),
    fixtures.newUser(),
    fixtures.newUser(),
    fixtures.newUser(),
  ]);
  if (!editor || !viewer || !stranger || !revoked) throw new Error('no users');
  const tree = await fixtures.newTree(owner, { Shared: { 'f.txt': 'shared bytes' } });
  const folder = tree.Shared;
  const file = tree['Shared/f.txt'];
  if (!folder || !file) throw new Error('no tree');
  const call = (url: string, payload: object) =>
    testApp.app.inject({ method: 'POST', url, headers: owner.headers, payload });
  await call(`/api/nodes/${folder.id}/shares`, { email: editor.email, role: 'editor' });
  await call(`/api/nodes/${folder.id}/shares`, { email: viewer.email, role: 'viewer' });
  const gone = (
    await call(`/api/nodes/${folder.id}/shares`, { email: revoked.email, role: 'editor' })
  ).json<ShareDto>();
  await testApp.app.inject({
    method: 'DELETE',
    url: `/api/shares/${gone.id}`,
    headers: owner.headers,
  });
  const link = async (body: object) =>
    (await call(`/api/nodes/${folder.id}/links`, body)).json<CreatedLinkDto>();
  const viewerLink = await link({ role: 'viewer' });
  const uploaderLink = await link({ role: 'uploader' });
  const expiredLink = await link({
    role: 'viewer',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  });
  await testApp.context.database.db
    .updateTable('share_links')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('id', '=', expiredLink.id)
    .execute();
  const revokedLink = await link({ role: 'viewer' });
  await testApp.app.inject({
    method: 'DELETE',
    url: `/api/links/${revokedLink.id}`,
    headers: owner.headers,
  });
  world = {
    app: testApp.app,
    fixtures,
    users: { owner, editor, viewer, stranger, revoked, anonymous: null },
    owner,
    folder,
    file,
    tokens: {
      viewerLink: viewerLink.token,
      uploaderLink: uploaderLink.token,
      expiredLink: expiredLink.token,
      revokedLink: revokedLink.token,
    },
  };
});
afterAll(() => testApp.close());

const isLinkRole = (role: Role): role is (typeof linkRoles)[number] =>
  (linkRoles as readonly string[]).includes(role);

describe('the authorization matrix', () => {
  test('every sharing route in the OpenAPI document has a row', async () => {
    const document = (await testApp.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const all = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const sharing = all.filter((route) =>
      COVERED_PREFIXES.some((prefix) => route.split(' ')[1]?.startsWith(prefix)),
    );
    const rows = new Set(table.map((row) => row.route));
    expect(sharing.filter((route) => !rows.has(route))).toEqual([]);
    // And no row names a route that does not exist.
    expect([...rows].filter((route) => !all.includes(route))).toEqual([]);
  });

  test.each(table.map((row) => [row.route, row] as const))('%s', async (_route, row) => {
    const got: Partial<Record<Role, number | null>> = {};
    for (const role of roles) {
      if (row.expected[role] === null) {
        got[role] = null;
        continue;
      }
      const token = isLinkRole(role) ? world.tokens[role] : 'a'.repeat(43);
      const options = await row.request(world, role, token);
      const user = isLinkRole(role) ? null : world.users[role];
      const { contentType, ...rest } = options as InjectOptions & { contentType?: string };
      const response = await testApp.app.inject({
        ...rest,
        headers: {
          ...(user ? user.headers : {}),
          ...(contentType ? { 'content-type': contentType } : {}),
        },
      });
      got[role] = response.statusCode;
    }
    expect(got).toEqual(row.expected);
  });
});
