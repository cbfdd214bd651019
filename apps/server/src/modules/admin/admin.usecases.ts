import type { AdminUser } from '@myfile/contract';
import { AppError, notFound } from '../../app/app-error.js';
import { enqueueJob } from '../../job-queue/jobs.queue.js';
import type { MetadataCache } from '../../metadata-cache/metadata-cache.types.js';
import { setPasswordHash } from '../auth/accounts/users.repository.js';
import type { AuthDeps } from '../auth/auth.deps.js';
import { hashPassword } from '../auth/passwords/passwords.models.js';
import { passwordResetRequestJob } from '../auth/passwords/passwords.jobs.js';
import { randomSecret } from '../auth/secrets.models.js';
import { recordSecurityEvent, type RequestOrigin } from '../auth/security-events.repository.js';
import { revokingTransaction } from '../auth/sessions/sessions.usecases.js';
import { isAdministrator } from './admin.models.js';
import {
  countOtherAdministrators,
  countJobsByStatus,
  countUsers,
  findLiveUser,
  getUserWithUsage,
  listFailedJobs,
  listUsersWithUsage,
  requeueFailedJob,
  setDisabledAt,
  setQuotaBytes,
  sumStoredBytes,
  type UserWithUsage,
} from './admin.repository.js';

export type AdminDeps = AuthDeps & {
  /** Usage is read through it; a quota change must not wait for an entry to expire. */
  cache: MetadataCache;
  defaultQuotaBytes: number;
};

/** Who did it, from where: every admin action is recorded under both accounts. */
type Acting = { adminId: string; sessionId: string; origin: RequestOrigin };

const notYourself = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message: 'Administrators cannot do this to their own account.',
  });

const lastAdministrator = () =>
  new AppError({
    code: 'conflict',
    statusCode: 409,
    message:
      'This is the last administrator of the instance: make another account an administrator first.',
  });

/**
 * Throws 409 when `userId` is an administrator and no other enabled one would remain; run it in
 * the transaction that deletes or disables the account (it takes the administrators' lock).
 */
export const assertNotLastAdministrator = async (
  trx: AuthDeps['db'],
  { userId, adminEmails }: { userId: string; adminEmails: ReadonlySet<string> },
) => {
  const user = await findLiveUser(trx, userId);
  if (!user || !isAdministrator(user, adminEmails)) return;
  if ((await countOtherAdministrators(trx, { userId, adminEmails })) === 0) {
    throw lastAdministrator();
  }
};

/**
 * Throws 409 when moving the account to `newEmail` would drop its administration (an
 * ADMIN_EMAILS address left for one not listed) and no other enabled administrator remains.
 */
export const assertEmailChangeKeepsAnAdministrator = async (
  trx: AuthDeps['db'],
  {
    user,
    newEmail,
    adminEmails,
  }: {
    user: Parameters<typeof isAdministrator>[0] & { id: string };
    newEmail: string;
    adminEmails: ReadonlySet<string>;
  },
) => {
  const stillAdministers = isAdministrator(
    { ...user, email: newEmail, email_verified_at: new Date() },
    adminEmails,
  );
  if (stillAdministers) return;
  await assertNotLastAdministrator(trx, { userId: user.id, adminEmails });
};

const toAdminUser = (row: UserWithUsage, deps: AdminDeps): AdminUser => ({
  id: row.id,
  email: row.email,
  emailVerified: row.email_verified_at !== null,
  isAdmin: isAdministrator(row, deps.adminEmails),
  disabled: row.disabled_at !== null,
  createdAt: row.created_at.toISOString(),
  lastSeenAt: row.last_seen_at ? new Date(row.last_seen_at).toISOString() : null,
  usedBytes: row.used_bytes ?? 0,
  quotaBytes: row.quota_bytes ?? deps.defaultQuotaBytes,
  fileCount: row.file_count ?? 0,
});

const encodeCursor = (row: { email_key: string; id: string }) =>
  Buffer.from(JSON.stringify([row.email_key, row.id])).toString('base64url');

const decodeCursor = (cursor: string | undefined) => {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(parsed[1])
    ) {
      return { email: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the 400 below.
  }
  throw new AppError({
    code: 'invalid_request',
    statusCode: 400,
    message: 'The cursor is not one this list gave out.',
    field: 'cursor',
  });
};

export const listUsers = async ({
  query,
  cursor,
  limit,
  ...deps
}: AdminDeps & { query: string | undefined; cursor: string | undefined; limit: number }) => {
  const rows = await listUsersWithUsage(deps.db, {
    query: query?.trim() || undefined,
    after: decodeCursor(cursor),
    limit,
  });
  const last = rows.at(-1);
  return {
    users: rows.map((row) => toAdminUser(row, deps)),
    nextCursor: rows.length === limit && last ? encodeCursor(last) : null,
  };
};

const getAdminUser = async ({ userId, ...deps }: AdminDeps & { userId: string }) => {
  const row = await getUserWithUsage(deps.db, userId);
  if (!row) throw notFound('No such account.');
  return toAdminUser(row, deps);
};

