import { z } from 'zod';
import type { ArchiveStorage } from '../../archive-storage/archive-storage.types.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Db } from '../../db/database.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import { thumbnailKeyOf } from '../thumbnails/thumbnails.models.js';
import { deleteAccountRow, listBlobKeysOf } from './account.repository.js';

const KEYS_PER_PAGE = 500;

// The default lease: the worker's heartbeat keeps a long run's claim alive, and a worker claims
// every job type with the longest lease of all, so a long one here held a dead worker's archive
// job for minutes.
export const deleteAccountJob = defineJobType('account.delete', z.object({ userId: z.uuid() }), {
  maxAttempts: 10,
});

/**
 * Every object of a deleted account (file and version blobs, their thumbnails, cold copies),
 * then its row, whose deletion cascades to everything else. Deleting a missing object does
 * nothing, so a run that was cut off simply starts over.
 */
export const createDeleteAccountHandler = ({
  db,
  blobStorage,
  archiveStorage,
}: {
  db: Db;
  blobStorage: BlobStorage;
  archiveStorage: ArchiveStorage;
}) =>
  createJobHandler(deleteAccountJob, async ({ userId }, context) => {
    let after = '';
    let deleted = 0;
    for (;;) {
      const keys = await listBlobKeysOf(db, { userId, after, limit: KEYS_PER_PAGE });
      for (const key of keys) {
        context.signal.throwIfAborted();
        await blobStorage.delete({ key: thumbnailKeyOf(key) });
        await blobStorage.delete({ key });
        await archiveStorage.delete({ key });
        deleted += 1;
      }
      await context.reportProgress({ deleted });
      const last = keys.at(-1);
      if (keys.length < KEYS_PER_PAGE || last === undefined) break;
      after = last;
    }
    await deleteAccountRow(db, userId);
    return { deleted };
  });
