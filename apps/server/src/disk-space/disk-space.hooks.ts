import type { preHandlerAsyncHookHandler } from 'fastify';
import { insufficientStorage } from './disk-space.errors.js';
import type { DiskSpace } from './disk-space.monitor.js';

/**
 * Once the disk is full (the database's reserve given up), an upload is refused before it
 * reads a byte: it could only fail later, and meanwhile eat the room kept for deletes.
 */
export const refuseUploadsWhenDiskFull =
  (disk: Pick<DiskSpace, 'state'>): preHandlerAsyncHookHandler =>
  async () => {
    if (disk.state().full) throw insufficientStorage();
  };
