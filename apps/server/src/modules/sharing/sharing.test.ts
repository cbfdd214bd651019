import type { DomainEvent, NodeDto, ShareDto, SharedItemDto } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import {
  createFolderVia,
  signUp,
  uploadFiles,
  uploadOne,
  type TestUser,
} from '../nodes/nodes.test-utils.js';

let testApp: TestApp;
let owner: TestUser;
let viewer: TestUser;
let editor: TestUser;
let stranger: TestUser;
let above: NodeDto;
let shared: NodeDto;
let inside: NodeDto;
let file: NodeDto;
let viewerShare: ShareDto;
const events: DomainEvent[] = [];

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (user: TestUser, method: Method, url: string, payload?: object) =>
  testApp.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });

const shareWith = async (item: NodeDto, email: string, role: 'viewer' | 'editor') => {
  const response = await call(owner, 'POST', `/api/nodes/${item.id}/shares`, { email, role });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ShareDto>();
};

const usageOf = async (user: TestUser) =>
  (await call(user, 'GET', '/api/usage')).json<{ usedBytes: number; fileCount: number }>();

beforeAll(async () => {
  testApp = await createTestApp();
  testApp.context.events.subscribe((event) => void events.push(event));
  owner = await signUp(testApp.app);
  viewer = await signUp(testApp.app);
  editor = await signUp(testApp.app);
  stranger = await signUp(testApp.app);
  above = await createFolderVia(testApp.app, owner, { name: 'private above' });
  shared = await createFolderVia(testApp.app, owner, { name: 'team', parentId: above.id });
  inside = await createFolderVia(testApp.app, owner, { name: 'inside', parentId: shared.id });
  file = await uploadOne(testApp.app, owner, {
    name: 'plan.txt',
    content: 'the plan',
    folderId: inside.id,
  });
  viewerShare = await shareWith(shared, viewer.email, 'viewer');
  await shareWith(shared, editor.email.toUpperCase(), 'editor');
});
afterAll(() => testApp.close());

