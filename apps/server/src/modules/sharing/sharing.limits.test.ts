import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { uploadFiles } from '../nodes/nodes.test-utils.js';
import { SHARE_MAILS } from './sharing.usecases.js';

let testApp: TestApp;
let owner: FixtureUser;
let editor: FixtureUser;
let folder: NodeDto;

beforeAll(async () => {
  // No versions kept: a replace frees the old bytes, which the last-PATCH case below stages.
  testApp = await createTestApp({ env: { VERSIONS_KEEP: 'off' } });
  const fixtures = fixturesOf(testApp.context);
  owner = await fixtures.newUser({ quotaBytes: 10 });
  editor = await fixtures.newUser();
  folder = await fixtures.newFolder(owner, { name: 'Small' });
  const shared = await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${folder.id}/shares`,
    headers: owner.headers,
    payload: { email: editor.email, role: 'editor' },
  });
  expect(shared.statusCode).toBe(201);
});
afterAll(() => testApp.close());

/** A fresh owner whose quota is `quotaBytes`, with a folder shared with a fresh editor. */
const sharedFolderOf = async ({ quotaBytes }: { quotaBytes: number }) => {
  const fixtures = fixturesOf(testApp.context);
  const folderOwner = await fixtures.newUser({ quotaBytes });
  const sharee = await fixtures.newUser();
  const sharedFolder = await fixtures.newFolder(folderOwner, { name: 'Team' });
  const shared = await testApp.app.inject({
    method: 'POST',
    url: `/api/nodes/${sharedFolder.id}/shares`,
    headers: folderOwner.headers,
    payload: { email: sharee.email, role: 'editor' },
  });
  expect(shared.statusCode).toBe(201);
  return { fixtures, folderOwner, sharee, sharedFolder };
};

const tusCreate = (
  user: FixtureUser,
  { folderId, name, length, onConflict = 'rename' }: TusCreation,
) =>
  testApp.app.inject({
    method: 'POST',
    url: '/api/uploads',
    headers: {
      ...user.headers,
      'tus-resumable': '1.0.0',
      'upload-length': String(length),
      'upload-metadata': [
        ['filename', name],
        ['folderId', folderId],
        ['onConflict', onConflict],
      ]
        .map(([key, value]) => `${key} ${Buffer.from(value ?? '').toString('base64')}`)
        .join(','),
    },
  });
type TusCreation = { folderId: string; name: string; length: number; onConflict?: string };

const tusPatch = (user: FixtureUser, location: unknown, body: Buffer) =>
  testApp.app.inject({
    method: 'PATCH',
    url: new URL(String(location), 'http://x').pathname,
    headers: {
      ...user.headers,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    payload: body,
  });

const usedBytesOf = async (user: FixtureUser) =>
  (await testApp.app.inject({ url: '/api/usage', headers: user.headers })).json<{
    usedBytes: number;
  }>().usedBytes;

const messageOf = (response: LightMyRequestResponse) =>
  response.json<{ error: { code: string; message: string } }>().error;

const OWNERS_QUOTA = /^This (upload|copy) would exceed the storage quota of the folder's owner/;
const YOUR_QUOTA = /^This (upload|copy) would exceed your storage quota\.$/;

describe('whose quota', () => {
  test("an editor's upload that does not fit names the owner's quota; the owner's names theirs", async () => {
    const files = [{ name: 'big.bin', content: 'x'.repeat(20) }];
    const byEditor = await uploadFiles(testApp.app, editor, { folderId: folder.id, files });
    expect(byEditor.statusCode).toBe(413);
    expect(byEditor.json()).toMatchObject({ error: { code: 'quota_exceeded' } });
    expect(byEditor.json<{ error: { message: string } }>().error.message).toMatch(
      /quota of the folder's owner/,
    );
    const byOwner = await uploadFiles(testApp.app, owner, { folderId: folder.id, files });
    expect(byOwner.statusCode).toBe(413);
    expect(byOwner.json<{ error: { message: string } }>().error.message).toMatch(
      /your storage quota/,
    );
  });

  test("a resumable upload's creation that does not fit names the owner's quota to an editor", async () => {
    const { folderOwner, sharee, sharedFolder } = await sharedFolderOf({ quotaBytes: 10 });
    const creation = { folderId: sharedFolder.id, name: 'big.bin', length: 20 };
    const byEditor = await tusCreate(sharee, creation);
    expect(byEditor.statusCode).toBe(413);
    expect(messageOf(byEditor)).toMatchObject({ code: 'quota_exceeded' });
    expect(messageOf(byEditor).message).toMatch(OWNERS_QUOTA);
    const byOwner = await tusCreate(folderOwner, creation);
    expect(byOwner.statusCode).toBe(413);
    expect(messageOf(byOwner).message).toMatch(YOUR_QUOTA);
  });

  test("a creation whose reservation loses a race after the pre-check names the owner's quota", async () => {
    const { folderOwner, sharee, sharedFolder } = await sharedFolderOf({ quotaBytes: 10 });
    // Another upload takes the space between the pre-check and the reservation: stood in for
    // by a trigger that lets no reservation on this owner's row through.
    const { db } = testApp.context.database;
    await sql`
      create function test_lose_reservation() returns trigger language plpgsql as $$
      begin return null; end $$`.execute(db);
    await sql`
      create trigger lose_reservation before update on storage_usage for each row
      when (new.user_id = ${sql.lit(folderOwner.userId)}::uuid
        and new.reserved_uploads > old.reserved_uploads)
      execute function test_lose_reservation()`.execute(db);
    try {
      const refused = await tusCreate(sharee, { folderId: sharedFolder.id, name: 'a', length: 6 });
      expect(refused.statusCode).toBe(413);
      expect(messageOf(refused)).toMatchObject({ code: 'quota_exceeded' });
      expect(messageOf(refused).message).toMatch(OWNERS_QUOTA);
    } finally {
      await sql`drop trigger lose_reservation on storage_usage`.execute(db);
      await sql`drop function test_lose_reservation()`.execute(db);
    }
  });

  test("a resumable upload that no longer fits when its last PATCH lands names the owner's quota", async () => {
    // The editor replaces the owner's 8-byte file with 10 bytes: with the old file's 8 bytes
    // freed it fits a 10-byte quota, and the declared length is reserved. The owner then
    // deletes the file (the trash still counts), so at the end the new file costs 10 more.
    const { fixtures, folderOwner, sharee, sharedFolder } = await sharedFolderOf({
      quotaBytes: 10,
    });
    const old = await fixtures.newFile(folderOwner, {
      name: 'a.bin',
      content: 'x'.repeat(8),
      folderId: sharedFolder.id,
    });
    const created = await tusCreate(sharee, {
      folderId: sharedFolder.id,
      name: 'a.bin',
      length: 10,
      onConflict: 'replace',
    });
    expect(created.statusCode, created.body).toBe(201);
    const deleted = await testApp.app.inject({
      method: 'DELETE',
      url: `/api/files/${old.id}`,
      headers: folderOwner.headers,
    });
    expect(deleted.statusCode).toBe(204);
    const patched = await tusPatch(sharee, created.headers.location, Buffer.alloc(10, 'y'));
    expect(patched.statusCode).toBe(413);
    expect(messageOf(patched)).toMatchObject({ code: 'quota_exceeded' });
    expect(messageOf(patched).message).toMatch(OWNERS_QUOTA);
    expect(await usedBytesOf(folderOwner)).toBe(8);
    expect(await usedBytesOf(sharee)).toBe(0);
  });

  test("a copy into a shared folder is the owner's (and names their quota when full); a copy out is the copier's", async () => {
    const { fixtures, folderOwner, sharee, sharedFolder } = await sharedFolderOf({
      quotaBytes: 10,
    });
    const mine = await fixtures.newFile(sharee, { name: 'mine.txt', content: '123456' });
    const copyTo = (user: FixtureUser, id: string, targetFolderId: string) =>
      testApp.app.inject({
        method: 'POST',
        url: `/api/files/${id}/copy`,
        headers: user.headers,
        payload: { targetFolderId },
      });

    // In: charged to the folder's owner, not to the editor who copied.
    const copiedIn = await copyTo(sharee, mine.id, sharedFolder.id);
    expect(copiedIn.statusCode, copiedIn.body).toBe(201);
    expect(await usedBytesOf(folderOwner)).toBe(6);
    expect(await usedBytesOf(sharee)).toBe(6);
    const overIn = await copyTo(sharee, mine.id, sharedFolder.id);
    expect(overIn.statusCode).toBe(413);
    expect(messageOf(overIn)).toMatchObject({ code: 'quota_exceeded' });
    expect(messageOf(overIn).message).toMatch(OWNERS_QUOTA);
    expect(messageOf(overIn).message).toMatch(/^This copy/);
    expect(await usedBytesOf(folderOwner)).toBe(6);

    // Out: the copy in the editor's own root is theirs, charged to them.
    const { id: sharedFileId } = copiedIn.json<NodeDto>();
    const copiedOut = await copyTo(sharee, sharedFileId, 'root');
    expect(copiedOut.statusCode, copiedOut.body).toBe(201);
    expect(copiedOut.json<NodeDto>().parentId).toBe(sharee.rootId);
    expect(await usedBytesOf(sharee)).toBe(12);
    expect(await usedBytesOf(folderOwner)).toBe(6);

    // The copier's own full quota is theirs to free, and the answer says so.
    const small = await sharedFolderOf({ quotaBytes: 1000 });
    const tight = await small.fixtures.newUser({ quotaBytes: 4 });
    await testApp.app.inject({
      method: 'POST',
      url: `/api/nodes/${small.sharedFolder.id}/shares`,
      headers: small.folderOwner.headers,
      payload: { email: tight.email, role: 'viewer' },
    });
    const theirs = await small.fixtures.newFile(small.folderOwner, {
      name: 'theirs.txt',
      content: '123456',
      folderId: small.sharedFolder.id,
    });
    const overOut = await copyTo(tight, theirs.id, 'root');
    expect(overOut.statusCode).toBe(413);
    expect(messageOf(overOut).message).toMatch(YOUR_QUOTA);
    expect(await usedBytesOf(tight)).toBe(0);
  });
});

describe('share mails', () => {
  test('are capped per sharer, the same way for known and unknown addresses', async () => {
    const statuses: number[] = [];
    // The share made in beforeAll counted too.
    for (let index = 1; index <= SHARE_MAILS.max; index++) {
      const response = await testApp.app.inject({
        method: 'POST',
        url: `/api/nodes/${folder.id}/shares`,
        headers: owner.headers,
        payload: { email: `invitee-${index}@example.com`, role: 'viewer' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, -1).every((status) => status === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const known = await testApp.app.inject({
      method: 'POST',
      url: `/api/nodes/${folder.id}/shares`,
      headers: owner.headers,
      payload: { email: editor.email, role: 'viewer' },
    });
    expect(known.statusCode).toBe(429);
    expect(known.headers['retry-after']).toBeDefined();
  });
});
