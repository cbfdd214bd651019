import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import { deleteExpiredIdempotencyKeys } from '../idempotency/idempotency.repository.js';
import { deleteStaleTusUploads } from './uploads.repository.js';
import { TUS_EXPIRY_MS, type TusDataStore } from './uploads.tus.js';

export const expireTusUploadsJob = defineJobType('uploads.expire', z.object({}));

/**
 * Incomplete resumable uploads older than a day (their staged bytes and their records), and
 * upload idempotency keys past their 24 hours.
 */
export const createExpireTusUploadsHandler = ({
  db,
  datastore,
  expirationMs = TUS_EXPIRY_MS,
}: {
  db: Db;
  datastore: TusDataStore;
  expirationMs?: number;
}) =>
  createJobHandler(expireTusUploadsJob, async () => {
    const stagedDeleted = await datastore.deleteExpired();
    const recordsDeleted = await deleteStaleTusUploads(db, {
      createdBefore: new Date(Date.now() - expirationMs),
    });
    const idempotencyKeysDeleted = await deleteExpiredIdempotencyKeys(db);
    return { stagedDeleted, recordsDeleted, idempotencyKeysDeleted };
  });

export const uploadsSchedules: JobSchedule<object>[] = [
  { name: 'expire-tus-uploads', type: expireTusUploadsJob, payload: {}, intervalSeconds: 3600 },
];
