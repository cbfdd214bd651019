import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { JobSchedule } from '../../job-queue/jobs.queue.js';
import { createJobHandler, defineJobType } from '../../job-queue/jobs.types.js';

const DAY_MS = 86_400_000;
/** Ended sessions stay visible a month (the sessions page, reuse forensics), events a year. */
const KEEP_ENDED_SESSIONS_DAYS = 30;
const KEEP_SECURITY_EVENTS_DAYS = 365;

export const pruneAuthDataJob = defineJobType('auth.prune', z.object({}));

export const createPruneAuthDataHandler = ({ db }: { db: Db }) =>
  createJobHandler(pruneAuthDataJob, async () => {
    const now = Date.now();
    // A used link only needs remembering until it would have expired anyway.
    const links = await db
      .deleteFrom('used_links')
      .where('expires_at', '<', new Date(now))
      .executeTakeFirst();
    const endedBefore = new Date(now - KEEP_ENDED_SESSIONS_DAYS * DAY_MS);
    const sessions = await db
      .deleteFrom('sessions')
      .where((eb) =>
        eb.or([eb('expires_at', '<', endedBefore), eb('revoked_at', '<', endedBefore)]),
      )
      .executeTakeFirst();
    const events = await db
      .deleteFrom('security_events')
      .where('created_at', '<', new Date(now - KEEP_SECURITY_EVENTS_DAYS * DAY_MS))
      .executeTakeFirst();
    const tokens = await db
      .deleteFrom('personal_tokens')
      .where((eb) =>
        eb.or([eb('expires_at', '<', endedBefore), eb('revoked_at', '<', endedBefore)]),
      )
      .executeTakeFirst();
    return {
      links: Number(links.numDeletedRows),
      sessions: Number(sessions.numDeletedRows),
      events: Number(events.numDeletedRows),
      tokens: Number(tokens.numDeletedRows),
    };
  });

export const authSchedules: JobSchedule<object>[] = [
  { name: 'prune-auth-data', type: pruneAuthDataJob, payload: {}, intervalSeconds: 6 * 3600 },
];
