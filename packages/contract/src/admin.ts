import { z } from 'zod';
import { byteCount, count, timestamp, uuid } from './formats.js';

/** An account as an administrator sees it: who, in what state, how much space. Never a file. */
export const adminUserSchema = z
  .object({
    id: uuid(),
    email: z.string(),
    emailVerified: z.boolean(),
    isAdmin: z.boolean(),
    disabled: z.boolean(),
    createdAt: timestamp(),
    lastSeenAt: timestamp().nullable(),
    usedBytes: byteCount(),
    quotaBytes: byteCount(),
    fileCount: count(),
  })
  .meta({ id: 'AdminUser' });
export type AdminUser = z.infer<typeof adminUserSchema>;

export const adminUsersPageSchema = z
  .object({ users: z.array(adminUserSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AdminUsersPage' });
export type AdminUsersPage = z.infer<typeof adminUsersPageSchema>;

export const setQuotaSchema = z.object({
  quotaBytes: z
    .number()
    .int()
    .nonnegative()
    .max(Number.MAX_SAFE_INTEGER)
    .describe('The new quota in bytes; usage above it stays, new uploads are refused.'),
});

/** A failed job, told without its payload or error text: those may name a user's files. */
export const adminFailedJobSchema = z
  .object({
    id: uuid(),
    name: z.string(),
    ownerId: uuid().nullable(),
    ownerEmail: z.string().nullable(),
    attempts: count(),
    createdAt: timestamp(),
    finishedAt: timestamp().nullable(),
  })
  .meta({ id: 'AdminFailedJob' });
export type AdminFailedJob = z.infer<typeof adminFailedJobSchema>;

export const instanceTotalsSchema = z
  .object({
    users: z.object({ total: count(), admins: count(), disabled: count() }),
    files: count(),
    bytes: z.object({
      hot: byteCount().describe('Files and versions readable at once.'),
      cold: byteCount().describe(
        'Files and versions in (or on their way to or from) the cold tier.',
      ),
    }),
    jobs: z.object({ queued: count(), running: count(), done: count(), failed: count() }),
  })
  .meta({ id: 'InstanceTotals' });
export type InstanceTotals = z.infer<typeof instanceTotalsSchema>;

export const adminFailedJobsSchema = z
  .object({ jobs: z.array(adminFailedJobSchema), nextBefore: z.string().nullable() })
  .meta({ id: 'AdminFailedJobs' });
export type AdminFailedJobs = z.infer<typeof adminFailedJobsSchema>;
