import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export const insertStorageUsageIfMissing = async (
  db: Db,
  { userId, quotaBytes }: { userId: string; quotaBytes: number },
) => {
  await db
    .insertInto('storage_usage')
    .values({ user_id: userId, quota_bytes: quotaBytes })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
};

/** On a `storage_usage` row: adding `bytes` keeps it within its quota (a release always does). */
export const fitsQuota = (bytes: number) =>
  sql<boolean>`(${bytes}::bigint <= 0 or used_bytes + ${bytes}::bigint <= quota_bytes)`;

/**
 * Adds to the usage only if the quota still holds, in one statement: concurrent uploads of
 * one user serialise on the row, so together they can never overshoot. Returns false when full.
 */
export const addUsageWithinQuota = async (
  db: Db,
  { userId, bytes, files }: { userId: string; bytes: number; files: number },
): Promise<boolean> => {
  const updated = await db
    .updateTable('storage_usage')
    .set({
      used_bytes: sql<number>`used_bytes + ${bytes}`,
      file_count: sql<number>`file_count + ${files}`,
    })
    .where('user_id', '=', userId)
    .where(fitsQuota(bytes))
    .returning('user_id')
    .executeTakeFirst();
  return updated !== undefined;
};

export const releaseUsage = async (
  db: Db,
  { userId, bytes, files }: { userId: string; bytes: number; files: number },
) => {
  await db
    .updateTable('storage_usage')
    .set({
      used_bytes: sql<number>`greatest(used_bytes - ${bytes}::bigint, 0)`,
      file_count: sql<number>`greatest(file_count - ${files}::int, 0)`,
    })
    .where('user_id', '=', userId)
    .execute();
};

export const getStorageUsage = (db: Db, { userId }: { userId: string }) =>
  db.selectFrom('storage_usage').selectAll().where('user_id', '=', userId).executeTakeFirst();

export const sumTrashedBytes = async (db: Db, { userId }: { userId: string }) => {
  const row = await db
    .selectFrom('nodes')
    .select(sql<number>`coalesce(sum(size), 0)::bigint`.as('bytes'))
    .where('owner_id', '=', userId)
    .where('trashed_at', 'is not', null)
    .where('is_folder', '=', false)
    .executeTakeFirstOrThrow();
  return row.bytes;
};
