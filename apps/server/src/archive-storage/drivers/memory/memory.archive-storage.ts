import { Readable } from 'node:stream';
import { BlobNotFoundError } from '../../../blob-storage/blob-storage.errors.js';
import {
  ArchiveNotReadableError,
  type ArchiveObjectState,
  type ArchiveStorage,
} from '../../archive-storage.types.js';

/**
 * For tests of the restore poller: a restore stays `restoring` until the test calls
 * `completeRestores()` (or `failRestores()`), as a Glacier restore stays pending for hours.
 */
export const createMemoryArchiveStorage = () => {
  const objects = new Map<string, { data: Buffer; state: ArchiveObjectState }>();
  const getOrThrow = (key: string) => {
    const object = objects.get(key);
    if (!object) throw new BlobNotFoundError(key);
    return object;
  };
  const storage: ArchiveStorage = {
    driverName: 'memory',
    put: async ({ key, body }) => {
      const chunks: Buffer[] = [];
      for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
      const data = Buffer.concat(chunks);
      objects.set(key, { data, state: 'archived' });
      return { size: data.byteLength };
    },
    requestRestore: async ({ key }) => {
      const object = getOrThrow(key);
      if (object.state === 'archived') object.state = 'restoring';
    },
    state: async ({ key }) => getOrThrow(key).state,
    get: async ({ key }) => {
      const object = getOrThrow(key);
      if (object.state !== 'readable') throw new ArchiveNotReadableError(key);
      return Readable.from([object.data]);
    },
    exists: async ({ key }) => objects.has(key),
    sweepStaging: async () => ({ removed: 0 }),
    delete: async ({ key }) => {
      objects.delete(key);
    },
  };
  return {
    storage,
    completeRestores: () => {
      for (const object of objects.values())
        if (object.state === 'restoring') object.state = 'readable';
    },
    failRestores: () => {
      for (const object of objects.values())
        if (object.state === 'restoring') object.state = 'archived';
    },
  };
};
