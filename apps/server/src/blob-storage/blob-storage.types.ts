import type { Readable } from 'node:stream';

export type ByteRange = { start: number; end: number }; // inclusive, already validated by caller
export type BlobHead = { size: number; lastModified: Date };
export type BlobListing = { key: string; size: number; lastModified: Date };

export type BlobStorage = {
  readonly driverName: 'fs' | 's3' | 'memory';
  /** Streams body into `key`; size + sha256 (hex) computed while streaming. If maxBytes is crossed, rejects with BlobTooLargeError as soon as it is crossed. On any failure (abort, limit, store error) NO object is left under key. The body is consumed, and destroyed on any failure. */
  put(args: {
    key: string;
    body: Readable;
    contentType?: string;
    maxBytes?: number;
  }): Promise<{ size: number; sha256: string }>;
  /**
   * Stores the complete file at `path` (never written again) under `key` without streaming it
   * through the process: the fs driver links it into the store when both sit on one disk (so
   * `path` stays valid until its owner removes it) and copies it otherwise. Only drivers that
   * keep blobs as files have it; the others take a `put`.
   */
  putFile?(args: { key: string; path: string }): Promise<{ size: number }>;
  get(args: { key: string; range?: ByteRange }): Promise<{ body: Readable; size: number }>; // size = bytes the body will yield
  head(args: { key: string }): Promise<BlobHead>;
  exists(args: { key: string }): Promise<boolean>;
  copy(args: { fromKey: string; toKey: string }): Promise<void>; // server-side copy on S3
  delete(args: { key: string }): Promise<void>; // idempotent: deleting a missing key is fine
  list(args: { prefix?: string }): AsyncIterable<BlobListing>; // for orphan sweeping
  ping(): Promise<void>; // readiness; throws the unavailable error when the store cannot be reached
  /**
   * Removes what writes that never finished left behind (a process killed mid-put): the fs
   * driver's `.tmp/*.part` files, S3's incomplete multipart uploads under the store's prefix.
   * Only those last written (fs) or started (S3) before `olderThan`; every one when it is absent,
   * which is safe only while nothing else writes to the store.
   */
  sweepStaging(args: { olderThan?: Date }): Promise<{ removed: number }>;
};
