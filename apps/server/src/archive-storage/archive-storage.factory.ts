import path from 'node:path';
import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';
import { createFsArchiveStorage } from './drivers/fs/fs.archive-storage.js';
import { createMemoryArchiveStorage } from './drivers/memory/memory.archive-storage.js';
import { createS3ArchiveStorage } from './drivers/s3/s3.archive-storage.js';
import type { ArchiveStorage } from './archive-storage.types.js';

/** ARCHIVE_STORAGE_URL, or compressed files under DATA_DIR/archive. */
export const createArchiveStorage = (config: {
  ARCHIVE_STORAGE_URL?: string | undefined;
  DATA_DIR: string;
}): ArchiveStorage => {
  const parsed = parseStorageUrl(
    config.ARCHIVE_STORAGE_URL ?? `file://${path.join(config.DATA_DIR, 'archive')}`,
  );
  switch (parsed.driver) {
    case 'fs':
      return createFsArchiveStorage({ root: parsed.root });
    case 's3':
      return createS3ArchiveStorage(parsed);
    case 'memory':
      return createMemoryArchiveStorage().storage;
  }
};
