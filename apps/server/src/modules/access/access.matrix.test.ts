import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { BulkResult, CreatedLinkDto, ShareDto } from '@myfile/contract';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_PASSWORD } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { cookieHeaderOf, getPreSessionCsrf, randomTestIp } from '../auth/auth.test-utils.js';
import { openEventSocket, type TestSocket } from '../events/events.test-utils.js';
import {
  buildWorld,
  disposableHeaders,
  fingerprint,
  freshFile,
  freshVersion,
  freshFolder,
  freshTrashedFile,
  LINK_PASSWORD,
  linkRoles,
  randomEmail,
  randomName,
  roles,
  upload,
  userRoles,
  type Caller,
  type LinkRole,
  type MatrixRequest,
  type Role,
  type UserRole,
  type World,
} from './access.matrix.test-utils.js';

/**
 * The authorization matrix: every route of the OpenAPI document, and the event WebSocket, called
 * by every kind of caller against the running app, from one table. A cell is the status the
 * caller gets (for bulk routes, the item's outcome), or `null` where the call cannot exist (a
 * signed-in user holds no link token). Every refused call (4xx) must leave the database as it
 * was. A route in the document without a row fails the first test: a new route cannot be added
 * without saying who may call it.
 *
 * Runs on PGlite in `npm test` and on PostgreSQL, Redis and S3 under TEST_SERVICES=1.
 */
type Cell = number | string | null;
type Expected = Record<Role, Cell>;

type Row = {
  route: string;
  expected: Expected;
  request: (world: World, caller: Caller) => Promise<MatrixRequest>;
  /** What a cell records; the status unless a route answers per item. */
  outcome?: (response: LightMyRequestResponse) => Cell;
};

const PUBLIC_URL = 'http://localhost:3997';

// ——— Cell builders: the common shapes of a row, so a row states only what is particular to it.

const linkCells = (status: number): Record<LinkRole, number> =>
  Object.fromEntries(linkRoles.map((role) => [role, status])) as Record<LinkRole, number>;

/** Same answer for everybody (public routes). */
const everyone = (status: Cell): Expected =>
  Object.fromEntries(roles.map((role) => [role, status])) as Expected;

/** The caller's own account or collections: any signed-in user, whatever their shares. */
const ownAccount = (status: Cell): Expected => ({
  ...(Object.fromEntries(userRoles.map((role) => [role, status])) as Record<UserRole, Cell>),
  anonymous: 401,
  ...linkCells(401),
});

/**
 * An unsafe route of the caller's own browser session (sign out, sessions, tokens, password):
 * its CSRF check comes first, so a request with no session is 403 `csrf_invalid` before it is
 * anything else. Either way it is refused and changes nothing.
 */
const ownSession = (status: Cell): Expected => ({
  ...ownAccount(status),
  anonymous: 403,
  ...linkCells(403),
});

/** `ownerOnly` on an unsafe session-only route: the CSRF check answers for callers without one. */
const ownerOnlySession = (status: Cell): Expected => ({
  ...ownSession(404),
  owner: status,
});

/**
 * A signed-in route on one of the owner's nodes. Nobody without a share (a stranger, a revoked
 * sharee, a sharee of a trashed folder) learns it exists: 404. A link opens nothing here: 401.
 */
const onNode = (cells: {
  owner: Cell;
  editor: Cell;
  viewer: Cell;
  archivedEditor: Cell;
}): Expected => ({
  ...cells,
  stranger: 404,
  revoked: 404,
  trashedEditor: 404,
  anonymous: 401,
  ...linkCells(401),
});

/** Only the owner may; everyone else sees nothing (the target is not theirs to know of). */
const ownerOnly = (status: Cell): Expected =>
  onNode({ owner: status, editor: 404, viewer: 404, archivedEditor: 404 });

/** What stays the owner's (sharing, archive): sharees are refused, the rest do not see it. */
const manage = (owner: Cell): Expected =>
  onNode({ owner, editor: 403, viewer: 403, archivedEditor: 403 });

/**
 * A link visitor's route. Users have no token of their own; anonymous is a token nobody holds.
 * A password link is a viewer link once unlocked; locked, it is 401 until the password is sent.
 */
const byLink = (cells: {
  viewerLink: Cell;
  uploaderLink: Cell;
  lockedLink?: Cell;
  /** A link used on an id outside its subtree: nothing there exists for it. */
  stray?: Cell;
}): Expected => ({
  owner: null,
  editor: null,
  viewer: null,
  stranger: null,
  revoked: null,
  archivedEditor: null,
  trashedEditor: null,
  anonymous: 404,
  viewerLink: cells.viewerLink,
  passwordLink: cells.viewerLink,
  lockedLink: cells.lockedLink ?? 401,
  uploaderLink: cells.uploaderLink,
  expiredLink: 410,
  revokedLink: 410,
  strayViewerLink: cells.stray ?? 404,
  strayUploaderLink: cells.stray ?? 404,
});

/**
 * An administration route: the owner is the world's first account, so its administrator; every
 * other signed-in user is refused (403) whatever they share, and nobody signed out gets past
 * authentication (the guard runs before anything else of the route, so 401 for reads and writes).
 */
const adminOnly = (status: Cell): Expected => ({
  ...(Object.fromEntries(userRoles.map((role) => [role, 403])) as Record<UserRole, Cell>),
  owner: status,
  anonymous: 401,
  ...linkCells(401),
});

