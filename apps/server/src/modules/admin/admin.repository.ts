import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { escapeLike } from '../search/search.models.js';

const usersWithUsage = (db: Db) =>
  db
    .selectFrom('users')
    .leftJoin('storage_usage', 'storage_usage.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'users.role',
      'users.email_verified_at',
      'users.disabled_at',
      'users.deleted_at',
      'users.created_at',
      'storage_usage.used_bytes',
      'storage_usage.quota_bytes',
      'storage_usage.file_count',
      sql<string>`lower(users.email)`.as('email_key'),
      sql<Date | null>`(select max(s.last_seen_at) from sessions s where s.user_id = users.id)`.as(
        'last_seen_at',
      ),
    ])
    .where('users.deleted_at', 'is', null);

export type UserWithUsage = NonNullable<Awaited<ReturnType<typeof getUserWithUsage>>>;

/** Accounts with their usage, by lower-cased email then id; deleted accounts are not listed. */
export const listUsersWithUsage = (
  db: Db,
  {
    query,
    after,
    limit,
  }: {
    query: string | undefined;
    after: { email: string; id: string } | undefined;
    limit: number;
  },
) => {
  let select = usersWithUsage(db);
  if (query) {
    select = select.where(
      sql<string>`lower(users.email)`,
      'like',
      `%${escapeLike(query.toLowerCase())}%`,
    );
  }
  if (after) {
    select = select.where(
      sql<boolean>`(lower(users.email), users.id) > (${after.email}, ${after.id})`,
    );
  }
  return select
    .orderBy(sql`lower(users.email)`)
    .orderBy('users.id')
    .limit(limit)
    .execute();
};

export const getUserWithUsage = (db: Db, id: string) =>
  usersWithUsage(db).where('users.id', '=', id).executeTakeFirst();

export const findLiveUser = (db: Db, id: string) =>
  db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();

/** Inserts the usage row when the account has never stored anything yet. */
export const setQuotaBytes = (
  db: Db,
  { userId, quotaBytes }: { userId: string; quotaBytes: number },
) =>
  db
    .insertInto('storage_usage')
    .values({ user_id: userId, quota_bytes: quotaBytes })
    .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ quota_bytes: quotaBytes }))
    .execute();

export const setDisabledAt = (db: Db, { userId, at }: { userId: string; at: Date | null }) =>
  db
    .updateTable('users')
    .set({ disabled_at: at, updated_at: new Date() })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();

export const countUsers = async (db: Db, adminEmails: readonly string[]) => {
  const adminByEmail =
    adminEmails.length > 0
      ? sql<boolean>`(email_verified_at is not null and lower(email) in (${sql.join(adminEmails)}))`
      : sql<boolean>`false`;
  const row = await db
    .selectFrom('users')
    .select([
      sql<string>`count(*)`.as('total'),
      sql<string>`count(*) filter (where role = 'admin' or ${adminByEmail})`.as('admins'),
      sql<string>`count(*) filter (where disabled_at is not null)`.as('disabled'),
    ])
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), admins: Number(row.admins), disabled: Number(row.disabled) };
};

/** Files (live and in the trash) and their kept versions, by whether their bytes are hot. */
export const sumStoredBytes = async (db: Db) => {
  const { rows } = await sql<{ files: string; hot: string; cold: string }>`
    with stored as (
      select n.storage_state, n.size, 1 as is_file from nodes n where n.blob_key is not null
      union all
      select n.storage_state, v.size, 0 from file_versions v join nodes n on n.id = v.node_id
    )
    select coalesce(sum(is_file), 0) as files,
           coalesce(sum(size) filter (where storage_state = 'hot'), 0) as hot,
           coalesce(sum(size) filter (where storage_state <> 'hot'), 0) as cold
    from stored
  `.execute(db);
  const row = rows[0];
  return {
    files: Number(row?.files ?? 0),
    hot: Number(row?.hot ?? 0),
    cold: Number(row?.cold ?? 0),
  };
};

export const countJobsByStatus = async (db: Db) => {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', sql<string>`count(*)`.as('count')])
    .groupBy('status')
    .execute();
  const counts = { queued: 0, running: 0, done: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
};

/** Newest first; `before` is the last id of the previous page (job ids are time-ordered). */
export const listFailedJobs = (
  db: Db,
  { before, limit }: { before?: string | undefined; limit: number },
) => {
  let select = db
    .selectFrom('jobs')
    .leftJoin('users', 'users.id', 'jobs.owner_id')
    .select([
      'jobs.id',
      'jobs.name',
      'jobs.owner_id',
      'users.email',
      'jobs.attempts',
      'jobs.created_at',
      'jobs.finished_at',
    ])
    .where('jobs.status', '=', 'failed');
  if (before) select = select.where('jobs.id', '<', before);
  return select.orderBy('jobs.id', 'desc').limit(limit).execute();
};

/** A failed job runs again from its first attempt; undefined when it is not a failed job. */
export const requeueFailedJob = (db: Db, id: string) =>
  db
    .updateTable('jobs')
    .set({
      status: 'queued',
      attempts: 0,
      lost_runs: 0,
      run_at: sql<Date>`now()`,
      finished_at: null,
      last_error: null,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returning('id')
    .executeTakeFirst();

/** Any key for PostgreSQL's advisory lock that makes changes to who administers take turns. */
const ADMINISTRATORS_LOCK = 0x6d79_6661;

/**
 * Enabled administrators other than `userId` (by role, or a verified ADMIN_EMAILS address),
 * counted under a transaction-scoped lock: two administrators leaving at once take turns, so
 * the second sees the first gone. Call it inside the transaction that makes the change.
 */
export const countOtherAdministrators = async (
  trx: Db,
  { userId, adminEmails }: { userId: string; adminEmails: ReadonlySet<string> },
) => {
  await sql`select pg_advisory_xact_lock(${ADMINISTRATORS_LOCK})`.execute(trx);
  const result = await sql<{ count: number }>`
    select count(*)::int as count from users
    where id <> ${userId} and deleted_at is null and disabled_at is null
      and (role = 'admin'
           or (email_verified_at is not null and lower(email) = any(${[...adminEmails]}::text[])))
  `.execute(trx);
  return result.rows[0]?.count ?? 0;
};
