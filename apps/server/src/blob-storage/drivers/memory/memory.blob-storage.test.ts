import { describeBlobStorageContract } from '../../blob-storage.contract.js';
import { createMemoryBlobStorage } from './memory.blob-storage.js';

describeBlobStorageContract('memory', async () => ({
  storage: createMemoryBlobStorage(),
  cleanup: async () => {},
}));
