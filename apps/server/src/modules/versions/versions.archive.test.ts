import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FileVersionList } from '@myfile/contract';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { fixturesOf, type FixtureUser } from '../../test-support/fixtures.js';
import {
  createTestBucket,
  fromSharedS3Server,
  storageUrlOf,
  type TestBucket,
} from '../../test-support/s3-server.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { usesRealServices } from '../../test-support/test-services.js';
import { userActor } from '../access/access.models.js';
import {
  createFlakyColdTier,
  getJob,
  postArchive,
  postRestore,
  runJobsThroughRetries,
  stateOf,
} from '../archive/archive.test-utils.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { toFilesDeps } from '../nodes/nodes.usecases.js';
import { uploadFile } from '../uploads/uploads.usecases.js';

/**
 * Archive moves a file's versions to the cold tier with it, and restore brings every one back.
 * Both tiers are disk by default; with TEST_SERVICES=1 both are S3 buckets (the cold one written
 * GLACIER), as a deployment on AWS would have them.
 */
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

type Tree = {
  user: FixtureUser;
  folder: NodeDto;
  /** Every content each file had, oldest first; the last is the current one. */
  histories: { file: NodeDto; contents: Buffer[] }[];
};

const replaceContent = (testApp: TestApp, user: FixtureUser, file: NodeDto, content: Buffer) =>
  uploadFile({
    ...toFilesDeps(testApp.context),
    actor: userActor(user.userId),
    folderId: file.parentId ?? user.rootId,
    name: file.name,
    onConflict: 'replace',
    body: Readable.from([content]),
  });

/** A folder with a file replaced three times, one replaced once (in a subfolder), one never. */
const buildTree = async (testApp: TestApp): Promise<Tree> => {
  const fixtures = fixturesOf(testApp.context);
  const user = await fixtures.newUser();
  const folder = await fixtures.newFolder(user, { name: 'Projects' });
  const sub = await fixtures.newFolder(user, { name: 'sub', parentId: folder.id });
  const plan = [
    { name: 'report.bin', folderId: folder.id, count: 4 },
    { name: 'notes.txt', folderId: sub.id, count: 2 },
    { name: 'plain.bin', folderId: folder.id, count: 1 },
  ];
  const histories: Tree['histories'] = [];
  for (const { name, folderId, count } of plan) {
    const contents = Array.from({ length: count }, (_, i) => randomBytes(300 + 97 * i));
    const file = await fixtures.newFile(user, { name, content: contents[0] ?? '', folderId });
    for (const content of contents.slice(1)) await replaceContent(testApp, user, file, content);
    histories.push({ file, contents });
  }
  return { user, folder, histories };
};