describe('sharing with people', () => {
  test('the owner sees who has access; the recipient gets mail and an event', async () => {
    const list = await call(owner, 'GET', `/api/nodes/${shared.id}/shares`);
    expect(
      list.json<{ items: ShareDto[] }>().items.map((share) => [share.email, share.role]),
    ).toEqual([
      [viewer.email.toLowerCase(), 'viewer'],
      [editor.email.toLowerCase(), 'editor'],
    ]);
    const mails = await testApp.context.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('name', '=', 'mail.send')
      .execute();
    expect(mails.map((job) => (job.payload as { to: string }).to)).toContain(viewer.email);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'share.changed', userId: viewer.userId, change: 'added' }),
    );
  });

  test('"Shared with me" lists the item, a page at a time', async () => {
    const second = await createFolderVia(testApp.app, owner, { name: 'second' });
    await shareWith(second, viewer.email, 'viewer');
    const first = await call(viewer, 'GET', '/api/shared-with-me?limit=1');
    const page1 = first.json<{ items: SharedItemDto[]; nextCursor: string | null }>();
    expect(page1.items.map((item) => [item.name, item.role, item.sharedBy])).toEqual([
      ['second', 'viewer', owner.email],
    ]);
    const next = await call(
      viewer,
      'GET',
      `/api/shared-with-me?limit=1&cursor=${page1.nextCursor ?? ''}`,
    );
    expect(next.json<{ items: SharedItemDto[] }>().items.map((item) => item.name)).toEqual([
      'team',
    ]);
    expect((await call(stranger, 'GET', '/api/shared-with-me')).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    const yearZero = Buffer.from(
      JSON.stringify({ t: '0000-01-01T00:00:00.000Z', i: '0190a000-0000-7000-8000-000000000000' }),
    ).toString('base64url');
    const refused = await call(viewer, 'GET', `/api/shared-with-me?cursor=${yearZero}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { code: 'invalid_request', field: 'cursor' } });
  });

  test('a viewer can browse and download inside, and sees no path above the shared folder', async () => {
    const children = await call(viewer, 'GET', `/api/folders/${shared.id}/children`);
    expect(children.json<{ items: NodeDto[] }>().items.map((item) => item.name)).toEqual([
      'inside',
    ]);
    const folder = await call(viewer, 'GET', `/api/folders/${inside.id}`);
    expect(folder.json()).toMatchObject({
      role: 'viewer',
      breadcrumb: [{ id: shared.id, name: 'team' }],
    });
    const got = await call(viewer, 'GET', `/api/files/${file.id}`);
    expect(got.json()).toMatchObject({
      role: 'viewer',
      path: [{ name: 'team' }, { name: 'inside' }],
    });
    const content = await call(viewer, 'GET', `/api/files/${file.id}/content`);
    expect(content.body).toBe('the plan');
    expect((await call(owner, 'GET', `/api/folders/${inside.id}`)).json()).toMatchObject({
      role: 'owner',
      breadcrumb: [{ name: 'private above' }, { name: 'team' }],
    });
  });

  test("a sharee learns no id above the shared item: its parentId is null, the owner's is not", async () => {
    const top = await call(viewer, 'GET', `/api/folders/${shared.id}`);
    expect(top.json()).toMatchObject({ id: shared.id, parentId: null, breadcrumb: [] });
    expect((await call(viewer, 'GET', `/api/folders/${inside.id}`)).json()).toMatchObject({
      parentId: shared.id,
    });
    const listed = (await call(viewer, 'GET', '/api/shared-with-me')).json<{
      items: SharedItemDto[];
    }>();
    expect(listed.items.find((item) => item.id === shared.id)).toMatchObject({ parentId: null });
    expect(JSON.stringify(listed)).not.toContain(above.id);
    // A file shared on its own: its folder is the owner's too.
    const alone = await uploadOne(testApp.app, owner, {
      name: 'alone.txt',
      content: 'a',
      folderId: above.id,
    });
    await shareWith(alone, viewer.email, 'viewer');
    expect((await call(viewer, 'GET', `/api/files/${alone.id}`)).json()).toMatchObject({
      parentId: null,
      path: [],
    });
    expect((await call(viewer, 'GET', `/api/files/${file.id}`)).json()).toMatchObject({
      parentId: inside.id,
    });
    expect((await call(owner, 'GET', `/api/folders/${shared.id}`)).json()).toMatchObject({
      parentId: above.id,
    });
    expect((await call(owner, 'GET', `/api/files/${alone.id}`)).json()).toMatchObject({
      parentId: above.id,
    });
  });

  test('a viewer writing is 403 forbidden and changes nothing', async () => {
    const attempts = [
      call(viewer, 'POST', '/api/folders', { name: 'x', parentId: inside.id }),
      call(viewer, 'PATCH', `/api/files/${file.id}`, { name: 'renamed.txt' }),
      call(viewer, 'DELETE', `/api/files/${file.id}`),
      call(viewer, 'POST', `/api/folders/${inside.id}/empty`, {}),
      uploadFiles(testApp.app, viewer, {
        folderId: inside.id,
        files: [{ name: 'a', content: 'a' }],
      }),
      call(viewer, 'POST', `/api/files/${file.id}/copy`, {}),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    const list = await call(owner, 'GET', `/api/folders/${inside.id}/children`);
    expect(list.json<{ items: NodeDto[] }>().items.map((item) => item.name)).toEqual(['plan.txt']);
  });

  test("an editor's upload, folder, rename and delete land in the owner's tree, quota and trash", async () => {
    const before = await usageOf(owner);
    const editorBefore = await usageOf(editor);
    const upload = await uploadFiles(testApp.app, editor, {
      folderId: inside.id,
      files: [{ name: 'notes.txt', content: '12345' }],
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const [notes] = upload.json<{ files: NodeDto[] }>().files;
    if (!notes) throw new Error('no upload');
    expect(await usageOf(owner)).toMatchObject({ usedBytes: before.usedBytes + 5 });
    expect(await usageOf(editor)).toEqual(editorBefore);

    const made = await call(editor, 'POST', '/api/folders', {
      name: 'drafts',
      parentId: inside.id,
    });
    expect(made.statusCode).toBe(201);
    const renamed = await call(editor, 'PATCH', `/api/files/${notes.id}`, { name: 'minutes.txt' });
    expect(renamed.json()).toMatchObject({ name: 'minutes.txt' });
    const moved = await call(editor, 'PATCH', `/api/files/${notes.id}`, {
      parentId: made.json<NodeDto>().id,
    });
    expect(moved.statusCode).toBe(200);
    expect((await call(editor, 'DELETE', `/api/files/${notes.id}`)).statusCode).toBe(204);
    const ownerTrash = await call(owner, 'GET', '/api/trash');
    expect(ownerTrash.json<{ items: NodeDto[] }>().items.map((item) => item.name)).toContain(
      'minutes.txt',
    );
    expect((await call(editor, 'GET', '/api/trash')).json()).toMatchObject({ items: [] });
  });

  test('an editor cannot move an item out, delete the shared folder itself, reshare or archive', async () => {
    const mine = await createFolderVia(testApp.app, editor, { name: 'mine' });
    const myFile = await uploadOne(testApp.app, editor, { name: 'own.txt', content: 'own' });
    const refusals = [
      [call(editor, 'PATCH', `/api/files/${file.id}`, { parentId: mine.id }), 403],
      [call(editor, 'PATCH', `/api/files/${myFile.id}`, { parentId: inside.id }), 403],
      [call(editor, 'PATCH', `/api/files/${file.id}`, { parentId: above.id }), 404],
      [call(editor, 'PATCH', `/api/folders/${inside.id}`, { parentId: 'root' }), 403],
      [call(editor, 'DELETE', `/api/folders/${shared.id}?recursive=true`), 403],
      [call(editor, 'PATCH', `/api/folders/${shared.id}`, { name: 'taken over' }), 403],
      [
        call(editor, 'POST', `/api/nodes/${shared.id}/shares`, {
          email: stranger.email,
          role: 'viewer',
        }),
        403,
      ],
      [call(editor, 'GET', `/api/nodes/${shared.id}/shares`), 403],
      [call(editor, 'POST', `/api/folders/${inside.id}/archive`, {}), 403],
    ] as const;
    for (const [pending, status] of refusals) {
      const response = await pending;
      expect(response.statusCode, response.body).toBe(status);
    }
    const list = await call(owner, 'GET', `/api/folders/${inside.id}/children`);
    expect(list.json<{ items: NodeDto[] }>().items.map((item) => item.name)).toContain('plan.txt');
  });

  test("a sharee's copy lands in their own tree and quota", async () => {
    const before = await usageOf(viewer);
    const copy = await call(viewer, 'POST', `/api/files/${file.id}/copy`, {
      targetFolderId: 'root',
    });
    expect(copy.statusCode, copy.body).toBe(201);
    expect(await usageOf(viewer)).toMatchObject({ usedBytes: before.usedBytes + 8 });
  });

  test("another user's ids are 404 everywhere: nodes, shares, their lists", async () => {
    for (const response of [
      await call(stranger, 'GET', `/api/folders/${shared.id}/children`),
      await call(stranger, 'GET', `/api/files/${file.id}/content`),
      await call(stranger, 'GET', `/api/nodes/${shared.id}/shares`),
      await call(stranger, 'PATCH', `/api/shares/${viewerShare.id}`, { role: 'editor' }),
      await call(stranger, 'DELETE', `/api/shares/${viewerShare.id}`),
      await call(viewer, 'GET', `/api/folders/${above.id}`),
    ]) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    expect(
      (await call(viewer, 'PATCH', `/api/shares/${viewerShare.id}`, { role: 'editor' })).statusCode,
    ).toBe(403);
  });

  test('an unknown address gets the same answer as a known one, and no account is revealed', async () => {
    const unknown = await call(owner, 'POST', `/api/nodes/${inside.id}/shares`, {
      email: 'nobody-here@example.com',
      role: 'viewer',
    });
    const known = await call(owner, 'POST', `/api/nodes/${inside.id}/shares`, {
      email: stranger.email,
      role: 'viewer',
    });
    expect([unknown.statusCode, known.statusCode]).toEqual([201, 201]);
    expect(Object.keys(unknown.json<object>()).sort()).toEqual(
      Object.keys(known.json<object>()).sort(),
    );
    await call(owner, 'DELETE', `/api/shares/${known.json<ShareDto>().id}`);
  });

  test('changing the role and revoking take effect on the next request', async () => {
    const changed = await call(owner, 'PATCH', `/api/shares/${viewerShare.id}`, { role: 'editor' });
    expect(changed.json()).toMatchObject({ role: 'editor' });
    expect(
      (await call(viewer, 'POST', '/api/folders', { name: 'now I can', parentId: inside.id }))
        .statusCode,
    ).toBe(201);
    expect((await call(owner, 'DELETE', `/api/shares/${viewerShare.id}`)).statusCode).toBe(204);
    const after = await call(viewer, 'GET', `/api/folders/${shared.id}/children`);
    expect(after.statusCode).toBe(404);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'share.changed', userId: viewer.userId, change: 'revoked' }),
    );
  });
});
