import path from 'node:path';
import { parseStorageUrl } from '../blob-storage/blob-storage.url.js';
import { createFsArchiveStorage } from './drivers/fs/fs.archive-storage.js';
import { createMemoryArchiveStorage } from './drivers/memory/memory.archive-storage.js';
import type { ArchiveStorage } from './archive-storage.types.js';

type ColdStorageConfig = { ARCHIVE_STORAGE_URL?: string | undefined; DATA_DIR: string };

export const coldStorageUrl = (config: ColdStorageConfig) =>
  config.ARCHIVE_STORAGE_URL ?? `file://${path.join(config.DATA_DIR, 'archive')}`;

/** ARCHIVE_STORAGE_URL, or compressed files under DATA_DIR/archive; S3's driver loads on demand. */
export const createArchiveStorage = async (config: ColdStorageConfig): Promise<ArchiveStorage> => {
  const parsed = parseStorageUrl(coldStorageUrl(config));
  switch (parsed.driver) {
    case 'fs':
      return createFsArchiveStorage({ root: parsed.root });
    case 's3':
      return (await import('./drivers/s3/s3.archive-storage.js')).createS3ArchiveStorage(parsed);
    case 'memory':
      return createMemoryArchiveStorage().storage;
  }
};
