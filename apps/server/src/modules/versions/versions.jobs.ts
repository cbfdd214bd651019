import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import type { MetadataCache } from '../../metadata-cache/metadata-cache.types.js';
import type { VersionsKeep } from './versions.models.js';
import { applyVersionRetention } from './versions.usecases.js';

export const applyVersionRetentionJob = defineJobType('versions.apply-retention', z.object({}));

/** Hourly: versions the `VERSIONS_KEEP` schedule no longer keeps go, their blobs after commit. */
export const createApplyVersionRetentionHandler = (deps: {
  db: Db;
  cache: MetadataCache;
  keep: VersionsKeep;
}) =>
  createJobHandler(applyVersionRetentionJob, async () =>
    applyVersionRetention({ ...deps, now: new Date() }),
  );

export const versionsSchedules: JobSchedule<object>[] = [
  {
    name: 'apply-version-retention',
    type: applyVersionRetentionJob,
    payload: {},
    intervalSeconds: 3600,
  },
];
