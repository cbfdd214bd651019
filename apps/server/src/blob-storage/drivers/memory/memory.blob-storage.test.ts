import { describeBlobStorageContract } from '../../blob-storage.contract.js';
import { createMemoryBlobStorage } from './memory.blob-storage.js';

describeBlobStorageContract('memory', () =>
  Promise.resolve({ storage: createMemoryBlobStorage(), cleanup: () => Promise.resolve() }),
);