/** A failed job to retry (each call its own, so the owner's retry always finds one). */
const failedJob = async (world: World) => {
  const id = randomUUID();
  await world.context.database.db
    .insertInto('jobs')
    .values({
      id,
      name: 'matrix.failed',
      payload: '{}',
      status: 'failed',
      attempts: 1,
      run_at: new Date(),
    })
    .execute();
  return id;
};

const get = (url: string): MatrixRequest => ({ method: 'GET', url });
const post = (url: string, payload: object): MatrixRequest => ({ method: 'POST', url, payload });

/** A public auth form post: with the pre-session CSRF token a browser would fetch first. */
const authForm = async (world: World, url: string, payload: object): Promise<MatrixRequest> => {
  const pre = await getPreSessionCsrf(world.app);
  return {
    method: 'POST',
    url,
    payload,
    remoteAddress: randomTestIp(),
    headers: { cookie: cookieHeaderOf(pre.jar), 'x-csrf-token': pre.csrfToken },
  };
};

const tusCreate = (folderId: string): MatrixRequest => ({
  method: 'POST',
  url: '/api/uploads',
  headers: {
    'tus-resumable': '1.0.0',
    'upload-length': '4',
    'upload-metadata': `filename ${Buffer.from(randomName('t')).toString('base64')},folderId ${Buffer.from(folderId).toString('base64')}`,
  },
});

/** A tus upload the owner started in their shared folder; its URL path. */
const ownersUpload = async (world: World, caller: Caller) => {
  const request = tusCreate(
    caller.target.kind === 'live' ? caller.target.folder.id : world.owner.rootId,
  );
  const response = await world.app.inject({
    ...request,
    headers: { ...request.headers, ...world.owner.headers },
  });
  return new URL(String(response.headers.location), 'http://x').pathname;
};

const freshShare = async (world: World) =>
  (
    await world.app.inject({
      method: 'POST',
      url: `/api/nodes/${world.callers.owner.target.folder.id}/shares`,
      headers: world.owner.headers,
      payload: { email: randomEmail(), role: 'viewer' },
    })
  ).json<ShareDto>();

const freshLink = async (world: World) =>
  (
    await world.app.inject({
      method: 'POST',
      url: `/api/nodes/${world.callers.owner.target.folder.id}/links`,
      headers: world.owner.headers,
      payload: { role: 'viewer' },
    })
  ).json<CreatedLinkDto>();

/** A bulk route answers 200 and an outcome per item: the item's, as `ok` or its error code. */
const perItem = (response: LightMyRequestResponse): Cell => {
  if (response.statusCode !== 200) return response.statusCode;
  const [result] = response.json<BulkResult>().results;
  return result?.ok ? 'ok' : (result?.error?.code ?? 'no result');
};

const bulk = (cells: { owner: Cell; editor: Cell; viewer: Cell; archivedEditor: Cell }) => ({
  ...onNode(cells),
  stranger: 'not_found',
  revoked: 'not_found',
  trashedEditor: 'not_found',
});

