import { unavailable } from '../../../app/app-error.js';
import { insufficientStorage, isDiskFullError } from '../../../disk-space/disk-space.errors.js';
import { BlobNotFoundError } from '../../blob-storage.errors.js';

export const isErrnoCode = (error: unknown, code: string): boolean =>
  error instanceof Error && 'code' in error && error.code === code;

// The disk itself is the dependency that is down: read-only, unreadable or failing.
const UNAVAILABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'EIO', 'EMFILE', 'ENFILE']);

/** Maps a Node fs error onto the store's error vocabulary; anything unexpected passes through. */
export const toFsStoreError = (error: unknown, key?: string): unknown => {
  if (error instanceof BlobNotFoundError) return error;
  if (key !== undefined && (isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'EISDIR'))) {
    return new BlobNotFoundError(key);
  }
  // A full disk is not an outage: retrying will not help until space is freed.
  if (isDiskFullError(error)) return insufficientStorage(error);
  if (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    UNAVAILABLE_CODES.has(error.code)
  ) {
    return unavailable('Blob storage is unavailable.', error);
  }
  return error;
};
