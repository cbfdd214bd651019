import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterAll, expect, test } from 'vitest';
import { createTestBucket, startS3TestServer } from '../../../test-support/s3-server.js';
import { describeArchiveStorageContract } from '../../archive-storage.contract.js';
import { createS3ArchiveStorage } from './s3.archive-storage.js';
import { ArchiveNotReadableError } from '../../archive-storage.types.js';

// moto models the GLACIER class (GET refused until restored) and completes RestoreObject at once.
const server = await startS3TestServer();
afterAll(() => server.stop());

describeArchiveStorageContract(`s3 GLACIER (${server.kind})`, async () => {
  const bucket = await createTestBucket(server);
  return { storage: createS3ArchiveStorage(bucket.config), cleanup: () => bucket.cleanup() };
});

test('objects are written GLACIER and cannot be read before a restore', async () => {
  const bucket = await createTestBucket(server);
  try {
    const storage = createS3ArchiveStorage(bucket.config);
    await storage.put({ key: 'ab/cd/cold', body: Readable.from([Buffer.from('cold bytes')]) });
    const head = await bucket.client.send(
      new HeadObjectCommand({ Bucket: bucket.config.bucket, Key: 'ab/cd/cold' }),
    );
    expect(head.StorageClass).toBe('GLACIER');
    expect(await storage.state({ key: 'ab/cd/cold' })).toBe('archived');
    await expect(storage.get({ key: 'ab/cd/cold' })).rejects.toBeInstanceOf(
      ArchiveNotReadableError,
    );
  } finally {
    await bucket.cleanup();
  }
});