const table: Row[] = [
  // ——— Public: health and the sign-in forms answer everybody alike.
  { route: 'GET /healthz', expected: everyone(200), request: async () => get('/healthz') },
  { route: 'GET /readyz', expected: everyone(200), request: async () => get('/readyz') },
  {
    route: 'GET /api/auth/csrf',
    expected: everyone(200),
    request: async () => get('/api/auth/csrf'),
  },
  {
    route: 'POST /api/auth/register',
    expected: everyone(201),
    request: async (w) =>
      authForm(w, '/api/auth/register', {
        email: randomEmail(),
        // A passphrase strong in itself: a random suffix alone is sometimes short enough to
        // be judged too easy to guess (Math.random().toString(36) drops trailing zeros).
        password: `matrix sign-up ${randomName('passphrase')}`,
      }),
  },
  {
    route: 'POST /api/auth/login',
    expected: everyone(200),
    request: async (w) =>
      authForm(w, '/api/auth/login', { email: w.owner.email, password: FIXTURE_PASSWORD }),
  },
  {
    route: 'POST /api/auth/verify-email',
    expected: everyone(400),
    request: async (w) =>
      authForm(w, '/api/auth/verify-email', { token: 'not-a-real-token-at-all' }),
  },
  {
    route: 'POST /api/auth/password/forgot',
    expected: everyone(202),
    request: async (w) => authForm(w, '/api/auth/password/forgot', { email: randomEmail() }),
  },
  {
    route: 'POST /api/auth/password/reset',
    expected: everyone(400),
    request: async (w) =>
      authForm(w, '/api/auth/password/reset', {
        token: 'not-a-real-token-at-all',
        newPassword: 'whatever it may be',
      }),
  },
  {
    route: 'POST /api/auth/refresh',
    expected: ownSession(200),
    request: async (w, c) => ({
      method: 'POST',
      url: '/api/auth/refresh',
      headers: await disposableHeaders(w, c),
    }),
  },
  {
    route: 'POST /api/auth/logout',
    expected: ownSession(200),
    request: async (w, c) => ({
      method: 'POST',
      url: '/api/auth/logout',
      headers: await disposableHeaders(w, c),
    }),
  },

  // ——— The caller's own account: any signed-in user; nobody else.
  {
    route: 'GET /api/auth/me',
    expected: ownAccount(200),
    request: async () => get('/api/auth/me'),
  },
  {
    route: 'POST /api/auth/password/change',
    expected: ownSession(200),
    request: async (w, c) => ({
      method: 'POST',
      url: '/api/auth/password/change',
      headers: await disposableHeaders(w, c),
      payload: { currentPassword: FIXTURE_PASSWORD, newPassword: `new ${randomName('pw')}` },
    }),
  },
  // ——— The account itself: browser sessions only.
  {
    route: 'POST /api/account/email',
    expected: ownAccount(202),
    request: async () => post('/api/account/email', { newEmail: randomEmail() }),
  },
  {
    route: 'POST /api/account/email/confirm',
    expected: everyone(400),
    request: async (w) =>
      authForm(w, '/api/account/email/confirm', { token: 'not-a-real-token-at-all' }),
  },
  {
    route: 'POST /api/account/delete',
    expected: ownAccount(202),
    request: async (w, c) => ({
      method: 'POST',
      url: '/api/account/delete',
      headers: await disposableHeaders(w, c),
      payload: { currentPassword: FIXTURE_PASSWORD },
    }),
  },
  {
    route: 'GET /api/account/export',
    expected: ownAccount(200),
    request: async () => get('/api/account/export'),
  },
  {
    route: 'GET /api/auth/events',
    expected: ownAccount(200),
    request: async () => get('/api/auth/events'),
  },
  {
    route: 'GET /api/auth/oidc/providers',
    expected: everyone(200),
    request: async () => get('/api/auth/oidc/providers'),
  },
  {
    route: 'GET /api/auth/oidc/identities',
    expected: ownAccount(200),
    request: async () => get('/api/auth/oidc/identities'),
  },
  {
    // No provider is configured here: a session gets past every guard to "no such provider".
    route: 'POST /api/auth/oidc/{provider}/link',
    expected: ownSession(404),
    request: async () => ({ method: 'POST', url: '/api/auth/oidc/keycloak/link' }),
  },
  {
    // Nobody's identity: every guard passes for a session, then "no such linked provider".
    route: 'POST /api/auth/oidc/identities/{id}/unlink',
    expected: ownSession(404),
    request: async () => post(`/api/auth/oidc/identities/${randomUUID()}/unlink`, {}),
  },
  {
    route: 'GET /api/auth/sessions',
    expected: ownAccount(200),
    request: async () => get('/api/auth/sessions'),
  },
  {
    route: 'DELETE /api/auth/sessions',
    expected: ownSession(200),
    request: async (w, c) => ({
      method: 'DELETE',
      url: '/api/auth/sessions',
      headers: await disposableHeaders(w, c),
    }),
  },
  {
    route: 'DELETE /api/auth/sessions/{id}',
    expected: ownerOnlySession(204),
    request: async (w) => ({
      method: 'DELETE',
      url: `/api/auth/sessions/${(await w.fixtures.newSession(w.owner)).sessionId}`,
    }),
  },
  {
    route: 'GET /api/auth/tokens',
    expected: ownAccount(200),
    request: async () => get('/api/auth/tokens'),
  },
  {
    route: 'POST /api/auth/tokens',
    expected: ownSession(201),
    request: async () => ({
      method: 'POST',
      url: '/api/auth/tokens',
      payload: { name: randomName('token'), scopes: ['read'], currentPassword: FIXTURE_PASSWORD },
    }),
  },
  {
    route: 'DELETE /api/auth/tokens/{id}',
    expected: ownerOnlySession(204),
    request: async (w) => {
      const created = await w.app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        headers: w.owner.headers,
        payload: { name: randomName('token'), scopes: ['read'], currentPassword: FIXTURE_PASSWORD },
      });
      return { method: 'DELETE', url: `/api/auth/tokens/${created.json<{ id: string }>().id}` };
    },
  },
  // ——— Second factors and recent authentication: the caller's own account, browser sessions only.
  {
    route: 'GET /api/auth/2fa',
    expected: ownAccount(200),
    request: async () => get('/api/auth/2fa'),
  },
  {
    route: 'POST /api/auth/2fa/totp/enrol',
    expected: ownSession(200),
    request: async () => post('/api/auth/2fa/totp/enrol', { currentPassword: FIXTURE_PASSWORD }),
  },
  {
    route: 'POST /api/auth/2fa/totp/confirm',
    expected: ownSession(403),
    request: async () =>
      post('/api/auth/2fa/totp/confirm', { code: '000000', currentPassword: FIXTURE_PASSWORD }),
  },
  {
    route: 'POST /api/auth/2fa/recovery-codes',
    expected: ownSession(409),
    request: async () =>
      post('/api/auth/2fa/recovery-codes', { currentPassword: FIXTURE_PASSWORD }),
  },
  {
    route: 'POST /api/auth/2fa/disable',
    expected: ownSession(409),
    request: async () =>
      post('/api/auth/2fa/disable', { password: FIXTURE_PASSWORD, code: '000000' }),
  },
  {
    route: 'POST /api/auth/login/second-factor',
    expected: everyone(401),
    request: async (w) =>
      authForm(w, '/api/auth/login/second-factor', {
        pendingToken: 'not-a-real-pending-token',
        code: '000000',
      }),
  },
  {
    route: 'GET /api/auth/reauth',
    expected: ownAccount(200),
    request: async () => get('/api/auth/reauth'),
  },
  {
    route: 'POST /api/auth/reauth',
    expected: ownSession(200),
    request: async () =>
      post('/api/auth/reauth', { method: 'password', password: FIXTURE_PASSWORD }),
  },
  {
    route: 'GET /api/auth/passkeys',
    expected: ownAccount(200),
    request: async () => get('/api/auth/passkeys'),
  },
  {
    route: 'POST /api/auth/passkeys/register/options',
    expected: ownSession(200),
    request: async () =>
      post('/api/auth/passkeys/register/options', { currentPassword: FIXTURE_PASSWORD }),
  },
  {
    route: 'POST /api/auth/passkeys',
    expected: ownSession(400),
    request: async () => post('/api/auth/passkeys', { name: 'key', response: {} }),
  },
  {
    route: 'PATCH /api/auth/passkeys/{id}',
    expected: ownSession(404),
    request: async () => ({
      method: 'PATCH',
      url: `/api/auth/passkeys/${randomUUID()}`,
      payload: { name: 'renamed', currentPassword: FIXTURE_PASSWORD },
    }),
  },
  {
    route: 'DELETE /api/auth/passkeys/{id}',
    expected: ownSession(404),
    request: async () => ({
      method: 'DELETE',
      url: `/api/auth/passkeys/${randomUUID()}`,
      payload: { currentPassword: FIXTURE_PASSWORD },
    }),
  },
  {
    route: 'POST /api/auth/passkeys/reauth/options',
    expected: ownSession(200),
    request: async () => post('/api/auth/passkeys/reauth/options', {}),
  },
  {
    route: 'POST /api/auth/login/passkey/options',
    expected: everyone(200),
    request: async (w) => authForm(w, '/api/auth/login/passkey/options', {}),
  },
  {
    route: 'POST /api/auth/login/passkey',
    expected: everyone(400),
    request: async (w) => authForm(w, '/api/auth/login/passkey', { response: {} }),
  },
  // ——— Administration: the instance's administrators only, browser sessions only.
  {
    route: 'GET /api/admin/users',
    expected: adminOnly(200),
    request: async () => get('/api/admin/users?q=example'),
  },
  {
    route: 'PUT /api/admin/users/{id}/quota',
    expected: adminOnly(200),
    request: async (w) => ({
      method: 'PUT',
      url: `/api/admin/users/${(await w.fixtures.newUser()).userId}/quota`,
      payload: { quotaBytes: 1_000_000 },
    }),
  },
  {
    route: 'POST /api/admin/users/{id}/disable',
    expected: adminOnly(200),
    request: async (w) =>
      post(`/api/admin/users/${(await w.fixtures.newUser()).userId}/disable`, {}),
  },
  {
    route: 'POST /api/admin/users/{id}/enable',
    expected: adminOnly(200),
    request: async (w) =>
      post(`/api/admin/users/${(await w.fixtures.newUser()).userId}/enable`, {}),
  },
  {
    route: 'POST /api/admin/users/{id}/password-reset',
    expected: adminOnly(202),
    request: async (w) =>
      post(`/api/admin/users/${(await w.fixtures.newUser()).userId}/password-reset`, {}),
  },
  {
    route: 'GET /api/admin/totals',
    expected: adminOnly(200),
    request: async () => get('/api/admin/totals'),
  },
  {
    route: 'GET /api/admin/jobs/failed',
    expected: adminOnly(200),
    request: async () => get('/api/admin/jobs/failed'),
  },
  {
    route: 'POST /api/admin/jobs/{id}/retry',
    expected: adminOnly(202),
    request: async (w) => post(`/api/admin/jobs/${await failedJob(w)}/retry`, {}),
  },
  { route: 'GET /api/trash', expected: ownAccount(200), request: async () => get('/api/trash') },
  {
    route: 'DELETE /api/trash',
    expected: ownAccount(204),
    request: async (w, c) => ({
      method: 'DELETE',
      url: '/api/trash',
      headers: await disposableHeaders(w, c),
    }),
  },
  {
    route: 'POST /api/trash/{id}/restore',
    expected: ownerOnly(200),
    request: async (w) => ({
      method: 'POST',
      url: `/api/trash/${(await freshTrashedFile(w)).id}/restore`,
    }),
  },
  {
    route: 'DELETE /api/trash/{id}',
    expected: ownerOnly(204),
    request: async (w) => ({
      method: 'DELETE',
      url: `/api/trash/${(await freshTrashedFile(w)).id}`,
    }),
  },
  {
    route: 'GET /api/search',
    expected: ownAccount(200),
    request: async () => get('/api/search?q=f'),
  },
  { route: 'GET /api/usage', expected: ownAccount(200), request: async () => get('/api/usage') },
  {
    route: 'GET /api/archive/tier',
    expected: ownAccount(200),
    request: async () => get('/api/archive/tier'),
  },
  { route: 'GET /api/jobs', expected: ownAccount(200), request: async () => get('/api/jobs') },
  {
    route: 'GET /api/jobs/{id}',
    expected: ownerOnly(200),
    request: async (w) => get(`/api/jobs/${w.ownerJobId}`),
  },
  { route: 'GET /api/stars', expected: ownAccount(200), request: async () => get('/api/stars') },
  { route: 'GET /api/recent', expected: ownAccount(200), request: async () => get('/api/recent') },
  {
    route: 'GET /api/shared-with-me',
    expected: ownAccount(200),
    request: async () => get('/api/shared-with-me'),
  },
  {
    route: 'GET /api/shared-by-me',
    expected: ownAccount(200),
    request: async () => get('/api/shared-by-me'),
  },

  // ——— Folders and files: the caller's role on the node decides.
  {
    route: 'POST /api/folders',
    expected: onNode({ owner: 201, editor: 201, viewer: 403, archivedEditor: 409 }),
    request: async (_w, c) => ({
      method: 'POST',
      url: '/api/folders',
      payload: { name: randomName('d'), parentId: c.target.folder.id },
    }),
  },
  {
    route: 'GET /api/folders/{id}',
    expected: onNode({ owner: 200, editor: 200, viewer: 200, archivedEditor: 200 }),
    request: async (_w, c) => get(`/api/folders/${c.target.folder.id}`),
  },
  {
    route: 'PATCH /api/folders/{id}',
    expected: onNode({ owner: 200, editor: 200, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => ({
      method: 'PATCH',
      url: `/api/folders/${(await freshFolder(w, c)).id}`,
      payload: { name: randomName('r') },
    }),
  },
  {
    route: 'DELETE /api/folders/{id}',
    expected: onNode({ owner: 204, editor: 204, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => ({
      method: 'DELETE',
      url: `/api/folders/${(await freshFolder(w, c)).id}?recursive=true`,
    }),
  },
  {
    route: 'POST /api/folders/{id}/empty',
    expected: onNode({ owner: 200, editor: 200, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => ({
      method: 'POST',
      url: `/api/folders/${(await freshFolder(w, c)).id}/empty`,
    }),
  },
  {
    route: 'GET /api/folders/{id}/children',
    expected: onNode({ owner: 200, editor: 200, viewer: 200, archivedEditor: 200 }),
    request: async (_w, c) => get(`/api/folders/${c.target.folder.id}/children`),
  },
  {
    // An archived folder zips too: a note file stands in for the cold bytes.
    route: 'GET /api/folders/{id}/zip',
    expected: onNode({ owner: 200, editor: 200, viewer: 200, archivedEditor: 200 }),
    request: async (_w, c) => get(`/api/folders/${c.target.folder.id}/zip`),
  },
  {
    // A path is read from the caller's own root: a sharee's tree has no `Shared` in it.
    route: 'GET /api/nodes/by-path',
    expected: onNode({ owner: 200, editor: 404, viewer: 404, archivedEditor: 404 }),
    request: async (_w, c) =>
      get(`/api/nodes/by-path?path=${encodeURIComponent(`/${c.target.folder.name}`)}`),
  },
  {
    route: 'POST /api/folders/{id}/archive',
    expected: manage(202),
    request: async (w, c) => ({
      method: 'POST',
      url: `/api/folders/${(await freshFolder(w, c)).id}/archive`,
    }),
  },
  {
    // The owner restores a folder of their own; a sharee tries the archived folder they reach.
    route: 'POST /api/folders/{id}/restore',
    expected: manage(202),
    request: async (w, c) => ({
      method: 'POST',
      url: `/api/folders/${(c.role === 'owner' ? w.restorable : c.target.folder).id}/restore`,
    }),
  },
  {
    route: 'GET /api/files/{id}',
    expected: onNode({ owner: 200, editor: 200, viewer: 200, archivedEditor: 200 }),
    request: async (_w, c) => get(`/api/files/${c.target.file.id}`),
  },
  {
    route: 'GET /api/nodes/{id}/activity',
    expected: onNode({ owner: 200, editor: 200, viewer: 200, archivedEditor: 200 }),
    request: async (_w, c) => get(`/api/nodes/${c.target.file.id}/activity`),
  },
  {
    route: 'GET /api/stars/in/{id}',
    // Only ever reads the caller's own star rows: the same answer shape for any folder id.
    expected: ownAccount(200),
    request: async (_w, c) => get(`/api/stars/in/${c.target.folder.id}`),
  },
  {
    route: 'GET /api/stars/{id}',
    // Only ever reads the caller's own star row: the same answer shape for any id.
    expected: ownAccount(200),
    request: async (_w, c) => get(`/api/stars/${c.target.file.id}`),
  },
  {
    route: 'PUT /api/stars/{id}',
    expected: onNode({ owner: 204, editor: 204, viewer: 204, archivedEditor: 204 }),
    request: async (_w, c) => ({ method: 'PUT', url: `/api/stars/${c.target.file.id}` }),
  },
  {
    route: 'DELETE /api/stars/{id}',
    // Only ever deletes the caller's own star row: the same 204 for any id, so nothing leaks.
    expected: ownAccount(204),
    request: async (_w, c) => ({ method: 'DELETE', url: `/api/stars/${c.target.file.id}` }),
  },
  {
    route: 'PATCH /api/files/{id}',
    expected: onNode({ owner: 200, editor: 200, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => ({
      method: 'PATCH',
      url: `/api/files/${(await freshFile(w, c)).id}`,
      payload: { name: `${randomName('r')}.txt` },
    }),
  },
  {
    route: 'DELETE /api/files/{id}',
    expected: onNode({ owner: 204, editor: 204, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => ({
      method: 'DELETE',
      url: `/api/files/${(await freshFile(w, c)).id}`,
    }),
  },
  {
    // A copy lands in the caller's own root and is theirs: viewers may copy too.
    route: 'POST /api/files/{id}/copy',
    expected: onNode({ owner: 201, editor: 201, viewer: 201, archivedEditor: 409 }),
    request: async (_w, c) => ({
      method: 'POST',
      url: `/api/files/${c.target.file.id}/copy`,
      payload: {
        name: `${randomName('c')}.txt`,
        targetFolderId: c.user?.rootId ?? c.target.folder.id,
      },
    }),
  },
  {
    // Read on the source is enough: the copy goes into the caller's own root.
    route: 'POST /api/folders/{id}/copy',
    expected: onNode({ owner: 202, editor: 202, viewer: 202, archivedEditor: 409 }),
    request: async (w, c) => ({
      method: 'POST',
      url: `/api/folders/${(await freshFolder(w, c)).id}/copy`,
      payload: { targetFolderId: c.user?.rootId ?? c.target.folder.id },
    }),
  },
  {
    route: 'GET /api/files/{id}/content',
    expected: onNode({ owner: 200, editor: 200, viewer: 200, archivedEditor: 409 }),
    request: async (_w, c) => get(`/api/files/${c.target.file.id}/content`),
  },
  {
    // Versions are an editor's tool: a viewer may not even list them (see versions/).
    route: 'GET /api/files/{id}/versions',
    expected: onNode({ owner: 200, editor: 200, viewer: 403, archivedEditor: 200 }),
    request: async (w, c) => get(`/api/files/${(await freshVersion(w, c)).fileId}/versions`),
  },
  {
    route: 'GET /api/files/{id}/versions/{versionId}/content',
    expected: onNode({ owner: 200, editor: 200, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => {
      const { fileId, versionId } = await freshVersion(w, c);
      return get(`/api/files/${fileId}/versions/${versionId}/content`);
    },
  },
  {
    route: 'POST /api/files/{id}/versions/{versionId}/restore',
    expected: onNode({ owner: 200, editor: 200, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => {
      const { fileId, versionId } = await freshVersion(w, c);
      return { method: 'POST', url: `/api/files/${fileId}/versions/${versionId}/restore` };
    },
  },
  {
    route: 'DELETE /api/files/{id}/versions/{versionId}',
    expected: onNode({ owner: 204, editor: 204, viewer: 403, archivedEditor: 409 }),
    request: async (w, c) => {
      const { fileId, versionId } = await freshVersion(w, c);
      return { method: 'DELETE', url: `/api/files/${fileId}/versions/${versionId}` };
    },
  },
  {
    route: 'GET /api/files/{id}/thumbnail',
    expected: onNode({ owner: 200, editor: 200, viewer: 200, archivedEditor: 200 }),
    request: async (_w, c) => get(`/api/files/${c.target.image.id}/thumbnail`),
  },
  {
    route: 'POST /api/folders/{id}/files',
    expected: onNode({ owner: 201, editor: 201, viewer: 403, archivedEditor: 409 }),
    request: async (_w, c) => upload(`/api/folders/${c.target.folder.id}/files`),
  },
  {
    route: 'POST /api/bulk/move',
    expected: bulk({
      owner: 'ok',
      editor: 'ok',
      viewer: 'forbidden',
      archivedEditor: 'folder_archived',
    }),
    request: async (w, c) => ({
      method: 'POST',
      url: '/api/bulk/move',
      payload: { ids: [(await freshFile(w, c)).id], targetFolderId: c.target.subfolder.id },
    }),
    outcome: perItem,
  },
  {
    route: 'POST /api/bulk/delete',
    expected: bulk({
      owner: 'ok',
      editor: 'ok',
      viewer: 'forbidden',
      archivedEditor: 'folder_archived',
    }),
    request: async (w, c) => ({
      method: 'POST',
      url: '/api/bulk/delete',
      payload: { ids: [(await freshFile(w, c)).id] },
    }),
    outcome: perItem,
  },

  // ——— Resumable uploads (tus): creating one needs upload rights on the folder; an upload is
  // its creator's alone afterwards.
  {
    route: 'OPTIONS /api/uploads',
    expected: everyone(204),
    request: async () => ({
      method: 'OPTIONS',
      url: '/api/uploads',
      headers: { 'tus-resumable': '1.0.0' },
    }),
  },
  {
    route: 'POST /api/uploads',
    expected: onNode({ owner: 201, editor: 201, viewer: 403, archivedEditor: 409 }),
    request: async (_w, c) => tusCreate(c.target.folder.id),
  },
  {
    route: 'HEAD /api/uploads/{uploadId}',
    expected: ownerOnly(200),
    request: async (w, c) => ({
      method: 'HEAD',
      url: await ownersUpload(w, c),
      headers: { 'tus-resumable': '1.0.0' },
    }),
  },
  {
    route: 'PATCH /api/uploads/{uploadId}',
    expected: ownerOnly(204),
    request: async (w, c) => ({
      method: 'PATCH',
      url: await ownersUpload(w, c),
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: Buffer.from('abcd'),
    }),
  },
  {
    // Clients that cannot send PATCH override the method on POST.
    route: 'POST /api/uploads/{uploadId}',
    expected: ownerOnly(204),
    request: async (w, c) => ({
      method: 'POST',
      url: await ownersUpload(w, c),
      headers: {
        'tus-resumable': '1.0.0',
        'x-http-method-override': 'PATCH',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      payload: Buffer.from('abcd'),
    }),
  },
  {
    route: 'DELETE /api/uploads/{uploadId}',
    expected: ownerOnly(204),
    request: async (w, c) => ({
      method: 'DELETE',
      url: await ownersUpload(w, c),
      headers: { 'tus-resumable': '1.0.0' },
    }),
  },

  // ——— Sharing: only the owner shares, lists and changes shares and links.
  {
    route: 'POST /api/nodes/{id}/shares',
    expected: manage(201),
    request: async (_w, c) => ({
      method: 'POST',
      url: `/api/nodes/${c.target.folder.id}/shares`,
      payload: { email: randomEmail(), role: 'viewer' },
    }),
  },
  {
    route: 'GET /api/nodes/{id}/shares',
    expected: manage(200),
    request: async (_w, c) => get(`/api/nodes/${c.target.folder.id}/shares`),
  },
  {
    // A share on `Shared`: the archived folder's sharee does not reach it.
    route: 'PATCH /api/shares/{id}',
    expected: { ...manage(200), archivedEditor: 404 },
    request: async (w) => ({
      method: 'PATCH',
      url: `/api/shares/${(await freshShare(w)).id}`,
      payload: { role: 'editor' },
    }),
  },
  {
    route: 'DELETE /api/shares/{id}',
    expected: { ...manage(204), archivedEditor: 404 },
    request: async (w) => ({ method: 'DELETE', url: `/api/shares/${(await freshShare(w)).id}` }),
  },
  {
    route: 'POST /api/nodes/{id}/links',
    expected: manage(201),
    request: async (_w, c) => ({
      method: 'POST',
      url: `/api/nodes/${c.target.folder.id}/links`,
      payload: { role: 'viewer' },
    }),
  },
  {
    route: 'GET /api/nodes/{id}/links',
    expected: manage(200),
    request: async (_w, c) => get(`/api/nodes/${c.target.folder.id}/links`),
  },
  {
    // Copying a link again hands out its token: sharees are told there is no such link.
    route: 'GET /api/links/{id}/url',
    expected: ownerOnly(200),
    request: async (w) => get(`/api/links/${(await freshLink(w)).id}/url`),
  },
  {
    route: 'DELETE /api/links/{id}',
    expected: { ...manage(200), archivedEditor: 404 },
    request: async (w) => ({ method: 'DELETE', url: `/api/links/${(await freshLink(w)).id}` }),
  },

  // ——— Link visitors: the token in the path is the credential, within the link's subtree.
  {
    route: 'GET /api/s/{token}',
    // No id in the path: a stray link is just its link here.
    expected: byLink({ viewerLink: 200, uploaderLink: 200, lockedLink: 200, stray: 200 }),
    request: async (_w, c) => get(`/api/s/${c.token}`),
  },
  {
    // The password visitor knows it; the locked one guesses wrong. A link without one: 400.
    route: 'POST /api/s/{token}/unlock',
    expected: {
      ...byLink({ viewerLink: 400, uploaderLink: 400, lockedLink: 401, stray: 400 }),
      passwordLink: 200,
    },
    request: async (_w, c) => ({
      method: 'POST',
      url: `/api/s/${c.token}/unlock`,
      remoteAddress: randomTestIp(),
      payload: { password: c.role === 'passwordLink' ? LINK_PASSWORD : 'a wrong guess' },
    }),
  },
  {
    route: 'GET /api/s/{token}/folders/{id}/children',
    expected: byLink({ viewerLink: 200, uploaderLink: 403 }),
    request: async (_w, c) => get(`/api/s/${c.token}/folders/${c.target.folder.id}/children`),
  },
  {
    route: 'GET /api/s/{token}/files/{id}/content',
    expected: byLink({ viewerLink: 200, uploaderLink: 403 }),
    request: async (_w, c) => get(`/api/s/${c.token}/files/${c.target.file.id}/content`),
  },
  {
    route: 'GET /api/s/{token}/folders/{id}/zip',
    expected: byLink({ viewerLink: 200, uploaderLink: 403 }),
    request: async (_w, c) => get(`/api/s/${c.token}/folders/${c.target.folder.id}/zip`),
  },
  {
    route: 'POST /api/s/{token}/folders/{id}/files',
    expected: byLink({ viewerLink: 403, uploaderLink: 201 }),
    request: async (_w, c) => upload(`/api/s/${c.token}/folders/${c.target.folder.id}/files`),
  },
];

let testApp: TestApp;
let world: World;

beforeAll(async () => {
  // Every tus row leaves an upload unfinished; the default cap (20 per person) would refuse them.
  testApp = await createTestApp({ env: { PUBLIC_URL, MAX_UNFINISHED_UPLOADS: '1000' } });
  world = await buildWorld(testApp);
});
afterAll(() => testApp.close());

type Operations = string[];
const operationsOf = (document: { paths: Record<string, Record<string, unknown>> }): Operations =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

/** Documented as an upgrade, and held to the matrix by their own tests below (a socket). */
const socketRoutes = ['GET /api/events', 'GET /api/s/{token}/events'];

/** The app on a real port (once), for the WebSocket rows. */
const socketBase = async () => {
  if (!world.app.server.listening) await world.app.listen({ port: 0, host: '127.0.0.1' });
  const address = world.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `ws://127.0.0.1:${address.port}`;
};

type PlannedCall = { role: Role; expected: Cell; caller: Caller; options: MatrixRequest };

const refused = (cell: Cell) =>
  typeof cell === 'string' ? cell !== 'ok' : cell !== null && cell >= 400;

describe('the authorization matrix', () => {
  test('has one row for every operation of the OpenAPI document, and none for a route that is not there', async () => {
    // The committed document and the one the running app serves: a route added to the code
    // without regenerating the document still needs its row.
    const served = operationsOf(
      (await world.app.inject({ method: 'GET', url: '/api/openapi.json' })).json(),
    );
    const committed = operationsOf(
      JSON.parse(await fs.readFile(new URL('../../../openapi.json', import.meta.url), 'utf8')) as {
        paths: Record<string, Record<string, unknown>>;
      },
    );
    const operations = [...new Set([...served, ...committed])];
    const rows = [...table.map((row) => row.route), ...socketRoutes];
    expect(operations.filter((route) => !rows.includes(route))).toEqual([]);
    expect(rows.filter((route) => !operations.includes(route))).toEqual([]);
    expect(rows.length).toBe(new Set(rows).size);
  });

  test.each(table.map((row) => [row.route, row] as const))('%s', async (_route, row) => {
    // Every request first (with any fresh target it makes), so the refused ones can be held to
    // one fingerprint taken just before them and one just after.
    const calls: PlannedCall[] = [];
    for (const role of roles) {
      const expected = row.expected[role];
      if (expected === null) continue;
      const caller = world.callers[role];
      calls.push({ role, expected, caller, options: await row.request(world, caller) });
    }
    const send = async ({ caller, options }: PlannedCall) => {
      const response = await world.app.inject({
        ...options,
        headers: { ...caller.headers, ...options.headers },
      });
      return { response, got: row.outcome ? row.outcome(response) : response.statusCode };
    };
    // One line per cell that differs, with the answer's body: the failure names the hole.
    const wrong: string[] = [];
    const check = (call: PlannedCall, answer: Awaited<ReturnType<typeof send>>) => {
      if (answer.got === call.expected) return;
      const body = answer.response.body.slice(0, 160);
      wrong.push(`${call.role}: expected ${call.expected}, got ${answer.got} ${body}`);
    };
    const refusals = calls.filter((call) => refused(call.expected));
    const before = await fingerprint(world);
    for (const call of refusals) check(call, await send(call));
    const after = await fingerprint(world);
    for (const call of calls.filter((call) => !refused(call.expected)))
      check(call, await send(call));

    expect(wrong).toEqual([]);
    const changed = Object.keys(before).filter((name) => before[name] !== after[name]);
    expect(changed, `refused by ${refusals.map((call) => call.role).join(', ')}`).toEqual([]);
  });

  /**
   * The event WebSocket (not in the OpenAPI document: it is an upgrade, not a request). Any
   * signed-in user opens their own stream; only those who reach `Shared` see its events there.
   * A link opens no stream. `events`: open, and the owner's new folder in `Shared` arrives;
   * `open`: open, and it does not.
   */
  test('GET /api/events (WebSocket)', async () => {
    const expected: Expected = {
      owner: 'events',
      editor: 'events',
      viewer: 'events',
      stranger: 'open',
      revoked: 'open',
      archivedEditor: 'open',
      trashedEditor: 'open',
      ...linkCells(401),
      anonymous: 401,
    };
    const url = `${await socketBase()}/api/events`;
    const sockets = new Map<Role, TestSocket>();
    const got: Partial<Record<Role, Cell>> = {};
    try {
      for (const role of roles) {
        const { cookie } = world.callers[role].headers;
        try {
          const socket = await openEventSocket(url, {
            origin: PUBLIC_URL,
            ...(cookie ? { cookie } : {}),
          });
          await socket.waitFor((message) => message.type === 'ready');
          sockets.set(role, socket);
        } catch (error) {
          const status = /HTTP (\d+)/.exec(String(error))?.[1];
          got[role] = status ? Number(status) : String(error);
        }
      }
      const name = randomName('live');
      const created = await world.app.inject({
        method: 'POST',
        url: '/api/folders',
        headers: world.owner.headers,
        payload: { name, parentId: world.callers.owner.target.folder.id },
      });
      expect(created.statusCode).toBe(201);
      const isIt = (message: { type: string; event?: { type: string } }) =>
        message.type === 'event' && JSON.stringify(message).includes(name);
      // Those who should see it do; by then the fan-out has reached every socket.
      await Promise.all(
        [...sockets]
          .filter(([role]) => expected[role] === 'events')
          .map(([, socket]) => socket.waitFor(isIt).catch(() => undefined)),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const [role, socket] of sockets) {
        got[role] = socket.messages.some(isIt) ? 'events' : 'open';
      }
    } finally {
      for (const socket of sockets.values()) socket.socket.close();
    }
    expect(got).toEqual(expected);
  });
  /**
   * A link's event WebSocket: only a viewer link (with its password cookie when it has one)
   * opens it and hears its subtree; a drop box is refused, a locked link asks for the
   * password, an ended one is gone. The stray callers hold the same links as the others (a
   * socket names no node), and signed-in users hold no link: a token nobody holds is 404.
   */
  test('GET /api/s/{token}/events (WebSocket)', async () => {
    const expected: Expected = {
      ...byLink({ viewerLink: 'events', uploaderLink: 403 }),
      strayViewerLink: null,
      strayUploaderLink: null,
    };
    const base = await socketBase();
    const sockets = new Map<Role, TestSocket>();
    const got: Partial<Record<Role, Cell>> = {};
    try {
      for (const role of roles) {
        if (expected[role] === null) continue;
        const caller = world.callers[role];
        try {
          const socket = await openEventSocket(`${base}/api/s/${caller.token}/events`, {
            origin: PUBLIC_URL,
            ...caller.headers,
          });
          await socket.waitFor((message) => message.type === 'ready');
          sockets.set(role, socket);
        } catch (error) {
          const status = /HTTP (\d+)/.exec(String(error))?.[1];
          got[role] = status ? Number(status) : String(error);
        }
      }
      const name = randomName('link-live');
      const created = await world.app.inject({
        method: 'POST',
        url: '/api/folders',
        headers: world.owner.headers,
        payload: { name, parentId: world.callers.viewerLink.target.folder.id },
      });
      expect(created.statusCode).toBe(201);
      const isIt = (message: { type: string }) =>
        message.type === 'event' && JSON.stringify(message).includes(name);
      await Promise.all(
        [...sockets.values()].map((socket) => socket.waitFor(isIt).catch(() => undefined)),
      );
      for (const [role, socket] of sockets) {
        got[role] = socket.messages.some(isIt) ? 'events' : 'open';
      }
    } finally {
      for (const socket of sockets.values()) socket.socket.close();
    }
    const asked = Object.fromEntries(Object.entries(expected).filter(([, cell]) => cell !== null));
    expect(got).toEqual(asked);
  });
});
