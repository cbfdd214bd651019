import type { CreatedLinkDto, NodeDto, ShareDto } from '@myfile/contract';
import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import type { TestApp } from '../../test-support/test-app.js';
import { Readable } from 'node:stream';
import { createBlobKey } from '../../blob-storage/blob-storage.keys.js';
import { getNodeById } from '../nodes/nodes.repository.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { uploadFile } from '../uploads/uploads.usecases.js';
import { insertVersionOf } from '../versions/versions.repository.js';
import { userActor } from './access.models.js';
import { cookieHeaderOf, cookiesFrom } from '../auth/auth.test-utils.js';

/**
 * The callers of the authorization matrix. User roles call with a session of their own; link
 * roles hold a link on the owner's `Shared` folder and call with whatever that gives them (a
 * password link's grant cookie once unlocked, else nothing). Every sharee is an editor unless
 * named otherwise; `archivedEditor` and `trashedEditor` hold their share on a folder the owner
 * archived or put in the trash. The stray links are the viewer and drop-box links used on the
 * owner's `Private` folder, outside their subtree.
 */
export const userRoles = [
  'owner',
  'editor',
  'viewer',
  'stranger',
  'revoked',
  'archivedEditor',
  'trashedEditor',
  'anonymous',
] as const;
export const linkRoles = [
  'viewerLink',
  'passwordLink',
  'lockedLink',
  'uploaderLink',
  'expiredLink',
  'revokedLink',
  'strayViewerLink',
  'strayUploaderLink',
] as const;
export const roles = [...userRoles, ...linkRoles] as const;
export type UserRole = (typeof userRoles)[number];
export type LinkRole = (typeof linkRoles)[number];
export type Role = (typeof roles)[number];

export const LINK_PASSWORD = 'matrix link password 51c0';

/** The part of the owner's tree a caller reaches: what its requests point at. */
export type Target = {
  /** `live` is a hot folder anyone may add to; the others only have the nodes made here. */
  kind: 'live' | 'archived' | 'trashed';
  folder: NodeDto;
  /** A folder inside `folder`. */
  subfolder: NodeDto;
  file: NodeDto;
  image: NodeDto;
};

export type Caller = {
  role: Role;
  user: FixtureUser | null;
  /** What every request of this caller carries (session or link grant); `{}` for none. */
  headers: Record<string, string>;
  /** The link token for link routes; a well-formed token nobody holds for everyone else. */
  token: string;
  target: Target;
};

export type World = {
  app: TestApp['app'];
  context: TestApp['context'];
  fixtures: Fixtures;
  owner: FixtureUser;
  callers: Record<Role, Caller>;
  /** Archived by the owner, no share on it: what the owner's restore row restores. */
  restorable: NodeDto;
  /** A job of the owner's (the archive of `restorable`). */
  ownerJobId: string;
};

const random = () => Math.random().toString(36).slice(2);

const tinyPng = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();

/**
 * Builds the world once per test file: the owner's tree with a live shared folder, an archived
 * shared folder and a trashed shared folder; one user per role; one link per link role.
 */
