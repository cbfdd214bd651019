import {
  GetObjectCommand,
  HeadObjectCommand,
  RestoreObjectCommand,
  type Tier,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { S3BlobStorageConfig } from '../../../blob-storage/blob-storage.config.js';
import { createS3BlobStorage } from '../../../blob-storage/drivers/s3/s3.blob-storage.js';
import { createS3Client } from '../../../blob-storage/drivers/s3/s3.client.js';
import { toS3StoreError } from '../../../blob-storage/drivers/s3/s3.errors.js';
import {
  ArchiveNotReadableError,
  type ArchiveStorage,
  type RestoreTier,
} from '../../archive-storage.types.js';

const TIERS: Record<RestoreTier, Tier> = {
  expedited: 'Expedited',
  standard: 'Standard',
  bulk: 'Bulk',
};
const COLD_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** How long S3 keeps the temporary readable copy; the restore job copies it back well before. */
const RESTORED_COPY_DAYS = 3;

/**
 * Objects are written with a cold storage class (GLACIER unless the URL names another) and
 * brought back with RestoreObject; HeadObject's `x-amz-restore` tells when they are readable.
 */
export const createS3ArchiveStorage = (config: S3BlobStorageConfig): ArchiveStorage => {
  const coldConfig = { ...config, storageClass: config.storageClass ?? 'GLACIER' };
  const objects = createS3BlobStorage(coldConfig);
  const client = createS3Client(coldConfig);
  const Bucket = config.bucket;
  const objectKey = (key: string) => (config.prefix ? `${config.prefix}/${key}` : key);

  return {
    driverName: 's3',
    put: async ({ key, body }) => {
      const { size } = await objects.put({ key, body });
      return { size };
    },
    requestRestore: async ({ key, tier }) => {
      try {
        await client.send(
          new RestoreObjectCommand({
            Bucket,
            Key: objectKey(key),
            RestoreRequest: {
              Days: RESTORED_COPY_DAYS,
              GlacierJobParameters: { Tier: TIERS[tier] },
            },
          }),
        );
      } catch (error) {
        // Asking again while a restore runs, or for an object not in a cold class, is fine.
        const name = (error as Error).name;
        if (name === 'RestoreAlreadyInProgress' || name === 'InvalidObjectState') return;
        throw toS3StoreError(error, key);
      }
    },
    state: async ({ key }) => {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        if (!COLD_CLASSES.has(head.StorageClass ?? 'STANDARD')) return 'readable';
        if (!head.Restore) return 'archived';
        return /ongoing-request="true"/.test(head.Restore) ? 'restoring' : 'readable';
      } catch (error) {
        throw toS3StoreError(error, key);
      }
    },
    get: async ({ key }) => {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
        return response.Body as Readable;
      } catch (error) {
        if ((error as Error).name === 'InvalidObjectState') throw new ArchiveNotReadableError(key);
        throw toS3StoreError(error, key);
      }
    },
    exists: ({ key }) => objects.exists({ key }),
    delete: ({ key }) => objects.delete({ key }),
    sweepStaging: (args) => objects.sweepStaging(args),
  };
};
