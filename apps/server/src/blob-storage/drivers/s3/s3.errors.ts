import { unavailable } from '../../../app/app-error.js';
import { BlobNotFoundError } from '../../blob-storage.errors.js';

type MaybeServiceError = Error & { $metadata?: { httpStatusCode?: number } };

// A missing bucket is a broken deployment, not a missing object.
const isMissingObject = (error: unknown): boolean => {
  if (!(error instanceof Error) || error.name === 'NoSuchBucket') return false;
  if (error.name === 'NoSuchKey' || error.name === 'NotFound') return true;
  return (error as MaybeServiceError).$metadata?.httpStatusCode === 404;
};

/**
 * Anything the store answers other than "no such object" (refused connection, timeout, bad
 * credentials, access denied, 5xx, missing bucket) means the store cannot serve us: 503.
 */
export const toS3StoreError = (error: unknown, key?: string): Error => {
  if (key !== undefined && isMissingObject(error)) return new BlobNotFoundError(key);
  return unavailable('Blob storage is unavailable.', error);
};

export const isS3MissingObject = isMissingObject;
