import { pipeline } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { createFsBlobStorage } from '../../../blob-storage/drivers/fs/fs.blob-storage.js';
import type { ArchiveStorage } from '../../archive-storage.types.js';

/**
 * On one machine the cold tier is gzip on local disk: smaller, and readable at once, so a
 * restore is just the copy back. Durability comes from the fs blob driver underneath.
 */
/** pipeline() needs a callback; the error still reaches whoever reads the last stream. */
const ignoreHere = () => {};

export const createFsArchiveStorage = ({ root }: { root: string }): ArchiveStorage => {
  const files = createFsBlobStorage({ root });
  const fileKey = (key: string) => `${key}.gz`;
  return {
    driverName: 'fs',
    put: async ({ key, body }) => {
      // The blob driver reads the compressed end and sees any failure of the source through it.
      const compressed = pipeline(body, createGzip({ level: 6 }), ignoreHere);
      const { size } = await files.put({ key: fileKey(key), body: compressed });
      return { size };
    },
    requestRestore: async ({ key }) => {
      await files.head({ key: fileKey(key) });
    },
    state: async ({ key }) => {
      await files.head({ key: fileKey(key) });
      return 'readable';
    },
    get: async ({ key }) => {
      const { body } = await files.get({ key: fileKey(key) });
      return pipeline(body, createGunzip(), ignoreHere);
    },
    exists: ({ key }) => files.exists({ key: fileKey(key) }),
    delete: ({ key }) => files.delete({ key: fileKey(key) }),
    sweepStaging: (args) => files.sweepStaging(args),
  };
};