export const buildWorld = async (testApp: TestApp): Promise<World> => {
  const { app, context } = testApp;
  const fixtures = fixturesOf(context);
  const owner = await fixtures.newUser();
  const users: Partial<Record<UserRole, FixtureUser>> = { owner };
  for (const role of userRoles) {
    if (role !== 'owner' && role !== 'anonymous') users[role] = await fixtures.newUser();
  }
  const user = (role: UserRole) => {
    const found = users[role];
    if (!found) throw new Error(`no ${role}`);
    return found;
  };
  const png = await tinyPng();
  const tree = await fixtures.newTree(owner, {
    Shared: { 'f.txt': 'shared bytes', 'i.png': png, Sub: {} },
    Archived: { 'f.txt': 'cold bytes', 'i.png': png, Sub: {} },
    Restorable: { 'r.txt': 'cold too' },
    Trashed: { 'f.txt': 'binned bytes', 'i.png': png, Sub: {} },
    Private: { 'f.txt': 'private bytes', 'i.png': png, Sub: {} },
  });
  const node = (path: string) => {
    const found = tree[path];
    if (!found) throw new Error(`no ${path}`);
    return found;
  };
  const targetOf = (name: string, kind: Target['kind']): Target => ({
    kind,
    folder: node(name),
    subfolder: node(`${name}/Sub`),
    file: node(`${name}/f.txt`),
    image: node(`${name}/i.png`),
  });
  const ownerCall = async (method: 'POST' | 'DELETE', url: string, payload?: object) => {
    const response = await app.inject({
      method,
      url,
      headers: owner.headers,
      ...(payload ? { payload } : {}),
    });
    if (response.statusCode >= 300) {
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    }
    return response;
  };
  const share = async (folder: NodeDto, role: UserRole, as: 'editor' | 'viewer') =>
    (
      await ownerCall('POST', `/api/nodes/${folder.id}/shares`, {
        email: user(role).email,
        role: as,
      })
    ).json<ShareDto>();
  const shared = node('Shared');
  await share(shared, 'editor', 'editor');
  await share(shared, 'viewer', 'viewer');
  const gone = await share(shared, 'revoked', 'editor');
  await ownerCall('DELETE', `/api/shares/${gone.id}`);
  await share(node('Archived'), 'archivedEditor', 'editor');
  await share(node('Trashed'), 'trashedEditor', 'editor');

  const link = async (body: object) =>
    (await ownerCall('POST', `/api/nodes/${shared.id}/links`, body)).json<CreatedLinkDto>();
  const viewerLink = await link({ role: 'viewer' });
  const passwordLink = await link({ role: 'viewer', password: LINK_PASSWORD });
  const uploaderLink = await link({ role: 'uploader' });
  const expiredLink = await link({
    role: 'viewer',
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
  });
  await context.database.db
    .updateTable('share_links')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('id', '=', expiredLink.id)
    .execute();
  const revokedLink = await link({ role: 'viewer' });
  await ownerCall('DELETE', `/api/links/${revokedLink.id}`);
  const unlocked = await app.inject({
    method: 'POST',
    url: `/api/s/${passwordLink.token}/unlock`,
    payload: { password: LINK_PASSWORD },
  });
  if (unlocked.statusCode !== 200) throw new Error(`unlock: ${unlocked.body}`);
  const grantHeaders = {
    cookie: cookieHeaderOf(cookiesFrom(unlocked.headers['set-cookie'])),
    'x-csrf-token': unlocked.json<{ csrfToken: string }>().csrfToken,
  };

  // Thumbnails of the images first, then both archives, the way a worker would run them.
  await runQueuedJobs(context);
  const archive = async (folder: NodeDto) =>
    (await ownerCall('POST', `/api/folders/${folder.id}/archive`)).json<{ job: { id: string } }>();
  await archive(node('Archived'));
  const { job } = await archive(node('Restorable'));
  await runQueuedJobs(context);
  await ownerCall('DELETE', `/api/folders/${node('Trashed').id}?recursive=true`);

  const unknownToken = 'a'.repeat(43);
  const live = targetOf('Shared', 'live');
  const callers = {} as Record<Role, Caller>;
  for (const role of userRoles) {
    const found = users[role] ?? null;
    callers[role] = {
      role,
      user: found,
      headers: found ? found.headers : {},
      token: unknownToken,
      target:
        role === 'archivedEditor'
          ? targetOf('Archived', 'archived')
          : role === 'trashedEditor'
            ? targetOf('Trashed', 'trashed')
            : live,
    };
  }
  const linkCaller = (
    role: LinkRole,
    token: string,
    headers: Record<string, string> = {},
    target = live,
  ) => {
    callers[role] = { role, user: null, headers, token, target };
  };
  linkCaller('viewerLink', viewerLink.token);
  linkCaller('passwordLink', passwordLink.token, grantHeaders);
  linkCaller('lockedLink', passwordLink.token);
  linkCaller('uploaderLink', uploaderLink.token);
  linkCaller('expiredLink', expiredLink.token);
  linkCaller('revokedLink', revokedLink.token);
  const outside = targetOf('Private', 'live');
  linkCaller('strayViewerLink', viewerLink.token, {}, outside);
  linkCaller('strayUploaderLink', uploaderLink.token, {}, outside);

  return {
    app,
    context,
    fixtures,
    owner,
    callers,
    restorable: node('Restorable'),
    ownerJobId: job.id,
  };
};

/** A fresh file in the caller's folder when it is live; the one made for it otherwise. */
export const freshFile = async (world: World, caller: Caller) =>
  caller.target.kind === 'live'
    ? world.fixtures.newFile(world.owner, {
        name: `f-${random()}.txt`,
        content: 'x',
        folderId: caller.target.folder.id,
      })
    : caller.target.file;

