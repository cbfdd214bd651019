import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ArchiveStorage } from '../../archive-storage/archive-storage.types.js';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import { parseStorageUrl } from '../../blob-storage/blob-storage.url.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';

export const sweepStagingJob = defineJobType('files.sweep-staging', z.object({}));

type Store = Pick<BlobStorage | ArchiveStorage, 'driverName' | 'sweepStaging'>;

/**
 * How long a write's staging may go untouched before it is taken for a dead process's. A disk
 * put writes its `.part` file continuously, and the server drops a stalled request long before
 * an hour. An S3 multipart upload's age counts from its start, and a resumable upload may stage
 * there for a day: its own hourly expiry removes it (and its records) at a day, so this waits an
 * hour longer.
 */
const STAGING_AGE_MS: Record<Store['driverName'], number> = {
  fs: 3_600_000,
  s3: 25 * 3_600_000,
  memory: 0,
};

const sweepAged = (store: Store, now: Date) =>
  store.sweepStaging({ olderThan: new Date(now.getTime() - STAGING_AGE_MS[store.driverName]) });

/** The hourly sweep: staging of writes that died, in the hot and the cold tier. */
export const sweepStaging = async ({
  blobStorage,
  archiveStorage,
  now = new Date(),
}: {
  blobStorage: Store;
  archiveStorage: Store;
  now?: Date;
}) => {
  const hot = await sweepAged(blobStorage, now);
  const cold = await sweepAged(archiveStorage, now);
  return { hotRemoved: hot.removed, coldRemoved: cold.removed };
};

export const createSweepStagingHandler = (deps: {
  blobStorage: BlobStorage;
  archiveStorage: ArchiveStorage;
}) => createJobHandler(sweepStagingJob, async () => sweepStaging(deps));

export const stagingSchedules: JobSchedule<object>[] = [
  { name: 'sweep-staging', type: sweepStagingJob, payload: {}, intervalSeconds: 3600 },
];

/**
 * Whether a store's staging belongs to this process alone: a disk store inside DATA_DIR, which
 * the process holds locked. Any other disk directory or bucket may be shared with processes
 * that are writing to it right now.
 */
export const isStagingOwnedBy = (storageUrl: string, dataDir: string): boolean => {
  const parsed = parseStorageUrl(storageUrl);
  if (parsed.driver !== 'fs') return false;
  const relative = path.relative(path.resolve(dataDir), parsed.root);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
};

/**
 * Before the process serves or runs a job: a store it owns is cleared of all staging (whatever
 * is there, a killed process left); a shared disk store only of aged staging. A bucket is left
 * to the hourly sweep, so a slow listing never holds up a start.
 */
export const cleanStagingAtStart = async ({
  stores,
  logger,
  now = new Date(),
}: {
  stores: { name: 'hot' | 'cold'; store: Store; owned: boolean }[];
  logger: Pick<Logger, 'info'>;
  now?: Date;
}) => {
  for (const { name, store, owned } of stores) {
    const { removed } = owned
      ? await store.sweepStaging({})
      : store.driverName === 'fs'
        ? await sweepAged(store, now)
        : { removed: 0 };
    if (removed > 0) logger.info({ store: name, removed }, 'removed staging left by a crash');
  }
};
