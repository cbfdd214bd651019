import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import type { S3BlobStorageConfig } from '../../blob-storage.config.js';
import { BlobNotFoundError, InvalidBlobKeyError } from '../../blob-storage.errors.js';
import { assertValidBlobKey, assertValidBlobPrefix } from '../../blob-storage.keys.js';
import { meterBody } from '../../blob-storage.metering.js';
import type { BlobListing, BlobStorage } from '../../blob-storage.types.js';
import { createS3Client } from './s3.client.js';
import { copyS3Object } from './s3.copy.js';
import { abortMultipartUploads } from './s3.multipart-sweep.js';
import { isS3MissingObject, toS3StoreError } from './s3.errors.js';

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const DEFAULT_QUEUE_SIZE = 4;
const MAX_PARTS = 10_000;

export type S3BlobStorageOptions = Omit<S3BlobStorageConfig, 'driver'>;

/** The SDK client stays in here: callers only ever see the BlobStorage port. */
export const createS3BlobStorage = (options: S3BlobStorageOptions): BlobStorage => {
  const config: S3BlobStorageConfig = { driver: 's3', ...options };
  const client = createS3Client(config);
  const { bucket } = config;
  const keyPrefix = config.prefix ? `${config.prefix}/` : '';

  // S3 allows 10,000 parts, so a body that may reach maxBytes needs parts of at least 1/10,000 of it.
  const partSizeFor = (maxBytes: number | undefined): number =>
    Math.max(config.partSizeBytes ?? DEFAULT_PART_SIZE, Math.ceil((maxBytes ?? 0) / MAX_PARTS));

  const objectKey = (key: string): string => {
    assertValidBlobKey(key);
    return keyPrefix + key;
  };

  const headOrThrow = async (key: string) => {
    const Key = objectKey(key);
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    } catch (error) {
      throw toS3StoreError(error, key);
    }
  };

  return {
    driverName: 's3',

    async put({ key, body, contentType, maxBytes }) {
      const metered = meterBody(body, maxBytes);
      try {
        const upload = new Upload({
          client,
          params: {
            Bucket: bucket,
            Key: objectKey(key),
            Body: metered.stream,
            ...(contentType ? { ContentType: contentType } : {}),
            ...(config.storageClass ? { StorageClass: config.storageClass } : {}),
          },
          partSize: partSizeFor(maxBytes),
          queueSize: config.queueSize ?? DEFAULT_QUEUE_SIZE,
          // On any failure Upload sends AbortMultipartUpload before it rejects.
          leavePartsOnError: false,
        });
        // A body error or the size limit makes the metered stream throw inside Upload, which
        // then aborts the multipart upload itself; nothing is ever completed under the key.
        await upload.done();
        return metered.result();
      } catch (error) {
        // Upload stops reading on a store error and would leave the body paused mid-way.
        metered.stream.destroy();
        body.destroy();
        if (error instanceof InvalidBlobKeyError) throw error;
        throw metered.failure() ?? toS3StoreError(error);
      }
    },

    async get({ key, range }) {
      const Key = objectKey(key);
      try {
        const response = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key,
            ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
          }),
        );
        if (!(response.Body instanceof Readable)) {
          throw new Error('The S3 client returned a non-Node stream body.');
        }
        return { body: response.Body, size: response.ContentLength ?? 0 };
      } catch (error) {
        throw toS3StoreError(error, key);
      }
    },

    async head({ key }) {
      const response = await headOrThrow(key);
      return {
        size: response.ContentLength ?? 0,
        lastModified: response.LastModified ?? new Date(0),
      };
    },

    async exists({ key }) {
      try {
        await headOrThrow(key);
        return true;
      } catch (error) {
        if (error instanceof BlobNotFoundError) return false;
        throw error;
      }
    },

    async copy({ fromKey, toKey }) {
      const from = objectKey(fromKey);
      const to = objectKey(toKey);
      try {
        await copyS3Object({
          client,
          bucket,
          from,
          to,
          ...(config.storageClass ? { storageClass: config.storageClass } : {}),
          ...(config.singleCopyLimitBytes
            ? { singleCopyLimitBytes: config.singleCopyLimitBytes }
            : {}),
          ...(config.copyPartSizeBytes ? { partSizeBytes: config.copyPartSizeBytes } : {}),
        });
      } catch (error) {
        throw toS3StoreError(error, fromKey);
      }
    },

    async delete({ key }) {
      const Key = objectKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      } catch (error) {
        // Some S3-compatible stores answer 404 where S3 itself answers 204.
        if (!isS3MissingObject(error)) throw toS3StoreError(error);
      }
    },

    async *list({ prefix = '' }): AsyncGenerator<BlobListing> {
      assertValidBlobPrefix(prefix);
      const pages = paginateListObjectsV2(
        { client },
        { Bucket: bucket, Prefix: keyPrefix + prefix },
      );
      try {
        for await (const page of pages) {
          for (const object of page.Contents ?? []) {
            if (object.Key === undefined || !object.Key.startsWith(keyPrefix)) continue;
            yield {
              key: object.Key.slice(keyPrefix.length),
              size: object.Size ?? 0,
              lastModified: object.LastModified ?? new Date(0),
            };
          }
        }
      } catch (error) {
        throw toS3StoreError(error);
      }
    },

    async sweepStaging({ olderThan }) {
      try {
        return await abortMultipartUploads({ client, bucket, prefix: keyPrefix, olderThan });
      } catch (error) {
        throw toS3StoreError(error);
      }
    },

    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw toS3StoreError(error);
      }
    },
  };
};