const recordAdminAction = async ({
  db,
  acting,
  userId,
  action,
  details = {},
}: {
  db: AuthDeps['db'];
  acting: Acting;
  userId: string;
  action: 'quota_changed' | 'account_disabled' | 'account_enabled' | 'password_reset_forced';
  details?: Record<string, unknown>;
}) => {
  await recordSecurityEvent(db, {
    userId: acting.adminId,
    type: 'admin_action',
    sessionId: acting.sessionId,
    origin: acting.origin,
    details: { action, userId, ...details },
  });
  await recordSecurityEvent(db, {
    userId,
    type: action,
    origin: acting.origin,
    details: { by: 'administrator', adminId: acting.adminId, ...details },
  });
};

/** Takes effect on the next upload: the quota is checked in the statement that charges it. */
export const setUserQuota = async ({
  userId,
  quotaBytes,
  acting,
  ...deps
}: AdminDeps & { userId: string; quotaBytes: number; acting: Acting }) => {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await findLiveUser(trx, userId))) throw notFound('No such account.');
    await setQuotaBytes(trx, { userId, quotaBytes });
    await recordAdminAction({
      db: trx,
      acting,
      userId,
      action: 'quota_changed',
      details: { quotaBytes },
    });
  });
  await deps.cache.invalidate(userId, ['usage']);
  return getAdminUser({ ...deps, userId });
};

/**
 * Disabled: every session and personal token ends in the same transaction (their sockets
 * close as the revocations are announced), and no way of signing in starts a new one.
 */
export const setUserDisabled = async ({
  userId,
  disabled,
  acting,
  ...deps
}: AdminDeps & { userId: string; disabled: boolean; acting: Acting }) => {
  if (userId === acting.adminId) throw notYourself();
  await revokingTransaction({
    ...deps,
    work: async (trx, revoke, revokeTokens) => {
      if (!(await findLiveUser(trx, userId))) throw notFound('No such account.');
      if (disabled)
        await assertNotLastAdministrator(trx, { userId, adminEmails: deps.adminEmails });
      await setDisabledAt(trx, { userId, at: disabled ? new Date() : null });
      if (disabled) {
        await revoke({ userId, reason: 'account_disabled' });
        await revokeTokens(userId);
      }
      await recordAdminAction({
        db: trx,
        acting,
        userId,
        action: disabled ? 'account_disabled' : 'account_enabled',
      });
    },
  });
  await deps.accountCache.delete([userId]);
  return getAdminUser({ ...deps, userId });
};

/**
 * The old password stops working at once (replaced by a random one nobody knows), every session
 * and token ends, and the owner is mailed a reset link, made after the change so it is valid.
 */
export const forcePasswordReset = async ({
  userId,
  acting,
  ...deps
}: AdminDeps & { userId: string; acting: Acting }) => {
  if (userId === acting.adminId) throw notYourself();
  const passwordHash = await hashPassword(randomSecret(32));
  await revokingTransaction({
    ...deps,
    work: async (trx, revoke, revokeTokens) => {
      const user = await findLiveUser(trx, userId);
      if (!user) throw notFound('No such account.');
      await setPasswordHash(trx, { id: userId, passwordHash });
      await revoke({ userId, reason: 'password_reset_forced' });
      await revokeTokens(userId);
      await recordAdminAction({ db: trx, acting, userId, action: 'password_reset_forced' });
      await enqueueJob(trx, passwordResetRequestJob, { email: user.email, origin: acting.origin });
    },
  });
};

export const getInstanceTotals = async (deps: AdminDeps) => {
  const stored = await sumStoredBytes(deps.db);
  return {
    users: await countUsers(deps.db, [...deps.adminEmails]),
    files: stored.files,
    bytes: { hot: stored.hot, cold: stored.cold },
    jobs: await countJobsByStatus(deps.db),
  };
};

export const listFailedJobsPage = async ({
  before,
  limit,
  ...deps
}: AdminDeps & { before?: string | undefined; limit: number }) => {
  const rows = await listFailedJobs(deps.db, { before, limit });
  return {
    jobs: rows.map((row) => ({
      id: row.id,
      name: row.name,
      ownerId: row.owner_id,
      ownerEmail: row.email,
      attempts: row.attempts,
      createdAt: row.created_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
    })),
    nextBefore: rows.length === limit ? (rows.at(-1)?.id ?? null) : null,
  };
};

export const retryFailedJob = async ({
  jobId,
  acting,
  ...deps
}: AdminDeps & { jobId: string; acting: Acting }) => {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await requeueFailedJob(trx, jobId))) throw notFound('No failed job with this id.');
    await recordSecurityEvent(trx, {
      userId: acting.adminId,
      type: 'admin_action',
      sessionId: acting.sessionId,
      origin: acting.origin,
      details: { action: 'job_retried', jobId },
    });
  });
};
