import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../app/app-error.js';
import {
  createTestBucket,
  startS3TestServer,
  type TestBucket,
} from '../../../test-support/s3-server.js';
import { describeBlobStorageContract } from '../../blob-storage.contract.js';
import { BlobTooLargeError } from '../../blob-storage.errors.js';
import {
  collect,
  generatedStream,
  hashStream,
  readAll,
  sha256OfPattern,
} from '../../blob-storage.test-utils.js';
import { createS3BlobStorage } from './s3.blob-storage.js';

// Runs only in `npm run test:services`, where a missing S3-compatible server fails the run.
const server = await startS3TestServer();
afterAll(async () => {
  await server.stop();
});

// 5 MiB is S3's smallest part: the contract's 12 MiB blobs then take three parts.
const SMALL_PARTS = { partSizeBytes: 5 * 1024 * 1024, queueSize: 2 };

describe('s3 blob storage against a real S3-compatible server', () => {
  const kind = server.kind;

  describeBlobStorageContract(`s3 (${kind})`, async () => {
    const bucket = await createTestBucket(server);
    return {
      storage: createS3BlobStorage({ ...bucket.config, ...SMALL_PARTS }),
      cleanup: () => bucket.cleanup(),
    };
  });

  describeBlobStorageContract(`s3 (${kind}) with a key prefix`, async () => {
    const bucket = await createTestBucket(server, { prefix: 'tenant/blobs' });
    return {
      storage: createS3BlobStorage({ ...bucket.config, ...SMALL_PARTS }),
      cleanup: () => bucket.cleanup(),
    };
  });

  describe('s3 specifics', () => {
    let bucket: TestBucket;
    beforeEach(async () => {
      bucket = await createTestBucket(server);
    });
    afterEach(async () => {
      await bucket.cleanup();
    });

    it.runIf(server.supportsAbortMultipart)(
      'aborts the multipart upload when the limit is crossed',
      async () => {
        const storage = createS3BlobStorage({ ...bucket.config, ...SMALL_PARTS });
        const body = generatedStream({ size: 20 * 1024 * 1024 });
        await expect(
          storage.put({ key: 'a/b/c', body, maxBytes: 12 * 1024 * 1024 }),
        ).rejects.toBeInstanceOf(BlobTooLargeError);
        const uploads = await bucket.client.send(
          new ListMultipartUploadsCommand({ Bucket: bucket.config.bucket }),
        );
        expect(uploads.Uploads ?? []).toEqual([]);
      },
    );

    it.runIf(server.supportsUploadPartCopy)(
      'copies part by part above the single-copy limit',
      async () => {
        const storage = createS3BlobStorage({
          ...bucket.config,
          ...SMALL_PARTS,
          singleCopyLimitBytes: 1024 * 1024,
          copyPartSizeBytes: 5 * 1024 * 1024,
        });
        const size = 12 * 1024 * 1024 + 7;
        await storage.put({
          key: 'from/x',
          body: generatedStream({ size }),
          contentType: 'application/pdf',
        });
        await storage.copy({ fromKey: 'from/x', toKey: 'to/x' });
        expect(await hashStream((await storage.get({ key: 'to/x' })).body)).toEqual({
          size,
          sha256: sha256OfPattern(size),
        });
        const uploads = await bucket.client.send(
          new ListMultipartUploadsCommand({ Bucket: bucket.config.bucket }),
        );
        expect(uploads.Uploads ?? []).toEqual([]);
      },
    );

    it.runIf(server.supportsAbortMultipart)(
      'sweeps the incomplete multipart uploads under its prefix started before the cutoff',
      async () => {
        const Bucket = bucket.config.bucket;
        const start = (Key: string) =>
          bucket.client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
        await start('tenant/ab/cd/left-by-a-crash');
        await start('tenant/ab/cd/another');
        await start('other/ab/cd/not-ours');
        const storage = createS3BlobStorage({ ...bucket.config, prefix: 'tenant' });
        const pending = async () =>
          ((await bucket.client.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? [])
            .map((upload) => upload.Key)
            .sort();
        // Started after the cutoff: may still be running. (moto dates every upload 2010-11-10.)
        expect(await storage.sweepStaging({ olderThan: new Date('2001-01-01') })).toEqual({
          removed: 0,
        });
        expect(await pending()).toHaveLength(3);
        expect(await storage.sweepStaging({ olderThan: new Date(Date.now() + 60_000) })).toEqual({
          removed: 2,
        });
        expect(await pending()).toEqual(['other/ab/cd/not-ours']);
        // Nothing left under the prefix: a second sweep is a no-op.
        expect(await storage.sweepStaging({})).toEqual({ removed: 0 });
      },
    );

    it('keeps prefixed objects under the prefix and out of other listings', async () => {
      const prefixed = createS3BlobStorage({ ...bucket.config, prefix: 'one' });
      const plain = createS3BlobStorage(bucket.config);
      await prefixed.put({ key: 'k/1', body: Readable.from([Buffer.from('x')]) });
      expect((await collect(plain.list({}))).map((listing) => listing.key)).toEqual(['one/k/1']);
      expect((await collect(prefixed.list({}))).map((listing) => listing.key)).toEqual(['k/1']);
      expect((await readAll((await plain.get({ key: 'one/k/1' })).body)).toString()).toBe('x');
    });

    it('answers unavailable when the bucket does not exist', async () => {
      const storage = createS3BlobStorage({
        ...bucket.config,
        bucket: 'no-such-bucket-here',
        maxAttempts: 1,
      });
      await expect(storage.ping()).rejects.toMatchObject({ code: 'unavailable', statusCode: 503 });
      // HEAD answers a bare 404 either way, so only GET can tell a missing bucket from a missing key.
      await expect(storage.get({ key: 'a/b' })).rejects.toMatchObject({ code: 'unavailable' });
    });
  });
});

describe('s3 blob storage with the store unreachable', () => {
  // Port 9 (discard) on loopback: nothing listens there, so connections are refused at once.
  const storage = createS3BlobStorage({
    bucket: 'unreachable',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    connectionTimeoutMs: 1_000,
  });

  it('fails ping with a 503 unavailable error, quickly', async () => {
    const started = Date.now();
    const ping = storage.ping();
    await expect(ping).rejects.toBeInstanceOf(AppError);
    await expect(ping).rejects.toMatchObject({
      code: 'unavailable',
      statusCode: 503,
      message: 'Blob storage is unavailable.',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('fails put, get and delete with a 503 unavailable error', async () => {
    const started = Date.now();
    await expect(
      storage.put({ key: 'a/b', body: Readable.from([Buffer.from('x')]) }),
    ).rejects.toMatchObject({
      code: 'unavailable',
      statusCode: 503,
    });
    await expect(storage.get({ key: 'a/b' })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(storage.delete({ key: 'a/b' })).rejects.toMatchObject({ code: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
