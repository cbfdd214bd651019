import type { AppContext } from '../app/app-context.js';
import { createJobHandlers } from '../app/job-registry.js';
import { createJobWorker } from '../job-queue/jobs.worker.js';

/** Runs queued jobs (mail, archive, thumbnails…) the way a worker would, until none is left. */
export const runQueuedJobs = async (context: AppContext) => {
  const worker = createJobWorker({
    db: context.database.db,
    handlers: await createJobHandlers(context),
    logger: context.logger,
  });
  return worker.runUntilIdle();
};
