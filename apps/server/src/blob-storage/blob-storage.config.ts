export const s3StorageClasses = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'REDUCED_REDUNDANCY',
  'GLACIER',
  'GLACIER_IR',
  'DEEP_ARCHIVE',
] as const;

export type S3StorageClass = (typeof s3StorageClasses)[number];

export type S3BlobStorageConfig = {
  driver: 's3';
  bucket: string;
  /** Left to the AWS default chain (AWS_REGION, ~/.aws/config) when absent. */
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Prepended to every key, without leading or trailing "/". */
  prefix?: string;
  storageClass?: S3StorageClass;
  /** Left to the AWS default provider chain when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  /** Idle time on an open socket before the request is failed. */
  socketTimeoutMs?: number;
  /** Multipart tuning: memory per upload is about partSizeBytes × (queueSize + 1). */
  partSizeBytes?: number;
  queueSize?: number;
  /** Copies above this go part by part (S3 refuses single copies over 5 GiB). */
  singleCopyLimitBytes?: number;
  copyPartSizeBytes?: number;
};

export type BlobStorageConfig =
  { driver: 'fs'; root: string } | { driver: 'memory' } | S3BlobStorageConfig;
