import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesOf, type Fixtures, type FixtureUser } from '../../test-support/fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { runQueuedJobs } from '../../test-support/run-queued-jobs.js';
import { getJob, runJobsThroughRetries, sha256Of } from '../archive/archive.test-utils.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { listAll } from '../nodes/nodes.test-utils.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { createRecoverAbandonedFolderCopiesHandler } from './folder-copy.jobs.js';

let testApp: TestApp;
let fixtures: Fixtures;
const big = randomBytes(3000);

beforeAll(async () => {
  testApp = await createTestApp();
  fixtures = fixturesOf(testApp.context);
});
afterAll(() => testApp.close());

const postCopy = (user: FixtureUser, id: string, payload: object) =>
  testApp.app.inject({
    method: 'POST',
    url: `/api/folders/${id}/copy`,
    headers: user.headers,
    payload,
  });

const storeKeys = async () => {
  const keys: string[] = [];
  for await (const blob of testApp.context.blobStorage.list({})) keys.push(blob.key);
  return keys.sort();
};

const usageOf = (user: FixtureUser) =>
  testApp.context.database.db
    .selectFrom('storage_usage')
    .select(['used_bytes', 'file_count', 'reserved_bytes'])
    .where('user_id', '=', user.userId)
    .executeTakeFirstOrThrow();

