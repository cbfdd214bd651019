import { S3Client } from '@aws-sdk/client-s3';
import type { S3BlobStorageConfig } from '../../blob-storage.config.js';

export const createS3Client = (config: S3BlobStorageConfig): S3Client =>
  new S3Client({
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
    forcePathStyle: config.forcePathStyle ?? false,
    maxAttempts: config.maxAttempts ?? 3,
    // Without these a dead endpoint hangs readiness checks and uploads for minutes.
    requestHandler: {
      connectionTimeout: config.connectionTimeoutMs ?? 5_000,
      socketTimeout: config.socketTimeoutMs ?? 60_000,
    },
    // We hash every body ourselves; the SDK's default CRC trailers (aws-chunked) are not
    // understood by many S3-compatible stores.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
