import type { Db } from '../../db/database.js';
import { releaseUploadReservation } from '../usage/usage.repository.js';

export const insertTusUpload = async (
  db: Db,
  upload: {
    id: string;
    ownerId: string;
    quotaUserId: string;
    folderId: string;
    name: string;
    size: number;
    onConflict: string;
    ifMatch: string | null;
  },
) => {
  await db
    .insertInto('tus_uploads')
    .values({
      id: upload.id,
      owner_id: upload.ownerId,
      quota_user_id: upload.quotaUserId,
      folder_id: upload.folderId,
      name: upload.name,
      size: upload.size,
      on_conflict: upload.onConflict,
      if_match: upload.ifMatch,
      file_id: null,
      completed_at: null,
    })
    .execute();
};

export const getTusUpload = (db: Db, { id, ownerId }: { id: string; ownerId: string }) =>
  db
    .selectFrom('tus_uploads')
    .selectAll()
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();

/**
 * Succeeds for exactly one completion of an upload, giving its reservation back so the file's
 * own charge takes its place in the same transaction; the guard that makes finishing idempotent.
 */
export const claimTusUploadCompletion = async (db: Db, { id }: { id: string }) => {
  const claimed = await db
    .updateTable('tus_uploads')
    .set({ completed_at: new Date() })
    .where('id', '=', id)
    .where('completed_at', 'is', null)
    .returning(['quota_user_id', 'size'])
    .executeTakeFirst();
  if (!claimed) return false;
  await releaseUploadReservation(db, {
    userId: claimed.quota_user_id,
    bytes: claimed.size,
    uploads: 1,
  });
  return true;
};

export const setTusUploadFile = async (db: Db, { id, fileId }: { id: string; fileId: string }) => {
  await db.updateTable('tus_uploads').set({ file_id: fileId }).where('id', '=', id).execute();
};

/** Deletes upload records, giving back the reservations of those that never completed. */
const deleteTusUploadsReleasing = async (
  db: Db,
  where: { id: string; ownerId: string } | { createdBefore: Date },
) =>
  db.transaction().execute(async (trx) => {
    let query = trx.deleteFrom('tus_uploads');
    query =
      'id' in where
        ? query.where('id', '=', where.id).where('owner_id', '=', where.ownerId)
        : query.where('created_at', '<', where.createdBefore);
    const rows = await query.returning(['quota_user_id', 'size', 'completed_at']).execute();
    const held = new Map<string, { bytes: number; uploads: number }>();
    for (const row of rows) {
      if (row.completed_at) continue;
      const sum = held.get(row.quota_user_id) ?? { bytes: 0, uploads: 0 };
      held.set(row.quota_user_id, { bytes: sum.bytes + row.size, uploads: sum.uploads + 1 });
    }
    for (const [userId, sum] of held) await releaseUploadReservation(trx, { userId, ...sum });
    return rows.length;
  });

/** A terminated upload: its record goes, and its reservation if it never completed. */
export const deleteTusUpload = (db: Db, { id, ownerId }: { id: string; ownerId: string }) =>
  deleteTusUploadsReleasing(db, { id, ownerId });

export const deleteStaleTusUploads = (db: Db, { createdBefore }: { createdBefore: Date }) =>
  deleteTusUploadsReleasing(db, { createdBefore });
