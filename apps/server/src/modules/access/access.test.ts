import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Db } from '../../db/database.js';
import { fillLargeFolder } from '../../test-support/files-bench-support.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, signUp, type TestUser } from '../nodes/nodes.test-utils.js';
import { userActor, type Actor, type ShareRole } from './access.models.js';
import { resolveNodeRole, roleQuery } from './access.repository.js';
import { authorizeNode } from './access.usecases.js';

let testApp: TestApp;
let db: Db;
let owner: TestUser;
let sharee: TestUser;
let stranger: TestUser;
let top: NodeDto;
let middle: NodeDto;
let leaf: NodeDto;

const share = async (node: NodeDto, grantee: TestUser, role: ShareRole) => {
  const now = new Date();
  await db
    .insertInto('shares')
    .values({
      id: uuidv7(),
      node_id: node.id,
      owner_id: owner.userId,
      grantee_id: grantee.userId,
      grantee_email: grantee.email.toLowerCase(),
      role,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['node_id', 'grantee_id']).doUpdateSet({ role }))
    .execute();
};

const roleOf = async (actor: Actor, node: NodeDto) =>
  (await resolveNodeRole(db, { actor, nodeId: node.id }))?.role ?? null;

beforeAll(async () => {
  testApp = await createTestApp();
  db = testApp.context.database.db;
  owner = await signUp(testApp.app);
  sharee = await signUp(testApp.app);
  stranger = await signUp(testApp.app);
  top = await createFolderVia(testApp.app, owner, { name: 'top' });
  middle = await createFolderVia(testApp.app, owner, { name: 'middle', parentId: top.id });
  leaf = await createFolderVia(testApp.app, owner, { name: 'leaf', parentId: middle.id });
});
afterAll(() => testApp.close());

describe('the effective role on a node', () => {
  test('the owner is owner; anybody else has no role until something is shared', async () => {
    expect(await roleOf(userActor(owner.userId), leaf)).toBe('owner');
    expect(await roleOf(userActor(sharee.userId), leaf)).toBeNull();
  });

  test('a share reaches the whole subtree below it, and nothing above or beside it', async () => {
    await share(middle, sharee, 'viewer');
    expect(await roleOf(userActor(sharee.userId), middle)).toBe('viewer');
    expect(await roleOf(userActor(sharee.userId), leaf)).toBe('viewer');
    expect(await roleOf(userActor(sharee.userId), top)).toBeNull();
    expect(await roleOf(userActor(stranger.userId), leaf)).toBeNull();
  });

  test('the strongest grant on the way up wins', async () => {
    await share(leaf, sharee, 'editor');
    expect(await roleOf(userActor(sharee.userId), leaf)).toBe('editor');
    expect(await roleOf(userActor(sharee.userId), middle)).toBe('viewer');
    await share(top, sharee, 'editor');
    expect(await roleOf(userActor(sharee.userId), middle)).toBe('editor');
    await db.deleteFrom('shares').execute();
  });

  test("a link's grant covers its node's subtree only", async () => {
    const link: Actor = { kind: 'link', linkId: uuidv7(), nodeId: middle.id, role: 'uploader' };
    expect(await roleOf(link, leaf)).toBe('uploader');
    expect(await roleOf(link, middle)).toBe('uploader');
    expect(await roleOf(link, top)).toBeNull();
  });
});

describe('authorizeNode', () => {
  const attempt = (actor: Actor, node: NodeDto, action: 'read' | 'write' | 'manage') =>
    authorizeNode({ db, actor, id: node.id, action }).then(
      ({ role }) => role,
      (error: unknown) => {
        const { statusCode, code } = error as { statusCode: number; code: string };
        return `${statusCode} ${code}`;
      },
    );

  test('no role is 404 not_found; a role too weak is 403 forbidden', async () => {
    await share(middle, sharee, 'viewer');
    expect(await attempt(userActor(stranger.userId), leaf, 'read')).toBe('404 not_found');
    expect(await attempt(userActor(sharee.userId), leaf, 'read')).toBe('viewer');
    expect(await attempt(userActor(sharee.userId), leaf, 'write')).toBe('403 forbidden');
    await share(middle, sharee, 'editor');
    expect(await attempt(userActor(sharee.userId), leaf, 'write')).toBe('editor');
    expect(await attempt(userActor(sharee.userId), leaf, 'manage')).toBe('403 forbidden');
    expect(await attempt(userActor(owner.userId), leaf, 'manage')).toBe('owner');
    await db.deleteFrom('shares').execute();
  });

  test('a malformed id is the same 404 as a missing one', async () => {
    for (const id of ['root', '../etc', uuidv7()]) {
      await expect(
        authorizeNode({ db, actor: userActor(owner.userId), id, action: 'read' }),
      ).rejects.toMatchObject({ statusCode: 404, code: 'not_found' });
    }
  });
});

describe('the query plan of role resolution', () => {
  test('walks the ancestors by primary key and probes the shares index: no scan', async () => {
    // Enough rows that the planner prefers indexes on its own, as it does in production.
    await fillLargeFolder(db, {
      ownerId: owner.userId,
      folderId: top.id,
      total: 20_000,
      folders: 0,
    });
    let parentId = leaf.id;
    for (let depth = 0; depth < 50; depth++) {
      const id = uuidv7();
      await sql`
        insert into nodes (id, owner_id, parent_id, is_folder, name, name_key, sort_key,
                           content_type, created_at, updated_at)
        values (${id}, ${owner.userId}, ${parentId}, true, ${`d${depth}`}, ${`d${depth}`},
                ${`d${depth}`}, 'inode/directory', now(), now())
      `.execute(db);
      parentId = id;
    }
    await sql`
      insert into shares (id, node_id, owner_id, grantee_id, grantee_email, role, created_at,
                          updated_at)
      select gen_random_uuid(), id, owner_id, ${sharee.userId}, ${sharee.email.toLowerCase()},
             'viewer', now(), now()
      from nodes where parent_id = ${top.id} and not is_folder
    `.execute(db);
    await share(middle, sharee, 'editor');
    await sql`analyze`.execute(db);

    expect(await roleOf(userActor(sharee.userId), { id: parentId } as NodeDto)).toBe('editor');
    const { rows } = await sql<{ 'QUERY PLAN': unknown }>`
      explain (format json) ${roleQuery(userActor(sharee.userId), parentId)}
    `.execute(db);
    const plan = JSON.stringify(rows[0]?.['QUERY PLAN']);
    expect(plan).toContain('"Node Type":"Index Scan"');
    expect(plan).not.toContain('"Node Type":"Seq Scan"');
    expect(plan).toContain('"Index Name":"nodes_pkey"');
    expect(plan).toMatch(/"Index Name":"shares_node_(grantee|email)_idx"/);
  }, 120_000);
});
