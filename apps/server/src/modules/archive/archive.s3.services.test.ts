import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  createTestBucket,
  fromSharedS3Server,
  storageUrlOf,
  type TestBucket,
} from '../../test-support/s3-server.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { NodeDto } from '../nodes/nodes.models.js';
import { createFolderVia, signUp, uploadOne, type TestUser } from '../nodes/nodes.test-utils.js';
import {
  downloadHashes,
  getJob,
  postArchive,
  postRestore,
  runJobsThroughRetries,
  sha256Of,
  stateOf,
  blobKeyOf,
} from './archive.test-utils.js';

/**
 * The whole archive → restore path with both tiers on a real S3-compatible server: the hot
 * store in one bucket (as on AWS), the cold tier in a second bucket written GLACIER, set up
 * through ARCHIVE_STORAGE_URL as a deployment would. moto refuses GETs of GLACIER objects
 * until restored but completes RestoreObject at once, so the wait on a slow restore is
 * tested against the memory cold tier instead (archive.routes and archive.failure tests).
 */
let testApp: TestApp;
let cold: TestBucket;
let user: TestUser;
let folder: NodeDto;
const files: NodeDto[] = [];
// An empty file, a small one, and one above the S3 multipart threshold.
const contents = [Buffer.alloc(0), randomBytes(1000), randomBytes(6 * 1024 * 1024 + 17)];

const coldStorageClass = async (key: string) => {
  const head = await cold.client.send(
    new HeadObjectCommand({ Bucket: cold.config.bucket, Key: key }),
  );
  return head.StorageClass;
};

beforeAll(async () => {
  const shared = inject('s3TestServer');
  if (!shared)
    throw new Error('These tests need the S3 test server: run them with TEST_SERVICES=1.');
  cold = await createTestBucket(fromSharedS3Server(shared));
  testApp = await createTestApp({ env: { ARCHIVE_STORAGE_URL: storageUrlOf(cold.config) } });
  user = await signUp(testApp.app);
  folder = await createFolderVia(testApp.app, user, { name: 'On S3' });
  const sub = await createFolderVia(testApp.app, user, { name: 'sub', parentId: folder.id });
  for (const [i, content] of contents.entries()) {
    const folderId = i === 1 ? sub.id : folder.id;
    files.push(await uploadOne(testApp.app, user, { name: `${i}.bin`, content, folderId }));
  }
});
afterAll(async () => {
  await testApp.close();
  await cold.cleanup();
});

describe('archive and restore with both tiers on S3 (second bucket, GLACIER)', () => {
  test('both tiers are S3', () => {
    expect(testApp.context.blobStorage.driverName).toBe('s3');
    expect(testApp.context.archiveStorage.driverName).toBe('s3');
  });

  test('archive moves every blob to the cold bucket as GLACIER; downloads are 409 file_archived', async () => {
    const { job } = (await postArchive(testApp.app, user, folder.id)).json<{
      job: { id: string };
    }>();
    await runJobsThroughRetries(testApp, 1);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('archived');
    for (const file of files) {
      const key = await blobKeyOf(testApp, file.id);
      expect(await testApp.context.blobStorage.exists({ key })).toBe(false);
      expect(await coldStorageClass(key)).toBe('GLACIER');
      const download = await testApp.app.inject({
        method: 'GET',
        url: `/api/files/${file.id}/content`,
        headers: user.headers,
      });
      expect(download.statusCode).toBe(409);
      expect(download.json()).toMatchObject({ error: { code: 'file_archived' } });
    }
  });

  test('restore asks S3 to restore, copies back identical bytes and empties the cold bucket', async () => {
    const { job } = (await postRestore(testApp.app, user, folder.id, { tier: 'expedited' })).json<{
      job: { id: string };
    }>();
    // The first run may find the restore still marked ongoing and snooze; the next finishes.
    await runJobsThroughRetries(testApp, 2);
    expect((await getJob(testApp.app, user, job.id)).status).toBe('done');
    expect(await stateOf(testApp.app, user, folder.id)).toBe('hot');
    expect(await downloadHashes(testApp, user, files)).toEqual(contents.map(sha256Of));
    for (const file of files) {
      const key = await blobKeyOf(testApp, file.id);
      expect(await testApp.context.archiveStorage.exists({ key })).toBe(false);
      expect(await testApp.context.blobStorage.exists({ key })).toBe(true);
    }
  });
});
