import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';
import {
  deleteExpiredUsedLinks,
  deleteSecurityEventsBefore,
} from './security-events.repository.js';
import { deleteSessionsEndedBefore } from './sessions/sessions.repository.js';
import { deletePersonalTokensEndedBefore } from './tokens/personal-tokens.repository.js';

const DAY_MS = 86_400_000;
/** Ended sessions stay visible a month (the sessions page, reuse forensics), events a year. */
const KEEP_ENDED_SESSIONS_DAYS = 30;
const KEEP_SECURITY_EVENTS_DAYS = 365;

export const pruneAuthDataJob = defineJobType('auth.prune', z.object({}));

export const createPruneAuthDataHandler = ({ db }: { db: Db }) =>
  createJobHandler(pruneAuthDataJob, async () => {
    const now = Date.now();
    const endedBefore = new Date(now - KEEP_ENDED_SESSIONS_DAYS * DAY_MS);
    return {
      links: await deleteExpiredUsedLinks(db, { now: new Date(now) }),
      sessions: await deleteSessionsEndedBefore(db, { endedBefore }),
      events: await deleteSecurityEventsBefore(db, {
        before: new Date(now - KEEP_SECURITY_EVENTS_DAYS * DAY_MS),
      }),
      tokens: await deletePersonalTokensEndedBefore(db, { endedBefore }),
    };
  });

export const authSchedules: JobSchedule<object>[] = [
  { name: 'prune-auth-data', type: pruneAuthDataJob, payload: {}, intervalSeconds: 6 * 3600 },
];
