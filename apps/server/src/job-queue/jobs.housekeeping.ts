import { z } from 'zod';
import type { Db } from '../db/database.js';
import type { JobSchedule } from './jobs.queue.js';
import { deleteJobsFinishedBefore } from './jobs.repository.js';
import { createJobHandler, defineJobType } from './jobs.types.js';

const KEEP_FINISHED_JOBS_DAYS = 30;

export const pruneFinishedJobsJob = defineJobType('jobs.prune-finished', z.object({}));

/** Finished jobs are kept a month so users and operators can still see what happened. */
export const createPruneFinishedJobsHandler = ({ db }: { db: Db }) =>
  createJobHandler(pruneFinishedJobsJob, async () => {
    return { deleted: await deleteJobsFinishedBefore(db, { days: KEEP_FINISHED_JOBS_DAYS }) };
  });

export const housekeepingSchedules: JobSchedule<object>[] = [
  {
    name: 'prune-finished-jobs',
    type: pruneFinishedJobsJob,
    payload: {},
    intervalSeconds: 6 * 3600,
  },
];
