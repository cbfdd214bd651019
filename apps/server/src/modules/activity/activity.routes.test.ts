import type { ActivityEntry, ActivityPage, ErrorBody } from '@myfile/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { uploadFiles } from '../nodes/nodes.test-utils.js';

let testApp: TestApp;
let fixtures: Fixtures;
let owner: FixtureUser;
let sharee: FixtureUser;
let stranger: FixtureUser;

beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser();
  sharee = await fixtures.newUser();
  stranger = await fixtures.newUser();
});
afterAll(() => testApp.close());

const call = (
  user: { headers: Record<string, string> },
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) => testApp.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

const activityOf = async (user: FixtureUser, id: string, query = '') => {
  const response = await call(user, 'GET', `/api/nodes/${id}/activity${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ActivityPage>();
};

/** Oldest first, as a story reads. */
const story = (page: ActivityPage) =>
  page.items
    .map((entry: ActivityEntry) => [entry.kind, entry.actor?.email ?? null, entry.detail] as const)
    .reverse();

describe('an item’s history', () => {
  test('each change is written by the use case that makes it, newest first, ending with the creation', async () => {
    const from = await fixtures.newFolder(owner, { name: 'From' });
    const to = await fixtures.newFolder(owner, { name: 'To' });
    const file = await fixtures.newFile(owner, {
      name: 'plan.txt',
      content: 'one',
      folderId: from.id,
    });
    expect(
      (await call(owner, 'PATCH', `/api/files/${file.id}`, { name: 'plan v2.txt' })).statusCode,
    ).toBe(200);
    expect(
      (await call(owner, 'PATCH', `/api/files/${file.id}`, { parentId: to.id })).statusCode,
    ).toBe(200);
    const replaced = await uploadFiles(testApp.app, owner, {
      folderId: to.id,
      files: [{ name: 'plan v2.txt', content: 'two, longer' }],
      onConflict: 'replace',
    });
    expect(replaced.statusCode, replaced.body).toBe(201);
    const shared = await call(owner, 'POST', `/api/nodes/${file.id}/shares`, {
      email: sharee.email,
      role: 'editor',
    });
    expect(shared.statusCode).toBe(201);
    const link = await call(owner, 'POST', `/api/nodes/${file.id}/links`, { role: 'viewer' });
    expect(link.statusCode, link.body).toBe(201);
    const linkId = link.json<{ id: string }>().id;
    expect((await call(owner, 'DELETE', `/api/links/${linkId}`)).statusCode).toBeLessThan(300);
    expect(
      (await call(owner, 'DELETE', `/api/shares/${shared.json<{ id: string }>().id}`)).statusCode,
    ).toBeLessThan(300);
    expect((await call(owner, 'DELETE', `/api/files/${file.id}`)).statusCode).toBeLessThan(300);
    expect((await call(owner, 'POST', `/api/trash/${file.id}/restore`)).statusCode).toBeLessThan(
      300,
    );

    const page = await activityOf(owner, file.id);
    expect(story(page)).toEqual([
      ['created', null, {}],
      ['renamed', owner.email, { previousName: 'plan.txt', name: 'plan v2.txt' }],
      ['moved', owner.email, { name: 'plan v2.txt', from: 'From', to: 'To' }],
      ['new_version', owner.email, { size: 11 }],
      ['shared', owner.email, { email: sharee.email.toLowerCase(), role: 'editor' }],
      ['link_created', owner.email, { role: 'viewer' }],
      ['link_revoked', owner.email, { role: 'viewer' }],
      ['unshared', owner.email, { email: sharee.email.toLowerCase() }],
      ['trashed', owner.email, {}],
      ['restored', owner.email, { name: 'plan v2.txt' }],
    ]);
    expect(page.items.filter((entry) => entry.actor).every((entry) => entry.actor?.you)).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  test('a sharee sees what happened to a shared item, who did it, but not its sharing; others get 404', async () => {
    const folder = await fixtures.newFolder(owner, { name: `Team ${Date.now()}` });
    const file = await fixtures.newFile(owner, {
      name: 'notes.txt',
      content: 'x',
      folderId: folder.id,
    });
    expect(
      (
        await call(owner, 'POST', `/api/nodes/${folder.id}/shares`, {
          email: sharee.email,
          role: 'editor',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (await call(sharee, 'PATCH', `/api/files/${file.id}`, { name: 'notes (edited).txt' }))
        .statusCode,
    ).toBe(200);

    const seen = await activityOf(sharee, file.id);
    expect(story(seen)).toEqual([
      ['created', null, {}],
      ['renamed', sharee.email, { previousName: 'notes.txt', name: 'notes (edited).txt' }],
    ]);
    expect(seen.items[0]?.actor?.you).toBe(true);
    expect((await activityOf(owner, file.id)).items[0]?.actor).toEqual({
      email: sharee.email,
      you: false,
    });
    // The folder's own history: its share is the owner's business.
    expect(story(await activityOf(sharee, folder.id)).map(([kind]) => kind)).toEqual(['created']);
    expect(story(await activityOf(owner, folder.id)).map(([kind]) => kind)).toEqual([
      'created',
      'shared',
    ]);

    for (const id of [file.id, folder.id]) {
      const refused = await call(stranger, 'GET', `/api/nodes/${id}/activity`);
      expect(refused.statusCode).toBe(404);
      expect(refused.json<ErrorBody>().error.code).toBe('not_found');
    }
  });

  test('restoring a version is a new version by whoever restored it', async () => {
    const folder = await fixtures.newFolder(owner, { name: `Restore ${Date.now()}` });
    const file = await fixtures.newFile(owner, {
      name: 'draft.txt',
      content: 'first',
      folderId: folder.id,
    });
    const replaced = await uploadFiles(testApp.app, owner, {
      folderId: folder.id,
      files: [{ name: 'draft.txt', content: 'second draft' }],
      onConflict: 'replace',
    });
    expect(replaced.statusCode, replaced.body).toBe(201);
    const listed = await call(owner, 'GET', `/api/files/${file.id}/versions`);
    const versionId = listed.json<{ versions: { id: string }[] }>().versions[0]?.id ?? '';
    const restored = await call(
      owner,
      'POST',
      `/api/files/${file.id}/versions/${versionId}/restore`,
    );
    expect(restored.statusCode, restored.body).toBe(200);
    expect(story(await activityOf(owner, file.id))).toEqual([
      ['created', null, {}],
      ['new_version', owner.email, { size: 12 }],
      ['new_version', owner.email, { size: 5 }],
    ]);
  });

  test('bulk move and bulk delete record each item under whoever asked', async () => {
    const from = await fixtures.newFolder(owner, { name: `Bulk from ${Date.now()}` });
    const to = await fixtures.newFolder(owner, { name: `Bulk to ${Date.now()}` });
    const file = await fixtures.newFile(owner, {
      name: 'bulk.txt',
      content: 'b',
      folderId: from.id,
    });
    const moved = await call(owner, 'POST', '/api/bulk/move', {
      ids: [file.id],
      targetFolderId: to.id,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const deleted = await call(owner, 'POST', '/api/bulk/delete', { ids: [file.id] });
    expect(deleted.statusCode, deleted.body).toBe(200);
    const rows = await testApp.context.database.db
      .selectFrom('node_activity')
      .select(['kind', 'actor_user_id'])
      .where('node_id', '=', file.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((row) => [row.kind, row.actor_user_id])).toEqual([
      ['moved', owner.userId],
      ['trashed', owner.userId],
    ]);
  });

  test('a change that fails writes no entry', async () => {
    const file = await fixtures.newFile(owner, { name: `a-${Date.now()}.txt`, content: 'a' });
    const other = await fixtures.newFile(owner, { name: `b-${Date.now()}.txt`, content: 'b' });
    const clash = await call(owner, 'PATCH', `/api/files/${file.id}`, { name: other.name });
    expect(clash.statusCode).toBe(409);
    expect(story(await activityOf(owner, file.id)).map(([kind]) => kind)).toEqual(['created']);
  });

  test('pages by cursor, and keeps the newest 100 changes', async () => {
    const file = await fixtures.newFile(owner, { name: `many-${Date.now()}.txt`, content: 'a' });
    for (let n = 0; n < 105; n++) {
      await testApp.context.database.db
        .updateTable('nodes')
        .set({ name: `many ${n}.txt`, name_key: `many ${n}.txt ${file.id}` })
        .where('id', '=', file.id)
        .execute();
    }
    const seen: ActivityEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: ActivityPage = await activityOf(
        owner,
        file.id,
        `?limit=40${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(101);
    expect(seen[0]?.detail.name).toBe('many 104.txt');
    expect(seen[99]?.detail.name).toBe('many 5.txt');
    expect(seen[100]?.kind).toBe('created');
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(101);
  });

  test('entries within one millisecond page one by one, none skipped or repeated', async () => {
    const file = await fixtures.newFile(owner, { name: `same-ms-${Date.now()}.txt`, content: 'a' });
    // A cursor carries milliseconds; the column keeps microseconds.
    for (const micros of ['100', '200', '300', '400']) {
      await sql`insert into node_activity (node_id, kind, detail, created_at)
        values (${file.id}, 'renamed', ${JSON.stringify({ name: micros })}::jsonb,
          ${`2026-01-01T00:00:00.123${micros}Z`}::timestamptz)`.execute(
        testApp.context.database.db,
      );
    }
    const names: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: ActivityPage = await activityOf(
        owner,
        file.id,
        `?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      names.push(...page.items.map((entry) => entry.detail.name ?? entry.kind));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(['400', '300', '200', '100', 'created']);
  });

  test('entries go with their item', async () => {
    const file = await fixtures.newFile(owner, { name: `gone-${Date.now()}.txt`, content: 'a' });
    await call(owner, 'PATCH', `/api/files/${file.id}`, { name: `gone-renamed-${Date.now()}.txt` });
    const db = testApp.context.database.db;
    await db.deleteFrom('nodes').where('id', '=', file.id).execute();
    const left = await db
      .selectFrom('node_activity')
      .select('id')
      .where('node_id', '=', file.id)
      .execute();
    expect(left).toEqual([]);
  });
});
