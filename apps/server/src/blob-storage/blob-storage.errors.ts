/**
 * Blob errors are not AppErrors: a missing blob behind an existing file row is a server-side
 * inconsistency and a too-large body maps to 413 only where the caller knows the limit's meaning,
 * so the use cases decide how each one reaches the client.
 */
export class BlobNotFoundError extends Error {
  readonly code = 'blob_not_found';
  readonly key: string;

  constructor(key: string) {
    super(`No blob under key "${key}".`);
    this.name = 'BlobNotFoundError';
    this.key = key;
  }
}

export class BlobTooLargeError extends Error {
  readonly code = 'blob_too_large';
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`The blob is larger than the limit of ${maxBytes} bytes.`);
    this.name = 'BlobTooLargeError';
    this.maxBytes = maxBytes;
  }
}

export class InvalidBlobKeyError extends Error {
  readonly code = 'blob_key_invalid';

  constructor(reason: string) {
    super(`Invalid blob key: ${reason}.`);
    this.name = 'InvalidBlobKeyError';
  }
}

export const isBlobNotFoundError = (error: unknown): error is BlobNotFoundError =>
  error instanceof BlobNotFoundError;

export const isBlobTooLargeError = (error: unknown): error is BlobTooLargeError =>
  error instanceof BlobTooLargeError;
