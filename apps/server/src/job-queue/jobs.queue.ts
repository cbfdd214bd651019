import { uuidv7 } from 'uuidv7';
import type { Db } from '../db/database.js';
import { insertJob, takeDueSchedules, upsertJobSchedule, type NewJob } from './jobs.repository.js';
import type { JobType } from './jobs.types.js';

type JobOptions = {
  ownerId?: string;
  delaySeconds?: number;
  singletonKey?: string;
  priority?: number;
};

/** The row a job of `type` becomes: checked against its payload schema, with the type's limits. */
export const newJob = <P>(type: JobType<P>, payload: P, options: JobOptions = {}): NewJob => ({
  id: uuidv7(),
  name: type.name,
  payload: type.payloadSchema.parse(payload),
  ownerId: options.ownerId,
  delaySeconds: options.delaySeconds,
  singletonKey: options.singletonKey,
  priority: options.priority ?? type.priority,
  maxAttempts: type.maxAttempts,
});

/**
 * Enqueues a job. Pass the transaction of the change that causes the job as `db`:
 * the job then exists exactly when the change commits, never without it.
 */
export const enqueueJob = async <P>(
  db: Db,
  type: JobType<P>,
  payload: P,
  options: JobOptions = {},
): Promise<{ id: string; created: boolean }> => insertJob(db, newJob(type, payload, options));

export type JobSchedule<P> = {
  /** Unique; also the singleton key, so a slow run is never doubled by the next tick. */
  name: string;
  type: JobType<P>;
  payload: P;
  intervalSeconds: number;
};

export const ensureJobSchedule = async <P>(db: Db, schedule: JobSchedule<P>) =>
  upsertJobSchedule(db, {
    name: schedule.name,
    jobName: schedule.type.name,
    payload: schedule.type.payloadSchema.parse(schedule.payload),
    intervalSeconds: schedule.intervalSeconds,
    maxAttempts: schedule.type.maxAttempts,
  });

/** Turns due schedules into jobs; safe to run from every worker at once. */
export const enqueueDueScheduledJobs = (db: Db): Promise<number> =>
  db.transaction().execute(async (trx) => {
    const due = await takeDueSchedules(trx);
    for (const schedule of due) {
      await insertJob(trx, {
        id: uuidv7(),
        name: schedule.job_name,
        payload: schedule.payload,
        singletonKey: `schedule:${schedule.name}`,
        maxAttempts: schedule.max_attempts,
      });
    }
    return due.length;
  });