/**
 * A file of the caller's target with one earlier version: replaced once when the folder is live;
 * in an archived or trashed one (which takes no upload) a version row is written straight in.
 */
export const freshVersion = async (world: World, caller: Caller) => {
  const db = world.context.database.db;
  if (caller.target.kind === 'live') {
    const file = await freshFile(world, caller);
    await uploadFile({
      ...toFilesDeps(world.context),
      actor: userActor(world.owner.userId),
      folderId: caller.target.folder.id,
      name: file.name,
      onConflict: 'replace',
      body: Readable.from([Buffer.from('y')]),
    });
  } else {
    const file = await getNodeById(db, { id: caller.target.file.id });
    if (!file) throw new Error('matrix: no target file');
    await insertVersionOf(db, {
      file: { ...file, blob_key: createBlobKey() },
      createdBy: world.owner.userId,
      now: new Date(),
    });
  }
  const version = await db
    .selectFrom('file_versions')
    .select(['id', 'node_id'])
    .where('owner_id', '=', world.owner.userId)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return { fileId: version.node_id, versionId: version.id };
};

/** A fresh folder (with a file in it) in the caller's folder when it is live. */
export const freshFolder = async (world: World, caller: Caller) => {
  if (caller.target.kind !== 'live') return caller.target.subfolder;
  const folder = await world.fixtures.newFolder(world.owner, {
    name: `d-${random()}`,
    parentId: caller.target.folder.id,
  });
  await world.fixtures.newFile(world.owner, { name: 'in.txt', content: 'x', folderId: folder.id });
  return folder;
};

/** A file of the owner's, in the owner's trash. */
export const freshTrashedFile = async (world: World) => {
  const file = await world.fixtures.newFile(world.owner, {
    name: `t-${random()}.txt`,
    content: 'x',
  });
  await world.app.inject({
    method: 'DELETE',
    url: `/api/files/${file.id}`,
    headers: world.owner.headers,
  });
  return file;
};

/**
 * Headers of a brand-new user for routes that act on the caller's own account and would spoil
 * the caller's session for later rows (sign out, revoke all sessions, change password, empty
 * trash). Such a route has no node to decide on: only "signed in or not" matters, and a fresh
 * user answers that as well as the role's own.
 */
export const disposableHeaders = async (world: World, caller: Caller) =>
  caller.user ? (await world.fixtures.newUser()).headers : caller.headers;

export const upload = (url: string, name = `m-${random()}.txt`) => {
  const boundary = `----matrix${random()}`;
  const payload = [
    `--${boundary}`,
    `Content-Disposition: form-data; name="file"; filename="${name}"`,
    'Content-Type: text/plain',
    '',
    'matrix',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return {
    method: 'POST' as const,
    url,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
};

export const randomEmail = () => `m-${random()}@example.com`;
export const randomName = (prefix: string) => `${prefix}-${random()}`;

/**
 * Everything a refused request must leave as it was, as one fingerprint per table. Columns that
 * a read legitimately touches (a session's last sighting, a link's access counter) are left out.
 */
const FINGERPRINTED: Record<string, string[]> = {
  users: [],
  sessions: ['last_seen_at', 'ip'],
  refresh_tokens: [],
  personal_tokens: ['last_used_at'],
  nodes: [],
  storage_usage: [],
  tus_uploads: [],
  shares: [],
  share_links: ['access_count', 'last_accessed_at'],
  jobs: [],
  idempotency_keys: [],
};

export type Fingerprint = Record<string, string>;

export const fingerprint = async (world: World): Promise<Fingerprint> => {
  const parts = Object.entries(FINGERPRINTED).map(
    ([table, volatile]) =>
      sql`select ${table}::text as name, coalesce(md5(string_agg(r::text, ',' order by r::text)), '') as digest
          from (select to_jsonb(t) ${sql.raw(volatile.map((column) => `- '${column}'`).join(' '))} as r
                from ${sql.table(table)} t) x`,
  );
  const query = sql.join(parts, sql` union all `);
  const { rows } = await sql<{ name: string; digest: string }>`${query}`.execute(
    world.context.database.db,
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.digest]));
};

export type MatrixRequest = InjectOptions & { headers?: Record<string, string> };