const versionsOf = async (testApp: TestApp, user: FixtureUser, fileId: string) => {
  const response = await testApp.app.inject({
    method: 'GET',
    url: `/api/files/${fileId}/versions`,
    headers: user.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<FileVersionList>().versions;
};

const download = (testApp: TestApp, user: FixtureUser, url: string) =>
  testApp.app.inject({ method: 'GET', url, headers: user.headers });

/** The blob key of every version of the tree's files, from the database. */
const versionKeys = async (testApp: TestApp, tree: Tree) => {
  const rows = await testApp.context.database.db
    .selectFrom('file_versions')
    .select('blob_key')
    .where(
      'node_id',
      'in',
      tree.histories.map(({ file }) => file.id),
    )
    .execute();
  return rows.map((row) => row.blob_key);
};

/** Every content of every file, downloaded now: the current one and each version, oldest first. */
const downloadedHistories = async (testApp: TestApp, tree: Tree) =>
  Promise.all(
    tree.histories.map(async ({ file }) => {
      const versions = await versionsOf(testApp, tree.user, file.id);
      const hashes: string[] = [];
      for (const version of [...versions].reverse()) {
        const response = await download(
          testApp,
          tree.user,
          `/api/files/${file.id}/versions/${version.id}/content`,
        );
        expect(response.statusCode, response.body).toBe(200);
        hashes.push(sha256(response.rawPayload));
      }
      const current = await download(testApp, tree.user, `/api/files/${file.id}/content`);
      expect(current.statusCode).toBe(200);
      return [...hashes, sha256(current.rawPayload)];
    }),
  );

const expectedHistories = (tree: Tree) =>
  tree.histories.map(({ contents }) => contents.map(sha256));

describe(`archive and restore carry every version (${usesRealServices() ? 'both tiers on S3' : 'both tiers on disk'})`, () => {
  let testApp: TestApp;
  let cold: TestBucket | undefined;
  let tree: Tree;
  beforeAll(async () => {
    const shared = usesRealServices() ? inject('s3TestServer') : null;
    cold = shared ? await createTestBucket(fromSharedS3Server(shared)) : undefined;
    testApp = await createTestApp({
      env: cold ? { ARCHIVE_STORAGE_URL: storageUrlOf(cold.config) } : {},
    });
    tree = await buildTree(testApp);
  });
  afterAll(async () => {
    await testApp.close();
    await cold?.cleanup();
  });

  test('archive moves every version to the cold tier; reading one is 409 meanwhile', async () => {
    expect(await downloadedHistories(testApp, tree)).toEqual(expectedHistories(tree));
    const keys = await versionKeys(testApp, tree);
    expect(keys).toHaveLength(3 + 1);

    const { job } = (await postArchive(testApp.app, tree.user, tree.folder.id)).json<{
      job: { id: string };
    }>();
    await runJobsThroughRetries(testApp, 1);
    expect((await getJob(testApp.app, tree.user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, tree.user, tree.folder.id)).toBe('archived');
    for (const key of keys) {
      expect(await testApp.context.blobStorage.exists({ key })).toBe(false);
      expect(await testApp.context.archiveStorage.exists({ key })).toBe(true);
    }
    const [first] = tree.histories;
    if (!first) throw new Error('no file');
    const [version] = await versionsOf(testApp, tree.user, first.file.id);
    if (!version) throw new Error('no version');
    const archived = await download(
      testApp,
      tree.user,
      `/api/files/${first.file.id}/versions/${version.id}/content`,
    );
    expect(archived.statusCode).toBe(409);
    expect(archived.json()).toMatchObject({ error: { code: 'file_archived' } });
  });

  test('restore brings every version back with its SHA-256, and a version restores again', async () => {
    const { job } = (await postRestore(testApp.app, tree.user, tree.folder.id)).json<{
      job: { id: string };
    }>();
    // A cold tier that thaws later snoozes the first run; the next one finishes.
    await runJobsThroughRetries(testApp, 3);
    expect((await getJob(testApp.app, tree.user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, tree.user, tree.folder.id)).toBe('hot');
    expect(await downloadedHistories(testApp, tree)).toEqual(expectedHistories(tree));
    for (const key of await versionKeys(testApp, tree)) {
      expect(await testApp.context.blobStorage.exists({ key })).toBe(true);
      expect(await testApp.context.archiveStorage.exists({ key })).toBe(false);
    }

    const [first] = tree.histories;
    if (!first) throw new Error('no file');
    const oldest = (await versionsOf(testApp, tree.user, first.file.id)).at(-1);
    if (!oldest) throw new Error('no version');
    const restored = await testApp.app.inject({
      method: 'POST',
      url: `/api/files/${first.file.id}/versions/${oldest.id}/restore`,
      headers: tree.user.headers,
    });
    expect(restored.statusCode, restored.body).toBe(200);
    const current = await download(testApp, tree.user, `/api/files/${first.file.id}/content`);
    expect(sha256(current.rawPayload)).toBe(sha256(first.contents[0] ?? Buffer.alloc(0)));
  });
});

describe('a run cut short while moving versions is resumed by the next run', () => {
  const cold = createFlakyColdTier();
  let testApp: TestApp;
  let tree: Tree;
  beforeAll(async () => {
    testApp = await createTestApp({ archiveStorage: cold.storage });
    tree = await buildTree(testApp);
  });
  afterAll(() => testApp.close());

  test('archive stops half-way through a file’s versions, restore half-way too; nothing is lost', async () => {
    // Two puts in: the first file's content and one of its three versions are cold.
    cold.failAfter(2);
    const archive = (await postArchive(testApp.app, tree.user, tree.folder.id)).json<{
      job: { id: string };
    }>();
    await runJobsThroughRetries(testApp, 1);
    expect((await getJob(testApp.app, tree.user, archive.job.id)).status).toBe('queued');
    cold.heal();
    await runJobsThroughRetries(testApp, 1);
    expect((await getJob(testApp.app, tree.user, archive.job.id)).status).toBe('done');
    for (const key of await versionKeys(testApp, tree))
      expect(await testApp.context.blobStorage.exists({ key })).toBe(false);

    const restore = (await postRestore(testApp.app, tree.user, tree.folder.id)).json<{
      job: { id: string };
    }>();
    await runJobsThroughRetries(testApp, 1);
    cold.completeRestores();
    cold.failAfter(3);
    await runJobsThroughRetries(testApp, 1);
    expect((await getJob(testApp.app, tree.user, restore.job.id)).status).toBe('queued');
    cold.heal();
    await runJobsThroughRetries(testApp, 1);
    expect((await getJob(testApp.app, tree.user, restore.job.id)).status).toBe('done');
    expect(await downloadedHistories(testApp, tree)).toEqual(expectedHistories(tree));
  });
});
