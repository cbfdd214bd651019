import { sql, type RawBuilder } from 'kysely';
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

/**
 * On a `storage_usage` row: adding `bytes` keeps it within its quota (a release always does).
 * Bytes reserved by unfinished resumable uploads are spoken for.
 */
export const fitsQuota = (bytes: number | RawBuilder<unknown>) =>
  sql<boolean>`(${bytes}::bigint <= 0 or used_bytes + reserved_bytes + ${bytes}::bigint <= quota_bytes)`;

export type UploadReservation = 'reserved' | 'quota_exceeded' | 'too_many_uploads';

/**
 * Holds `bytes` of the quota (and one of `maxUploads` places) for a resumable upload, in one
 * statement, so concurrent creations serialise on the row and together never overshoot.
 * `creditBytes` is what the upload will free when it completes (the file it replaces).
 */
export const reserveUploadWithinQuota = async (
  db: Db,
  {
    userId,
    bytes,
    creditBytes,
    maxUploads,
  }: { userId: string; bytes: number; creditBytes: number; maxUploads: number },
): Promise<UploadReservation> => {
  const row = await db
    .updateTable('storage_usage')
    .set({
      reserved_bytes: sql<number>`reserved_bytes + ${bytes}::bigint`,
      reserved_uploads: sql<number>`reserved_uploads + 1`,
    })
    .where('user_id', '=', userId)
    .where('reserved_uploads', '<', maxUploads)
    .where(
      sql<boolean>`used_bytes + reserved_bytes + ${bytes}::bigint - ${creditBytes}::bigint <= quota_bytes`,
    )
    .returning('user_id')
    .executeTakeFirst();
  if (row) return 'reserved';
  const usage = await getStorageUsage(db, { userId });
  return usage && usage.reserved_uploads >= maxUploads ? 'too_many_uploads' : 'quota_exceeded';
};

/** Gives back resumable uploads' reservations: they completed, expired or were terminated. */
export const releaseUploadReservation = async (
  db: Db,
  { userId, bytes, uploads }: { userId: string; bytes: number; uploads: number },
) => {
  await db
    .updateTable('storage_usage')
    .set({
      reserved_bytes: sql<number>`greatest(reserved_bytes - ${bytes}::bigint, 0)`,
      reserved_uploads: sql<number>`greatest(reserved_uploads - ${uploads}::int, 0)`,
    })
    .where('user_id', '=', userId)
    .execute();
};

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
