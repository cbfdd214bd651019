import { z } from 'zod';
import type { BlobStorage } from '../../blob-storage/blob-storage.types.js';
import type { Db } from '../../db/database.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import { findReferencedBlobKeys } from '../nodes/nodes.repository.js';
import { blobKeyOfThumbnail } from '../thumbnails/thumbnails.models.js';

export const sweepOrphanBlobsJob = defineJobType('files.sweep-orphan-blobs', z.object({}));

const ORPHAN_AGE_MS = 3_600_000;
const BATCH = 500;
// Only keys this module creates (createBlobKey): staging data of other stores is left alone.
const FILE_BLOB_KEY =
  /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The file blob whose row decides whether `key` lives: itself, or the one its thumbnail shows. */
const owningBlobKeyOf = (key: string): string | null => {
  const owner = blobKeyOfThumbnail(key) ?? key;
  return FILE_BLOB_KEY.test(owner) ? owner : null;
};

/**
 * Removes blobs no file row points at, older than an hour: what a process that died between
 * storing a blob and committing (or deleting) its row left behind. The age keeps an upload that
 * is about to commit safe. A thumbnail lives exactly as long as some row holds its source's
 * key (archived files included: their thumbnails stay hot).
 */
export const sweepOrphanBlobs = async ({
  db,
  blobStorage,
  now = new Date(),
}: {
  db: Db;
  blobStorage: BlobStorage;
  now?: Date;
}) => {
  const cutoff = now.getTime() - ORPHAN_AGE_MS;
  let deleted = 0;
  let batch: { key: string; owner: string }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const keep = await findReferencedBlobKeys(db, {
      blobKeys: batch.map(({ owner }) => owner),
    });
    for (const { key, owner } of batch) {
      if (keep.has(owner)) continue;
      await blobStorage.delete({ key });
      deleted += 1;
    }
    batch = [];
  };
  for await (const blob of blobStorage.list({})) {
    const owner = owningBlobKeyOf(blob.key);
    if (!owner || blob.lastModified.getTime() > cutoff) continue;
    batch.push({ key: blob.key, owner });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { deleted };
};

export const createSweepOrphanBlobsHandler = (deps: { db: Db; blobStorage: BlobStorage }) =>
  createJobHandler(sweepOrphanBlobsJob, async () => sweepOrphanBlobs(deps));

export const filesSchedules: JobSchedule<object>[] = [
  { name: 'sweep-orphan-blobs', type: sweepOrphanBlobsJob, payload: {}, intervalSeconds: 3600 },
];
