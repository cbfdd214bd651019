import type { Readable } from 'node:stream';

export type RestoreTier = 'expedited' | 'standard' | 'bulk';

/** `archived`: in the cold tier, not readable; `restoring`: on its way back; `readable`: get works. */
export type ArchiveObjectState = 'archived' | 'restoring' | 'readable';

/**
 * The cold tier archived folders' blobs move to. On S3 a restore takes hours and is polled;
 * on disk the copy is compressed and readable at once. Every method is idempotent, so an
 * archive or restore job that runs a step twice does no harm.
 */
export type ArchiveStorage = {
  readonly driverName: 'fs' | 's3' | 'memory';
  put(args: { key: string; body: Readable }): Promise<{ size: number }>;
  requestRestore(args: { key: string; tier: RestoreTier }): Promise<void>;
  state(args: { key: string }): Promise<ArchiveObjectState>;
  /** Only once `state` is `readable`; before that a `ArchiveNotReadableError`. */
  get(args: { key: string }): Promise<Readable>;
  exists(args: { key: string }): Promise<boolean>;
  delete(args: { key: string }): Promise<void>;
  /** What unfinished puts left behind, as the blob store's `sweepStaging`. */
  sweepStaging(args: { olderThan?: Date }): Promise<{ removed: number }>;
};

export class ArchiveNotReadableError extends Error {
  readonly code = 'archive_not_readable';
  constructor(readonly key: string) {
    super(`Archived object ${key} is not restored yet.`);
    this.name = 'ArchiveNotReadableError';
  }
}
