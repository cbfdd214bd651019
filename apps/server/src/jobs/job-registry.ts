import type { AppContext } from '../app/app-context.js';
import { createPruneFinishedJobsHandler, housekeepingSchedules } from './housekeeping.jobs.js';
import { ensureJobSchedule, type JobSchedule } from './jobs.queue.js';
import type { JobHandler } from './jobs.types.js';

/** Every job this product runs; modules add theirs here. */
export const createJobHandlers = (context: AppContext): JobHandler[] => [
  createPruneFinishedJobsHandler({ db: context.database.db }),
];

const schedules: JobSchedule<object>[] = [...housekeepingSchedules];

export const ensureJobSchedules = async (context: AppContext) => {
  for (const schedule of schedules) await ensureJobSchedule(context.database.db, schedule);
};
