import type { BlobStorageConfig } from './blob-storage.config.js';
import type { BlobStorage } from './blob-storage.types.js';
import { createFsBlobStorage } from './drivers/fs/fs.blob-storage.js';
import { createMemoryBlobStorage } from './drivers/memory/memory.blob-storage.js';

/** The S3 driver (and the AWS SDK) is loaded only when the configuration names S3. */
export const createBlobStorage = async (config: BlobStorageConfig): Promise<BlobStorage> => {
  switch (config.driver) {
    case 'fs':
      return createFsBlobStorage({ root: config.root });
    case 'memory':
      return createMemoryBlobStorage();
    case 's3':
      return (await import('./drivers/s3/s3.blob-storage.js')).createS3BlobStorage(config);
  }
};
