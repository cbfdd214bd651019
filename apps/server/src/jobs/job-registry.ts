import type { AppContext } from '../app/app-context.js';
import { authSchedules, createPruneAuthDataHandler } from '../modules/auth/auth.housekeeping.js';
import { createSendAuthLinkHandler } from '../modules/auth/auth.jobs.js';
import { createSendMailHandler } from '../modules/mail/mail.jobs.js';
import { createMailer } from '../modules/mail/mail.transport.js';
import { createPruneFinishedJobsHandler, housekeepingSchedules } from './housekeeping.jobs.js';
import { ensureJobSchedule, type JobSchedule } from './jobs.queue.js';
import type { JobHandler } from './jobs.types.js';

/** Every job this product runs; modules add theirs here. */
export const createJobHandlers = (context: AppContext): JobHandler[] => {
  const mailer = createMailer({ config: context.config, logger: context.logger });
  return [
    createPruneFinishedJobsHandler({ db: context.database.db }),
    createPruneAuthDataHandler({ db: context.database.db }),
    createSendMailHandler({ mailer }),
    createSendAuthLinkHandler({
      mailer,
      ring: () => context.keys.current(),
      publicUrl: context.config.PUBLIC_URL,
    }),
  ];
};

const schedules: JobSchedule<object>[] = [...housekeepingSchedules, ...authSchedules];

export const ensureJobSchedules = async (context: AppContext) => {
  for (const schedule of schedules) await ensureJobSchedule(context.database.db, schedule);
};
