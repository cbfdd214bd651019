import type { Db } from '../../db/database.js';

export const insertTusUpload = async (
  db: Db,
  upload: {
    id: string;
    ownerId: string;
    folderId: string;
    name: string;
    size: number;
    onConflict: string;
  },
) => {
  await db
    .insertInto('tus_uploads')
    .values({
      id: upload.id,
      owner_id: upload.ownerId,
      folder_id: upload.folderId,
      name: upload.name,
      size: upload.size,
      on_conflict: upload.onConflict,
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

/** Succeeds for exactly one completion of an upload; the guard that makes finishing idempotent. */
export const markTusUploadCompleted = async (
  db: Db,
  { id, fileId }: { id: string; fileId: string },
): Promise<boolean> => {
  const updated = await db
    .updateTable('tus_uploads')
    .set({ file_id: fileId, completed_at: new Date() })
    .where('id', '=', id)
    .where('file_id', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
};

export const deleteStaleTusUploads = async (db: Db, { createdBefore }: { createdBefore: Date }) => {
  const rows = await db
    .deleteFrom('tus_uploads')
    .where('created_at', '<', createdBefore)
    .returning('id')
    .execute();
  return rows.length;
};
