import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@tus/utils';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { createBlobStorage } from '../../blob-storage/blob-storage.factory.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import {
  createTestBucket,
  fromSharedS3Server,
  storageUrlOf,
  type TestBucket,
} from '../../test-support/s3-server.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { sweepOrphanBlobs } from '../files/files.jobs.js';
import { signUp, type TestUser } from '../nodes/nodes.test-utils.js';
import { InPlaceS3Store } from './uploads.tus-s3-store.js';

/**
 * Resumable uploads on S3 (moto_server, TEST_SERVICES=1) under a key prefix: the multipart
 * upload tus completes is the file's blob, with no copy after it.
 */
const MiB = 1024 * 1024;
let bucket: TestBucket;
let store: BlobStorage;
let testApp: TestApp;
let user: TestUser;
let endpoint: string;
beforeAll(async () => {
  const shared = inject('s3TestServer');
  if (!shared)
    throw new Error('These tests need the S3 test server: run them with TEST_SERVICES=1.');
  bucket = await createTestBucket(fromSharedS3Server(shared), { prefix: 'hot' });
  store = await createBlobStorage(bucket.config);
  testApp = await createTestApp({
    env: {
      STORAGE_URL: `${storageUrlOf(bucket.config)}&prefix=hot`,
      MAX_UPLOAD_BYTES: String(64 * MiB),
    },
    blobStorage: store,
  });
  user = await signUp(testApp.app);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}/api/uploads`;
});
afterAll(async () => {
  await testApp?.close();
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const keysInStore = async () => {
  const keys: string[] = [];
  for await (const { key } of store.list({})) keys.push(key);
  return keys.sort();
};

const upload = (data: Buffer, name: string, chunkSize: number) =>
  new Promise<{ fileId: string; url: string }>((resolve, reject) => {
    let fileId = '';
    const sending: tus.Upload = new tus.Upload(data, {
      endpoint,
      headers: user.headers,
      metadata: { filename: name },
      chunkSize,
      retryDelays: [],
      onAfterResponse: (_request, response) => {
        fileId = response.getHeader('x-file-id') || fileId;
      },
      onSuccess: () => resolve({ fileId, url: sending.url ?? '' }),
      onError: reject,
    });
    sending.start();
  });

const blobKeyOf = async (fileId: string) =>
  (
    await testApp.context.database.db
      .selectFrom('nodes')
      .select(['blob_key', 'sha256'])
      .where('id', '=', fileId)
      .executeTakeFirstOrThrow()
  ).blob_key ?? '';

test('the completed multipart upload is the blob: right bytes and SHA-256, nothing else left', async () => {
  const before = await keysInStore();
  // 6 MiB PATCHes: whole parts, then a short last one; 13 MiB + 5 spans three parts.
  const data = randomBytes(13 * MiB + 5);
  const { fileId, url } = await upload(data, 'big.bin', 6 * MiB);
  const key = await blobKeyOf(fileId);
  // The upload's URL names the uuid its object was staged under: the blob's own key.
  expect(key.endsWith(`/${url.slice(url.lastIndexOf('/') + 1)}`)).toBe(true);
  const row = await testApp.context.database.db
    .selectFrom('nodes')
    .select('sha256')
    .where('id', '=', fileId)
    .executeTakeFirstOrThrow();
  expect(row.sha256).toBe(sha256(data));
  const download = await testApp.app.inject({
    method: 'GET',
    url: `/api/files/${fileId}/content`,
    headers: user.headers,
  });
  expect(download.rawPayload.equals(data)).toBe(true);
  // One new object, the blob: tus's .info and .part records went, and no copy was made.
  expect((await keysInStore()).filter((k) => !before.includes(k))).toEqual([key]);
  const usage = await testApp.app.inject({
    method: 'GET',
    url: '/api/usage',
    headers: user.headers,
  });
  expect(usage.json<{ usedBytes: number }>().usedBytes).toBe(data.length);
  // Ending the upload afterwards leaves the file's bytes alone.
  const ended = await testApp.app.inject({
    method: 'DELETE',
    url: new URL(url).pathname,
    headers: { ...user.headers, 'tus-resumable': '1.0.0' },
  });
  expect(ended.statusCode).toBeLessThan(300);
  expect(await store.exists({ key })).toBe(true);
});

test('an empty upload and a small one complete in place too', async () => {
  for (const data of [Buffer.alloc(0), Buffer.from('hello, world')]) {
    const { fileId } = await upload(data, `small-${data.length}.txt`, 6 * MiB);
    const download = await testApp.app.inject({
      method: 'GET',
      url: `/api/files/${fileId}/content`,
      headers: user.headers,
    });
    expect(download.rawPayload.equals(data)).toBe(true);
    expect(await store.exists({ key: await blobKeyOf(fileId) })).toBe(true);
  }
});

test('an upload completed but never committed (its folder gone) is an orphan the sweep removes', async () => {
  const folder = await testApp.app.inject({
    method: 'POST',
    url: '/api/folders',
    headers: user.headers,
    payload: { name: 'doomed' },
  });
  const folderId = folder.json<{ id: string }>().id;
  const data = randomBytes(MiB);
  const created = await testApp.app.inject({
    method: 'POST',
    url: '/api/uploads',
    headers: {
      ...user.headers,
      'tus-resumable': '1.0.0',
      'upload-length': String(data.length),
      'upload-metadata': `filename ${Buffer.from('x.bin').toString('base64')},folderId ${Buffer.from(folderId).toString('base64')}`,
    },
  });
  expect(created.statusCode).toBe(201);
  const location = String(created.headers.location);
  await testApp.app.inject({
    method: 'DELETE',
    url: `/api/folders/${folderId}`,
    headers: user.headers,
  });
  const before = await keysInStore();
  const patched = await testApp.app.inject({
    method: 'PATCH',
    url: location,
    headers: {
      ...user.headers,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    payload: data,
  });
  expect(patched.statusCode).toBeGreaterThanOrEqual(400);
  const orphan = (await keysInStore()).find(
    (k) => !before.includes(k) && /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(k),
  );
  expect(orphan).toBeDefined();
  await sweepOrphanBlobs({
    db: testApp.context.database.db,
    blobStorage: store,
    now: new Date(Date.now() + 2 * 3_600_000),
  });
  expect(await store.exists({ key: orphan ?? '' })).toBe(false);
});

const storeOptions = () => ({
  keyPrefix: 'hot/',
  partSize: 5 * MiB,
  s3ClientConfig: {
    bucket: bucket.config.bucket,
    region: bucket.config.region ?? 'us-east-1',
    ...(bucket.config.endpoint ? { endpoint: bucket.config.endpoint } : {}),
    ...(bucket.config.credentials ? { credentials: bucket.config.credentials } : {}),
    forcePathStyle: true,
  },
});

test('an upload continued by another process reads its object once for the SHA-256', async () => {
  const options = storeOptions();
  const first = new InPlaceS3Store(options);
  const data = randomBytes(7 * MiB + 3);
  const id = first.newUploadId();
  await first.create(new Upload({ id, size: data.length, offset: 0 }));
  await first.write(Readable.from([data.subarray(0, 5 * MiB)]), id, 0);
  const second = new InPlaceS3Store(options);
  const end = await second.write(Readable.from([data.subarray(5 * MiB)]), id, 5 * MiB);
  expect(end).toBe(data.length);
  expect(await second.sha256Of(id, data.length)).toBe(sha256(data));
  const key = first.blobKeyOf(id) ?? '';
  expect(await store.head({ key })).toMatchObject({ size: data.length });
});

test("expiry aborts the store's own stale uploads and leaves other multipart uploads in the bucket", async () => {
  const staging = new InPlaceS3Store({ ...storeOptions(), expirationPeriodInMilliseconds: 1 });
  const id = staging.newUploadId();
  await staging.create(new Upload({ id, size: 10, offset: 0 }));
  const { UploadId: foreignId } = await bucket.client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket.config.bucket, Key: 'another-app/object' }),
  );
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(await staging.deleteExpired()).toBeGreaterThan(0);
  const left = (
    (await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.config.bucket })))
      .Uploads ?? []
  ).map(({ Key }) => Key);
  expect(left).toContain('another-app/object');
  expect(left).not.toContain(id);
  await bucket.client.send(
    new AbortMultipartUploadCommand({
      Bucket: bucket.config.bucket,
      Key: 'another-app/object',
      UploadId: foreignId,
    }),
  );
});
