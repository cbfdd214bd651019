import type { BlobStorageConfig } from './blob-storage.config.js';
import type { BlobStorage } from './blob-storage.types.js';
import { createFsBlobStorage } from './drivers/fs/fs.blob-storage.js';
import { createMemoryBlobStorage } from './drivers/memory/memory.blob-storage.js';
import { createS3BlobStorage } from './drivers/s3/s3.blob-storage.js';

export const createBlobStorage = (config: BlobStorageConfig): BlobStorage => {
  switch (config.driver) {
    case 'fs':
      return createFsBlobStorage({ root: config.root });
    case 'memory':
      return createMemoryBlobStorage();
    case 's3':
      return createS3BlobStorage(config);
  }
};
