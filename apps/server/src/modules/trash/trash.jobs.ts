import { z } from 'zod';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { MetadataCache } from '../../metadata-cache/metadata-cache.types.js';
import type { Db } from '../../db/database.js';
import type { EventBus } from '../../event-bus/event-bus.js';
import { enqueueJob, type JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import { thumbnailKeyOf } from '../thumbnails/thumbnails.models.js';
import { purgeExpiredTrash } from './trash.usecases.js';

const KEYS_PER_JOB = 500;

export const deleteBlobsJob = defineJobType(
  'files.delete-blobs',
  z.object({ keys: z.array(z.string()).min(1).max(KEYS_PER_JOB) }),
  { maxAttempts: 10 },
);

export const purgeExpiredTrashJob = defineJobType('trash.purge-expired', z.object({}));

/** Call inside the transaction that deleted the rows: the blobs go only once it commits. */
export const enqueueBlobDeletion = async ({
  db,
  keys,
}: { db: Db } & { keys: readonly string[] }) => {
  for (let start = 0; start < keys.length; start += KEYS_PER_JOB) {
    await enqueueJob(db, deleteBlobsJob, { keys: keys.slice(start, start + KEYS_PER_JOB) });
  }
};

/**
 * A file blob's thumbnail goes with it (most have none; deleting a missing key is a no-op).
 * Deleting a missing blob is fine, so a retried run does no harm.
 */
export const createDeleteBlobsHandler = ({ blobStorage }: { blobStorage: BlobStorage }) =>
  createJobHandler(deleteBlobsJob, async ({ keys }, context) => {
    let deleted = 0;
    for (const key of keys) {
      await blobStorage.delete({ key: thumbnailKeyOf(key) });
      await blobStorage.delete({ key });
      deleted += 1;
      if (deleted % 100 === 0) await context.reportProgress({ deleted, total: keys.length });
    }
    return { deleted };
  });

export const createPurgeExpiredTrashHandler = (deps: {
  db: Db;
  cache: MetadataCache;
  events: EventBus;
  trashRetentionDays: number;
}) =>
  createJobHandler(purgeExpiredTrashJob, async () =>
    purgeExpiredTrash({ ...deps, now: new Date() }),
  );

export const trashSchedules: JobSchedule<object>[] = [
  { name: 'purge-expired-trash', type: purgeExpiredTrashJob, payload: {}, intervalSeconds: 3600 },
];