const stagedRows = async () =>
  Number(
    (
      await testApp.context.database.db
        .selectFrom('folder_copy_items')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Every live node below `folderId`, as `path → sha256 (or '/' for a folder)`. */
const treeOf = async (user: FixtureUser, folderId: string, prefix = '') => {
  const out: Record<string, string> = {};
  for (const item of await listAll(testApp.app, user, { folderId })) {
    const path = `${prefix}${item.name}`;
    out[path] = item.kind === 'folder' ? '/' : (item.sha256 ?? '');
    if (item.kind === 'folder') Object.assign(out, await treeOf(user, item.id, `${path}/`));
  }
  return out;
};

const newSourceTree = (user: FixtureUser) =>
  fixtures.newTree(user, {
    Projects: { 'a.txt': 'alpha', Sub: { 'b.bin': big, Deeper: {} }, Empty: {} },
    Target: {},
  });

describe('POST /api/folders/:id/copy', () => {
  test('202 with a job; nothing shows until the job commits the whole tree, charged once', async () => {
    const user = await fixtures.newUser();
    const tree = await newSourceTree(user);
    const source = tree.Projects as NodeDto;
    const target = tree.Target as NodeDto;
    const before = await usageOf(user);
    const response = await postCopy(user, source.id, { targetFolderId: target.id });
    expect(response.statusCode).toBe(202);
    const { job } = response.json<{ job: { id: string; status: string; name: string } }>();
    expect(job).toMatchObject({ status: 'queued', name: 'folders.copy' });
    // Queued, the bytes held but not used, and nothing in the target yet.
    expect(await treeOf(user, target.id)).toEqual({});
    expect(await usageOf(user)).toMatchObject({
      used_bytes: before.used_bytes,
      reserved_bytes: 3005,
    });

    await runQueuedJobs(testApp.context);
    const done = await getJob(testApp.app, user, job.id);
    expect(done.status).toBe('done');
    expect(done.progress).toMatchObject({
      filesDone: 2,
      filesTotal: 2,
      bytesDone: 3005,
      bytesTotal: 3005,
    });
    expect(await treeOf(user, target.id)).toEqual({
      Projects: '/',
      'Projects/a.txt': sha256Of(Buffer.from('alpha')),
      'Projects/Empty': '/',
      'Projects/Sub': '/',
      'Projects/Sub/b.bin': sha256Of(big),
      'Projects/Sub/Deeper': '/',
    });
    expect(await usageOf(user)).toEqual({
      used_bytes: before.used_bytes + 3005,
      file_count: before.file_count + 2,
      reserved_bytes: 0,
    });
    expect(await stagedRows()).toBe(0);
    // The copy has its own bytes: its download works and matches.
    const copied = (await listAll(testApp.app, user, { folderId: target.id }))[0] as NodeDto;
    const sub = (await listAll(testApp.app, user, { folderId: copied.id })).find(
      (item) => item.name === 'Sub',
    ) as NodeDto;
    const bin = (await listAll(testApp.app, user, { folderId: sub.id })).find(
      (item) => item.name === 'b.bin',
    ) as NodeDto;
    const content = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${bin.id}/content`,
      headers: user.headers,
    });
    expect(content.rawPayload.equals(big)).toBe(true);
  });

  test('a clash is renamed by default; onConflict=fail is 409 name_conflict, nothing queued', async () => {
    const user = await fixtures.newUser();
    const tree = await fixtures.newTree(user, { Docs: { 'x.txt': 'x' }, Into: { Docs: {} } });
    const source = tree.Docs as NodeDto;
    const target = tree.Into as NodeDto;
    const failed = await postCopy(user, source.id, {
      targetFolderId: target.id,
      onConflict: 'fail',
    });
    expect(failed.statusCode).toBe(409);
    expect(failed.json()).toMatchObject({ error: { code: 'name_conflict' } });
    expect((await usageOf(user)).reserved_bytes).toBe(0);
    expect(await postCopy(user, source.id, { targetFolderId: target.id })).toMatchObject({
      statusCode: 202,
    });
    await runQueuedJobs(testApp.context);
    expect(Object.keys(await treeOf(user, target.id)).sort()).toEqual([
      'Docs',
      'Docs (1)',
      'Docs (1)/x.txt',
    ]);
  });

  test('past the quota: 413 quota_exceeded, no job, no node, no blob, nothing held', async () => {
    const user = await fixtures.newUser({ quotaBytes: 5000 });
    const tree = await newSourceTree(user);
    const keys = await storeKeys();
    const before = await usageOf(user);
    const response = await postCopy(user, (tree.Projects as NodeDto).id, {
      targetFolderId: (tree.Target as NodeDto).id,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: { code: 'quota_exceeded' } });
    expect(await usageOf(user)).toEqual(before);
    expect(await treeOf(user, (tree.Target as NodeDto).id)).toEqual({});
    expect(await storeKeys()).toEqual(keys);
    expect(await stagedRows()).toBe(0);
    const jobs = await testApp.context.database.db
      .selectFrom('jobs')
      .select('id')
      .where('owner_id', '=', user.userId)
      .execute();
    expect(jobs).toEqual([]);
  });

  test('into itself or below itself is 409; the root is 400', async () => {
    const user = await fixtures.newUser();
    const tree = await newSourceTree(user);
    const source = tree.Projects as NodeDto;
    for (const into of [source, tree['Projects/Sub/Deeper'] as NodeDto]) {
      const response = await postCopy(user, source.id, { targetFolderId: into.id });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'conflict' } });
    }
    expect((await postCopy(user, 'root', { targetFolderId: source.id })).statusCode).toBe(400);
    expect((await usageOf(user)).reserved_bytes).toBe(0);
  });

  test("another user's folder is 404, as source or as target", async () => {
    const user = await fixtures.newUser();
    const stranger = await fixtures.newUser();
    const tree = await newSourceTree(user);
    const theirs = await fixtures.newFolder(stranger, { name: 'Mine' });
    expect(
      (await postCopy(stranger, (tree.Projects as NodeDto).id, { targetFolderId: theirs.id }))
        .statusCode,
    ).toBe(404);
    expect(
      (await postCopy(user, (tree.Projects as NodeDto).id, { targetFolderId: theirs.id }))
        .statusCode,
    ).toBe(404);
  });

  test("a viewer of a shared folder may not copy into it; an editor may, on the owner's quota", async () => {
    const owner = await fixtures.newUser();
    const sharee = await fixtures.newUser();
    const shared = await fixtures.newFolder(owner, { name: 'Shared' });
    const mine = await fixtures.newTree(sharee, { Mine: { 'm.txt': 'mine' } });
    const share = async (role: 'viewer' | 'editor') => {
      const response = await testApp.app.inject({
        method: 'POST',
        url: `/api/nodes/${shared.id}/shares`,
        headers: owner.headers,
        payload: { email: sharee.email, role },
      });
      expect(response.statusCode).toBeLessThan(300);
    };
    await share('viewer');
    const refused = await postCopy(sharee, (mine.Mine as NodeDto).id, {
      targetFolderId: shared.id,
    });
    expect(refused.statusCode).toBe(403);
    expect((await usageOf(owner)).reserved_bytes).toBe(0);

    await share('editor');
    const ownerBefore = await usageOf(owner);
    const shareeBefore = await usageOf(sharee);
    const accepted = await postCopy(sharee, (mine.Mine as NodeDto).id, {
      targetFolderId: shared.id,
    });
    expect(accepted.statusCode).toBe(202);
    await runQueuedJobs(testApp.context);
    expect(await treeOf(owner, shared.id)).toEqual({
      Mine: '/',
      'Mine/m.txt': sha256Of(Buffer.from('mine')),
    });
    expect((await usageOf(owner)).used_bytes).toBe(ownerBefore.used_bytes + 4);
    expect(await usageOf(sharee)).toEqual(shareeBefore);
  });

  test('a folder holding an archived file is 409 file_archived, as a single file copy is', async () => {
    const user = await fixtures.newUser();
    const tree = await newSourceTree(user);
    await sql`update nodes set storage_state = 'archived' where id = ${(tree['Projects/a.txt'] as NodeDto).id}`.execute(
      testApp.context.database.db,
    );
    const response = await postCopy(user, (tree.Projects as NodeDto).id, {
      targetFolderId: (tree.Target as NodeDto).id,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'file_archived' } });
  });

  test('a copy that cannot finish is undone: no node, no staged blob, nothing held', async () => {
    const user = await fixtures.newUser();
    const tree = await newSourceTree(user);
    const target = tree.Target as NodeDto;
    const before = await usageOf(user);
    const response = await postCopy(user, (tree.Projects as NodeDto).id, {
      targetFolderId: target.id,
    });
    const { job } = response.json<{ job: { id: string } }>();
    // The target goes away before the job commits: a refusal, so no retry either.
    await testApp.app.inject({
      method: 'DELETE',
      url: `/api/folders/${target.id}?recursive=true`,
      headers: user.headers,
    });
    const keys = await storeKeys();
    await runJobsThroughRetries(testApp, 2);
    const failed = await getJob(testApp.app, user, job.id);
    expect(failed.status).toBe('failed');
    expect(await stagedRows()).toBe(0);
    expect((await usageOf(user)).reserved_bytes).toBe(0);
    expect((await usageOf(user)).used_bytes).toBe(before.used_bytes);
    expect(await storeKeys()).toEqual(keys);
  });

  test('a copy whose job died on its last attempt is undone by the recovery job', async () => {
    const user = await fixtures.newUser();
    const tree = await newSourceTree(user);
    const keys = await storeKeys();
    const before = await usageOf(user);
    const response = await postCopy(user, (tree.Projects as NodeDto).id, {
      targetFolderId: (tree.Target as NodeDto).id,
    });
    const { job } = response.json<{ job: { id: string } }>();
    // What the queue leaves when a worker dies during the last attempt: a failed job whose
    // handler never ran its failure path, with some blobs already copied.
    const staged = await testApp.context.database.db
      .selectFrom('folder_copy_items')
      .select(['source_blob_key', 'new_blob_key'])
      .where('job_id', '=', job.id)
      .where('is_folder', '=', false)
      .execute();
    for (const item of staged)
      await testApp.context.blobStorage.copy({
        fromKey: item.source_blob_key ?? '',
        toKey: item.new_blob_key ?? '',
      });
    await testApp.context.database.db
      .updateTable('jobs')
      .set({ status: 'failed', last_error: 'The worker died.' })
      .where('id', '=', job.id)
      .execute();
    const handler = createRecoverAbandonedFolderCopiesHandler(toFilesDeps(testApp.context));
    const result = await handler.run(
      {},
      {
        jobId: 'recover',
        attempt: 1,
        signal: new AbortController().signal,
        reportProgress: async () => undefined,
      },
    );
    expect(result).toEqual({ recovered: 1 });
    expect(await stagedRows()).toBe(0);
    expect(await usageOf(user)).toEqual(before);
    expect(await storeKeys()).toEqual(keys);
    expect(await treeOf(user, (tree.Target as NodeDto).id)).toEqual({});
  });
});
